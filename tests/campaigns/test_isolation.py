"""Every write on a campaign fails for another workspace (404), for a viewer (403) and without the CSRF token."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.workspaces.models import Role
from tests.campaigns.factory import collaboration_ids, make_campaign, make_creator, other_client
from tests.support import api_headers, csrf_from, login, make_user


def _world(owner_client: TestClient, engine: Engine) -> dict[str, int]:
    """Workspace A: a campaign with Ana on it and a ledger entry; Bo is a creator of A not on the roster."""
    ana, bo = make_creator(engine, "Ana", "ana.glow"), make_creator(engine, "Bo", "bo.bakes")
    campaign = make_campaign(engine, roster=[ana])
    collab = collaboration_ids(owner_client, campaign)["ana.glow"]
    entry = owner_client.post(f"/api/v1/campaigns/{campaign}/collaborations/{collab}/payments",
                              headers=api_headers(owner_client), json={"kind": "fee", "amount": "100"}).json()  # fmt: skip
    return {"campaign": campaign, "collab": collab, "entry": entry["id"], "ana": ana, "bo": bo}


def _page_writes(ids: dict[str, int]) -> list[tuple[str, dict[str, object]]]:
    c, k = ids["campaign"], ids["collab"]
    return [
        (f"/campaigns/{c}/edit", {"name": "Hijacked"}),
        (f"/campaigns/{c}/archive", {}),
        (f"/campaigns/{c}/roster", {"creator_ids": [ids["bo"]]}),
        ("/campaigns/roster", {"campaign_id": c, "creator_ids": [ids["bo"]]}),
        (f"/campaigns/{c}/roster/{ids['ana']}/remove", {}),
        (f"/campaigns/{c}/board/move", {"collaboration_ids": [k], "stage": "live"}),
        (f"/campaigns/{c}/collaborations/{k}/terms", {"compensation": "gift"}),
        (f"/campaigns/{c}/collaborations/{k}/payments", {"kind": "fee", "amount": "5"}),
        (f"/campaigns/{c}/payments/{ids['entry']}/paid", {}),
    ]


def _api_writes(ids: dict[str, int]) -> list[tuple[str, str, dict[str, object] | None]]:
    base, k = f"/api/v1/campaigns/{ids['campaign']}", ids["collab"]
    return [
        ("PATCH", base, {"name": "Hijacked"}),
        ("POST", f"{base}/archive", None),
        ("POST", f"{base}/roster", {"creator_ids": [ids["bo"]]}),
        ("DELETE", f"{base}/roster/{ids['ana']}", None),
        ("POST", f"{base}/collaborations/{k}/stage", {"stage": "live"}),
        ("POST", f"{base}/moves", {"collaboration_ids": [k], "stage": "live"}),
        ("PATCH", f"{base}/collaborations/{k}", {"compensation": None}),
        ("POST", f"{base}/collaborations/{k}/payments", {"kind": "fee", "amount": "5"}),
        ("POST", f"{base}/payments/{ids['entry']}/paid", {}),
    ]


def _unchanged(owner_client: TestClient, ids: dict[str, int]) -> None:
    campaign = owner_client.get(f"/api/v1/campaigns/{ids['campaign']}").json()
    assert campaign["name"] == "Serum seeding" and not campaign["archived"] and campaign["stages"] == {"prospect": 1}
    ledger = owner_client.get(f"/api/v1/campaigns/{ids['campaign']}/payments").json()
    assert [(e["amount"], e["status"]) for e in ledger] == [("100.00", "owed")]


def test_another_workspace_cannot_read_or_change_a_campaign(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    ids = _world(owner_client, engine)
    other = other_client(engine, settings)
    token = csrf_from(other.get("/campaigns").text)
    for url, data in _page_writes(ids):
        response = other.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 404, (url, response.status_code)
    for url in (f"/campaigns/{ids['campaign']}", f"/campaigns/{ids['campaign']}/board",
                f"/campaigns/{ids['campaign']}/payouts.csv", f"/campaigns/{ids['campaign']}/collaborations/{ids['collab']}"):  # fmt: skip
        assert other.get(url).status_code == 404, url
    headers = api_headers(other)
    for method, url, body in _api_writes(ids):
        response = other.request(method, url, headers=headers, json=body)
        assert response.status_code == 404, (method, url, response.status_code, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    # B's own campaign cannot take A's creators or A's collaborations either.
    own = other.post("/api/v1/campaigns", headers=headers, json={"name": "Mine"}).json()["id"]
    stolen = other.post(f"/api/v1/campaigns/{own}/roster", headers=headers, json={"creator_ids": [ids["bo"]]})
    assert stolen.status_code == 404
    moved = other.post(f"/api/v1/campaigns/{own}/moves", headers=headers,
                       json={"collaboration_ids": [ids["collab"]], "stage": "live"})  # fmt: skip
    assert moved.status_code == 422
    paid = other.post(f"/api/v1/campaigns/{own}/payments/{ids['entry']}/paid", headers=headers, json={})
    assert paid.status_code == 404
    _unchanged(owner_client, ids)


def test_a_viewer_reads_but_cannot_write(owner_client: TestClient, engine: Engine, settings: Settings) -> None:
    ids = _world(owner_client, engine)
    make_user(engine, "viewer@brand.test", Role.viewer)
    from grassroots.web.app import create_app

    viewer = TestClient(create_app(engine, settings), follow_redirects=False)
    login(viewer, "viewer@brand.test")
    page = viewer.get(f"/campaigns/{ids['campaign']}")
    assert page.status_code == 200 and "/edit" not in page.text and 'id="add-handles"' not in page.text
    board = viewer.get(f"/campaigns/{ids['campaign']}/board")
    assert board.status_code == 200 and "move-form" not in board.text and 'draggable="true"' not in board.text
    assert "Mark paid" not in viewer.get(f"/campaigns/{ids['campaign']}/payments").text
    assert viewer.get("/campaigns/new").status_code == 403
    token = csrf_from(page.text)
    for url, data in _page_writes(ids):
        assert viewer.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    headers = api_headers(viewer)
    for method, url, body in _api_writes(ids):
        assert viewer.request(method, url, headers=headers, json=body).status_code == 403, url
    _unchanged(owner_client, ids)


def test_forms_without_the_csrf_token_are_refused(owner_client: TestClient, engine: Engine) -> None:
    ids = _world(owner_client, engine)
    for url, data in _page_writes(ids):
        assert owner_client.post(url, data=data).status_code == 403, url
    assert owner_client.post("/campaigns/new", data={"name": "x"}).status_code == 403
    cookie_only = owner_client.post("/api/v1/campaigns", json={"name": "x"})
    assert cookie_only.status_code == 403
    _unchanged(owner_client, ids)
