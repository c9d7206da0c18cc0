"""The JSON API as a program uses it: bearer tokens, problems, cursors."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.db.session import session_scope
from grassroots.workspaces import service as workspaces
from grassroots.workspaces.models import Role
from tests.support import make_user

PROBLEM = "application/problem+json"


def bearer(engine: Engine, role: Role = Role.owner, email: str = "api@brand.test") -> dict[str, str]:
    make_user(engine, email, role)
    with session_scope(engine) as s:
        _, plain = workspaces.create_token(s, workspaces.find_user(s, email), "test")
    return {"Authorization": f"Bearer {plain}"}


def new_creator(client: TestClient, headers: dict[str, str], handle: str, followers: int, **extra: Any) -> Any:
    body = {
        "display_name": handle.title(),
        "accounts": [{"platform": "instagram", "handle": handle, "followers": followers}],
        **extra,
    }
    response = client.post("/api/v1/creators", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_requests_without_token_get_a_401_problem(client: TestClient) -> None:
    response = client.get("/api/v1/creators")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["status"] == 401
    bad = client.get("/api/v1/creators", headers={"Authorization": "Bearer gr_nope"})
    assert bad.status_code == 401 and "invalid" in bad.json()["detail"]


def test_create_get_patch_and_tier(client: TestClient, engine: Engine) -> None:
    h = bearer(engine)
    created = new_creator(client, h, "@Ana.Glow", 4_200, location="Lyon, FR")
    assert created["accounts"][0]["handle"] == "ana.glow"
    assert created["tier"] == "nano" and created["platforms"] == ["instagram"]
    got = client.get(f"/api/v1/creators/{created['id']}", headers=h).json()
    assert got["location"] == "Lyon, FR"
    patched = client.patch(f"/api/v1/creators/{created['id']}", json={"notes": "met at expo"}, headers=h)
    assert patched.status_code == 200 and patched.json()["notes"] == "met at expo"


def test_bad_input_is_a_422_problem_and_writes_nothing(client: TestClient, engine: Engine) -> None:
    h = bearer(engine)
    body = {"display_name": "", "accounts": [{"platform": "myspace", "handle": "a b", "followers": -1}]}
    response = client.post("/api/v1/creators", json=body, headers=h)
    assert response.status_code == 422 and response.headers["content-type"].startswith(PROBLEM)
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"display_name", "accounts.0.platform", "accounts.0.handle", "accounts.0.followers"} <= fields
    assert client.get("/api/v1/creators", headers=h).json()["total"] == 0
    unknown = client.patch("/api/v1/creators/1", json={"followers": 5}, headers=h)
    assert unknown.status_code in (404, 422)


def test_duplicate_handle_is_a_409(client: TestClient, engine: Engine) -> None:
    h = bearer(engine)
    new_creator(client, h, "dup", 100)
    body = {"display_name": "x", "accounts": [{"platform": "instagram", "handle": "DUP", "followers": 1}]}
    response = client.post("/api/v1/creators", json=body, headers=h)
    assert response.status_code == 409 and response.json()["title"] == "Conflict"


def test_list_filters_and_cursor_pagination_visit_every_row_once(client: TestClient, engine: Engine) -> None:
    h = bearer(engine)
    for i in range(23):
        new_creator(client, h, f"c{i:02d}", 1_000 + (i % 5) * 3_000)
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 5, "sort": "-followers"}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/creators", params=params, headers=h).json()
        seen += [c["id"] for c in page["items"]]
        followers = [c["followers"] for c in page["items"]]
        assert followers == sorted(followers, reverse=True)
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 23 == len(set(seen))
    nano = client.get("/api/v1/creators", params={"tier": "nano"}, headers=h).json()
    assert nano["total"] == sum(1 for i in range(23) if 2_000 <= 1_000 + (i % 5) * 3_000 < 10_000)
    assert client.get("/api/v1/creators", params={"cursor": "garbage"}, headers=h).status_code == 422
    assert client.get("/api/v1/creators", params={"sort": "shoe"}, headers=h).status_code == 422


def test_accounts_and_posts(client: TestClient, engine: Engine) -> None:
    h = bearer(engine)
    creator = new_creator(client, h, "poster", 2_000)
    account = client.post(
        f"/api/v1/creators/{creator['id']}/accounts",
        headers=h,
        json={"platform": "tiktok", "handle": "poster", "followers": 9_000},
    ).json()
    for day in range(1, 4):
        post = {
            "kind": "video",
            "caption": f"day {day}",
            "likes": 100 * day,
            "comments": 10,
            "views": 3_000,
            "posted_at": f"2026-11-0{day}T10:00:00Z",
        }
        assert client.post(f"/api/v1/accounts/{account['id']}/posts", json=post, headers=h).status_code == 201
    # A twin with the same timestamp must land on a page exactly once (keyset on posted_at and id).
    twin = {**post, "caption": "day 3 twin"}
    assert client.post(f"/api/v1/accounts/{account['id']}/posts", json=twin, headers=h).status_code == 201
    first = client.get(f"/api/v1/accounts/{account['id']}/posts", params={"limit": 2}, headers=h).json()
    assert [p["caption"] for p in first["items"]] == ["day 3 twin", "day 3"]
    rest = client.get(
        f"/api/v1/accounts/{account['id']}/posts", headers=h, params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [p["caption"] for p in rest["items"]] == ["day 2", "day 1"] and rest["next_cursor"] is None
    detail = client.get(f"/api/v1/creators/{creator['id']}", headers=h).json()
    assert detail["primary_platform"] == "tiktok"
    # median of 110, 210, 310, 310 interactions over 3,000 views
    assert detail["engagement_rate"] == pytest.approx(260 / 3000)


def test_viewer_token_cannot_write_and_workspaces_are_isolated(client: TestClient, engine: Engine) -> None:
    owner = bearer(engine)
    created = new_creator(client, owner, "mine", 500)
    viewer = bearer(engine, Role.viewer, "viewer@brand.test")
    denied = client.post("/api/v1/creators", json={"display_name": "x"}, headers=viewer)
    assert denied.status_code == 403
    assert client.get(f"/api/v1/creators/{created['id']}", headers=viewer).status_code == 200
    make_user(engine, "rival@other.test", ws="Rival")
    with session_scope(engine) as s:
        _, plain = workspaces.create_token(s, workspaces.find_user(s, "rival@other.test"), "r")
    rival = {"Authorization": f"Bearer {plain}"}
    assert client.get(f"/api/v1/creators/{created['id']}", headers=rival).status_code == 404
    assert client.get("/api/v1/creators", headers=rival).json()["total"] == 0


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/api/docs").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/creators" in spec["paths"]


def test_disclosure_and_voice_endpoints(client: TestClient, engine: Engine) -> None:
    h = bearer(engine)
    creator = new_creator(client, h, "deals", 3_000)
    account_id = creator["accounts"][0]["id"]
    for i, (caption, sponsored) in enumerate(
        [("#ad serum time", True), ("love @brand, code X10", True), ("walk in the park", False)]
    ):
        post = {"caption": caption, "sponsored": sponsored, "likes": 10, "posted_at": f"2026-11-0{i + 1}T10:00:00Z"}
        assert client.post(f"/api/v1/accounts/{account_id}/posts", json=post, headers=h).status_code == 201
    rows = client.get(f"/api/v1/creators/{creator['id']}/disclosure", headers=h).json()
    assert [r["disclosure"] for r in rows] == ["not_needed", "missing", "compliant"]
    voice = client.get(f"/api/v1/creators/{creator['id']}/voice", headers=h).json()
    assert voice == {"total": 0}
    assert client.get("/api/v1/creators/999999/voice", headers=h).status_code == 404
