"""The pipeline board: columns, filters, keyboard, HTMX and bulk moves, the audit trail, health, query count."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from grassroots.campaigns.models import Collaboration, Stage
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from tests.campaigns.factory import collaboration_ids, count_queries, make_campaign, make_creators
from tests.support import api_headers, csrf_from


def _cards(html: str) -> dict[str, str]:
    """Stage of each card on the page, by collaboration id."""
    return dict(re.findall(r'id="card-(\d+)" data-id="\d+" data-stage="(\w+)"', html))


def test_moves_from_the_keyboard_form_htmx_and_in_bulk_are_audited(owner_client: TestClient, engine: Engine) -> None:
    ids = make_creators(engine, 6)
    campaign_id = make_campaign(engine, roster=ids)
    board_url = f"/campaigns/{campaign_id}/board"
    board = owner_client.get(board_url)
    assert board.status_code == 200 and board.text.count('class="board-col"') == len(Stage)
    assert set(_cards(board.text).values()) == {"prospect"} and len(_cards(board.text)) == 6
    assert 'src="/static/board.js"' in board.text and 'aria-label="Stage of C 000"' in board.text
    token, collabs = csrf_from(board.text), collaboration_ids(owner_client, campaign_id)
    move = f"{board_url}/move"
    first = str(collabs["c000"])
    form = owner_client.post(move, data={"csrf_token": token, "collaboration_ids": first, "stage": "contacted",
                                         "next": f"{board_url}?tier=micro-micro"})  # fmt: skip
    assert form.status_code == 303 and form.headers["location"] == f"{board_url}?tier=micro-micro"
    after = owner_client.get(form.headers["location"]).text
    assert "Moved 1 creator to Contacted." in after and _cards(after)[first] == "contacted"
    htmx = owner_client.post(move, headers={"HX-Request": "true"},
                             data={"csrf_token": token, "collaboration_ids": first, "stage": "in_review"})  # fmt: skip
    assert htmx.status_code == 200 and _cards(htmx.text) == {first: "in_review"}
    assert 'id="board-status"' in htmx.text and 'hx-swap-oob="true"' in htmx.text and "to In review" in htmx.text
    bulk = [str(collabs[h]) for h in ("c000", "c001", "c002")]
    done = owner_client.post(move, data={"csrf_token": token, "collaboration_ids": bulk, "stage": "shipped"})
    assert "Moved 3 creators to Shipped." in owner_client.get(done.headers["location"]).text
    again = owner_client.post(move, data={"csrf_token": token, "collaboration_ids": bulk, "stage": "shipped"})
    assert "Moved 0 creators to Shipped. 3 were there already." in owner_client.get(again.headers["location"]).text
    detail = owner_client.get(f"/campaigns/{campaign_id}/collaborations/{first}").text
    trail = detail[detail.index('id="trail"') :]
    assert trail.count("owner@brand.test") == 3 and trail.count("tester@brand.test") == 1  # added by the factory
    assert [m for m in re.findall(r"<td>(\w[\w ]*)</td><td>(\w[\w ]*)</td>", trail)][:2] == [
        ("In review", "Shipped"), ("Contacted", "In review")]  # fmt: skip
    api = owner_client.get(f"/api/v1/campaigns/{campaign_id}/collaborations/{first}").json()
    assert [(h["from_stage"], h["to_stage"]) for h in api["history"]][-2:] == [("prospect", "contacted"),
                                                                                 (None, "prospect")]  # fmt: skip


def test_bad_moves_change_nothing_and_say_why(owner_client: TestClient, engine: Engine) -> None:
    ids = make_creators(engine, 2)
    campaign_id, other_id = make_campaign(engine, roster=ids[:1]), make_campaign(engine, roster=ids[1:], name="B")
    token = csrf_from(owner_client.get(f"/campaigns/{campaign_id}/board").text)
    mine, theirs = (
        collaboration_ids(owner_client, campaign_id)["c000"],
        collaboration_ids(owner_client, other_id)["c001"],
    )
    move = f"/campaigns/{campaign_id}/board/move"
    for data, message in (
        ({"collaboration_ids": mine, "stage": "sideways"}, "Choose the stage to move to."),
        ({"stage": "live"}, "Tick at least one creator to move."),
        ({"collaboration_ids": [mine, theirs], "stage": "live"}, f"collaboration {theirs} is not in this campaign"),
    ):
        response = owner_client.post(move, data={"csrf_token": token, **data})
        assert message in owner_client.get(response.headers["location"]).text
        htmx = owner_client.post(move, data={"csrf_token": token, **data}, headers={"HX-Request": "true"})
        assert (
            htmx.status_code == 422 and htmx.text == message and htmx.headers["content-type"].startswith("text/plain")
        )
    stages = {r["stage"] for r in owner_client.get(f"/api/v1/campaigns/{campaign_id}/collaborations").json()}
    assert stages == {"prospect"}
    headers = api_headers(owner_client)
    bad = owner_client.post(f"/api/v1/campaigns/{campaign_id}/moves", headers=headers,
                            json={"collaboration_ids": [mine, theirs], "stage": "live"})  # fmt: skip
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    ok = owner_client.post(f"/api/v1/campaigns/{campaign_id}/moves", headers=headers,
                           json={"collaboration_ids": [mine], "stage": "declined", "note": "not a fit"})  # fmt: skip
    assert ok.json() == {"moved": 1, "unchanged": 0}
    one = owner_client.post(f"/api/v1/campaigns/{campaign_id}/collaborations/{mine}/stage", headers=headers,
                            json={"stage": "paused"})  # fmt: skip
    assert one.json()["stage"] == "paused" and one.json()["history"][1]["note"] == "not a fit"


def test_filters_narrow_the_board(owner_client: TestClient, engine: Engine) -> None:
    ids = make_creators(engine, 12)  # c000–c001 micro-micro, c002–c009 nano, c010–c011 micro
    campaign_id = make_campaign(engine, roster=ids)
    headers = api_headers(owner_client)
    collabs = collaboration_ids(owner_client, campaign_id)
    owner_client.post(f"/api/v1/campaigns/{campaign_id}/moves", headers=headers,
                      json={"collaboration_ids": [collabs["c003"], collabs["c010"]], "stage": "replied"})  # fmt: skip
    board = f"/campaigns/{campaign_id}/board"
    replied = owner_client.get(f"{board}?stage=replied").text
    assert replied.count('class="board-col"') == 1 and len(_cards(replied)) == 2 and "2 of 12" in replied
    assert len(_cards(owner_client.get(f"{board}?tier=micro").text)) == 2
    assert len(_cards(owner_client.get(f"{board}?tier=micro-micro&stage=prospect").text)) == 2
    assert list(_cards(owner_client.get(f"{board}?q=C 011").text)) == [str(collabs["c011"])]
    assert len(_cards(owner_client.get(f"{board}?stage=nonsense&tier=giant").text)) == 12  # unknown filters ignored


def test_the_board_costs_the_same_queries_for_5_or_60_creators(owner_client: TestClient, engine: Engine) -> None:
    ids = make_creators(engine, 60)
    small, large = make_campaign(engine, roster=ids[:5], name="Small"), make_campaign(engine, roster=ids, name="Large")
    owner_client.get(f"/campaigns/{small}/board")  # warm up the session and templates
    counts = []
    for campaign_id in (small, large):
        with count_queries(engine) as queries:
            assert owner_client.get(f"/campaigns/{campaign_id}/board").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 12, counts


def test_health_shows_who_waits_on_the_brand_and_who_was_asked_too_often(
    owner_client: TestClient, engine: Engine
) -> None:
    ids = make_creators(engine, 3)
    campaigns = [make_campaign(engine, roster=ids, name=f"Wave {n}") for n in range(3)]
    headers = api_headers(owner_client)
    for campaign_id in campaigns:  # c000 is asked three times in 90 days; the cap is two
        collab = collaboration_ids(owner_client, campaign_id)["c000"]
        owner_client.post(f"/api/v1/campaigns/{campaign_id}/moves", headers=headers,
                          json={"collaboration_ids": [collab], "stage": "contacted"})  # fmt: skip
    first = campaigns[0]
    replied = collaboration_ids(owner_client, first)["c001"]
    owner_client.post(f"/api/v1/campaigns/{first}/moves", headers=headers,
                      json={"collaboration_ids": [replied], "stage": "replied"})  # fmt: skip
    with session_scope(engine) as s:  # the reply came ten days ago and nobody answered
        s.execute(update(Collaboration).where(Collaboration.id == replied)
                  .values(stage_changed_at=utcnow() - timedelta(days=10)))  # fmt: skip
    care = owner_client.get(f"/api/v1/campaigns/{first}/health").json()
    assert [(o["display_name"], o["stage"], o["days"]) for o in care["overdue"]] == [("C 001", "replied", 10)]
    assert care["overdue"][0]["action"] == "they replied: your move"
    assert care["over_asked"] == [{"creator_id": ids[0], "display_name": "C 000", "asks_90d": 3}]
    page = owner_client.get(f"/campaigns/{first}").text
    health = page[page.index('id="health"') : page.index('id="content"')]
    assert "C 001" in health and "Replied · 10 days" in health and "asked 3× in 90 days" in health
    board = owner_client.get(f"/campaigns/{first}/board").text
    assert "waiting 10 days" in board and "Asked more than 2 times in 90 days across campaigns: C 000" in board
