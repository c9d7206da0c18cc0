"""Roster: creators added one or many at once (ticked, typed, through the API), removed, and refused when archived."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration
from grassroots.db.session import session_scope
from tests.campaigns.factory import collaboration_ids, make_campaign, make_creator, make_creators
from tests.discovery.world import seed as seed_bakers
from tests.support import api_headers, csrf_from, workspace_id


def test_ticked_creators_join_and_the_browser_goes_back_to_next(owner_client: TestClient, engine: Engine) -> None:
    ana, mo = make_creator(engine, "Ana", "ana.glow"), make_creator(engine, "Mo", "vegan_mo")
    campaign_id = make_campaign(engine)
    token = csrf_from(owner_client.get(f"/campaigns/{campaign_id}").text)
    url = f"/campaigns/{campaign_id}/roster"
    added = owner_client.post(url, data={"csrf_token": token, "creator_ids": [ana, mo], "next": "/creators?tier=nano"})
    assert added.status_code == 303 and added.headers["location"] == "/creators?tier=nano"
    again = owner_client.post(
        url, data={"csrf_token": token, "creator_ids": [ana], "next": f"/campaigns/{campaign_id}"}
    )
    assert again.headers["location"] == f"/campaigns/{campaign_id}"
    assert "Added 0 creators to “Serum seeding” (1 already on it)." in owner_client.get(again.headers["location"]).text
    assert set(collaboration_ids(owner_client, campaign_id)) == {"ana.glow", "vegan_mo"}
    trail = owner_client.get(
        f"/api/v1/campaigns/{campaign_id}/collaborations/{collaboration_ids(owner_client, campaign_id)['ana.glow']}"
    ).json()
    assert trail["history"][0]["actor"] == "owner@brand.test" and trail["history"][0]["to_stage"] == "prospect"
    for unsafe in ("https://evil.test/x", "//evil.test", "/\\evil.test", "javascript:alert(1)"):
        response = owner_client.post(url, data={"csrf_token": token, "creator_ids": [ana], "next": unsafe})
        assert response.headers["location"] == f"/campaigns/{campaign_id}", unsafe


def test_handles_typed_on_the_campaign_page_join_or_are_named_when_unknown(
    owner_client: TestClient, engine: Engine
) -> None:
    make_creator(engine, "Ana", "ana.glow")
    make_creator(engine, "Mo", "vegan_mo")
    campaign_id = make_campaign(engine)
    page = owner_client.get(f"/campaigns/{campaign_id}")
    assert 'id="add-handles"' in page.text
    token = csrf_from(page.text)
    url = f"/campaigns/{campaign_id}/roster"
    unknown = owner_client.post(url, data={"csrf_token": token, "handles": "@ana.glow, @nobody_here"})
    assert "No creator with the handle @nobody_here" in owner_client.get(unknown.headers["location"]).text
    assert collaboration_ids(owner_client, campaign_id) == {}  # all or nothing
    owner_client.post(url, data={"csrf_token": token, "handles": "@ana.glow  VEGAN_MO"})
    assert set(collaboration_ids(owner_client, campaign_id)) == {"ana.glow", "vegan_mo"}
    empty = owner_client.post(url, data={"csrf_token": token})
    assert "Tick at least one creator" in owner_client.get(empty.headers["location"]).text


def test_the_picker_lists_creators_and_marks_the_roster(owner_client: TestClient, engine: Engine) -> None:
    ids = make_creators(engine, 12)
    campaign_id = make_campaign(engine, roster=ids[:2])
    picker = owner_client.get(f"/campaigns/{campaign_id}/roster/add?tier=micro-micro")
    assert picker.status_code == 200
    assert picker.text.count('name="creator_ids"') == 0  # both micro-micro creators are on the roster
    assert picker.text.count("on roster") == 2
    everyone = owner_client.get(f"/campaigns/{campaign_id}/roster/add?q=c0")
    assert everyone.text.count('name="creator_ids"') == 10


def test_the_api_adds_and_removes_and_refuses_what_it_must(owner_client: TestClient, engine: Engine) -> None:
    ana, mo = make_creator(engine, "Ana", "ana.glow"), make_creator(engine, "Mo", "vegan_mo")
    campaign_id = make_campaign(engine)
    headers = api_headers(owner_client)
    url = f"/api/v1/campaigns/{campaign_id}/roster"
    assert owner_client.post(url, headers=headers, json={"creator_ids": [ana, mo]}).json() == {"added": 2, "already": 0}
    assert owner_client.post(url, headers=headers, json={"creator_ids": [ana]}).json() == {"added": 0, "already": 1}
    missing = owner_client.post(url, headers=headers, json={"creator_ids": [ana, 999_999]})
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert owner_client.post(url, headers=headers, json={"creator_ids": []}).status_code == 422
    assert owner_client.delete(f"{url}/{mo}", headers=headers).status_code == 204
    assert owner_client.delete(f"{url}/{mo}", headers=headers).status_code == 404
    collab = collaboration_ids(owner_client, campaign_id)["ana.glow"]
    entry = {"kind": "gift", "amount": "35", "status": "paid"}
    paid = owner_client.post(
        f"/api/v1/campaigns/{campaign_id}/collaborations/{collab}/payments", headers=headers, json=entry
    )
    assert paid.status_code == 201
    kept = owner_client.delete(f"{url}/{ana}", headers=headers)
    assert kept.status_code == 409 and "move it to declined or paused" in kept.json()["detail"]
    owner_client.post(f"/api/v1/campaigns/{campaign_id}/archive", headers=headers)
    archived = owner_client.post(url, headers=headers, json={"creator_ids": [mo]})
    assert archived.status_code == 422 and "is archived" in archived.json()["detail"]


def test_a_list_or_profile_form_picks_the_campaign_in_a_box(owner_client: TestClient, engine: Engine) -> None:
    ana, mo = make_creator(engine, "Ana", "ana.glow"), make_creator(engine, "Mo", "vegan_mo")
    campaign_id = make_campaign(engine)
    token = csrf_from(owner_client.get("/campaigns").text)
    data = {"csrf_token": token, "campaign_id": str(campaign_id), "creator_ids": [ana, mo], "next": "/creators"}
    added = owner_client.post("/campaigns/roster", data=data)
    assert added.status_code == 303 and added.headers["location"] == "/creators"
    assert set(collaboration_ids(owner_client, campaign_id)) == {"ana.glow", "vegan_mo"}
    unchosen = owner_client.post("/campaigns/roster", data={**data, "campaign_id": ""})
    assert "Choose a campaign" in owner_client.get(f"/campaigns/{campaign_id}").text
    assert unchosen.headers["location"] == "/creators"


def test_the_creators_list_adds_ticked_creators_to_a_campaign(owner_client: TestClient, engine: Engine) -> None:
    ids = seed_bakers(engine)
    with session_scope(engine) as s:
        campaign = Campaign(workspace_id=workspace_id(engine), name="Bread week", goal=CampaignGoal.launch)
        s.add(campaign)
        s.flush()
        campaign_id = campaign.id
    page = owner_client.get("/creators")
    assert 'form="add-to-campaign"' in page.text and "Bread week" in page.text
    form = {"csrf_token": csrf_from(page.text), "campaign_id": str(campaign_id), "next": "/creators",
            "creator_ids": [str(ids["Hana"]), str(ids["Omar"])]}  # fmt: skip
    sent = owner_client.post("/campaigns/roster", data=form)
    assert sent.status_code == 303 and sent.headers["location"] == "/creators"
    assert "added" in owner_client.get("/creators").text.lower()
    with session_scope(engine) as s:
        rostered = set(s.scalars(select(Collaboration.creator_id).where(Collaboration.campaign_id == campaign_id)))
    assert rostered == {ids["Hana"], ids["Omar"]}
