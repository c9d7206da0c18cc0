"""/api/v1/outreach: create drafts, list, edit, send one explicitly, skip, log a reply; other workspaces get 404."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.jobs.runner import Runner, load_handlers
from tests.outreach.conftest import Sink
from tests.outreach.world import make_world
from tests.support import api_headers, login, make_user

load_handlers()


def test_the_api_drafts_edits_sends_one_and_logs_a_reply(
    owner_client: TestClient, engine: Engine, settings: Settings, sink: Sink
) -> None:
    world = make_world(engine)
    headers = api_headers(owner_client)
    maya, noor = world.collaborations["maya.bakes"], world.collaborations["noor.makes"]
    made = owner_client.post("/api/v1/outreach/drafts", headers=headers,
                             json={"campaign_id": world.campaign_id, "collaboration_ids": [maya, noor]})  # fmt: skip
    assert made.status_code == 201, made.text
    first, second = made.json()
    assert first["post_url"] == "https://www.instagram.com/p/MAYA1/" and first["can_send_problems"] == []
    assert first["portal_url"] in first["body"] and first["status"] == "draft"
    assert second["post_url"] is None and "personal line" in second["can_send_problems"][0]
    assert [d["id"] for d in owner_client.get("/api/v1/outreach/drafts").json()] == [first["id"], second["id"]]
    again = owner_client.post("/api/v1/outreach/drafts", headers=headers,
                              json={"campaign_id": world.campaign_id, "collaboration_ids": [maya]})  # fmt: skip
    assert again.json()[0]["id"] == first["id"], "an open draft is not drafted twice"
    edited = owner_client.patch(f"/api/v1/outreach/drafts/{first['id']}", headers=headers,
                                json={"subject": "Edited", "body": first["body"] + "\nPS: hi"})  # fmt: skip
    assert edited.status_code == 200 and edited.json()["subject"] == "Edited"
    refused = owner_client.post(f"/api/v1/outreach/drafts/{second['id']}/send", headers=headers, json={})
    assert refused.status_code == 422 and "personal line" in refused.json()["detail"]
    sent = owner_client.post(f"/api/v1/outreach/drafts/{first['id']}/send", headers=headers, json={})
    assert sent.status_code == 200 and sent.json()["status"] == "queued" and sent.json()["subject"] == "Edited"
    twice = owner_client.post(f"/api/v1/outreach/drafts/{first['id']}/send", headers=headers, json={})
    assert twice.status_code == 409
    Runner(engine, settings, lease_seconds=60).run_due()
    assert len(sink.received) == 1 and "PS: hi" in sink.received[0].get_payload(decode=True).decode()
    assert owner_client.get("/api/v1/outreach/messages?status=sent").json()[0]["to_email"] == "maya@creator.test"
    reply = owner_client.post("/api/v1/outreach/replies", headers=headers, json={"collaboration_id": maya,
                                                                                "note": "Yes!"})  # fmt: skip
    assert reply.status_code == 201 and reply.json()["source"] == "by_hand"
    assert [r["snippet"] for r in owner_client.get("/api/v1/outreach/replies").json()] == ["Yes!"]
    skipped = owner_client.post(f"/api/v1/outreach/drafts/{second['id']}/skip", headers=headers)
    assert skipped.json()["status"] == "skipped"


def test_another_workspace_gets_404_from_every_outreach_endpoint(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    world = make_world(engine)
    login(client, "owner@brand.test")
    maya = world.collaborations["maya.bakes"]
    [draft] = client.post("/api/v1/outreach/drafts", headers=api_headers(client),
                          json={"campaign_id": world.campaign_id, "collaboration_ids": [maya]}).json()  # fmt: skip
    make_user(engine, "owner@else.test", ws="Else")
    login(client, "owner@else.test")
    headers = api_headers(client)
    did = draft["id"]
    assert client.get(f"/api/v1/outreach/drafts/{did}").status_code == 404
    assert client.get(f"/api/v1/outreach/drafts?campaign_id={world.campaign_id}").status_code == 404
    assert client.get("/api/v1/outreach/drafts").json() == []
    assert client.patch(f"/api/v1/outreach/drafts/{did}", headers=headers,
                        json={"subject": "x", "body": "y"}).status_code == 404  # fmt: skip
    assert client.post(f"/api/v1/outreach/drafts/{did}/send", headers=headers, json={}).status_code == 404
    assert client.post(f"/api/v1/outreach/drafts/{did}/skip", headers=headers).status_code == 404
    assert client.post("/api/v1/outreach/replies", headers=headers, json={"collaboration_id": maya}).status_code == 404
    assert client.post("/api/v1/outreach/drafts", headers=headers,
                       json={"campaign_id": world.campaign_id, "collaboration_ids": [maya]}).status_code == 404  # fmt: skip
    assert client.get("/api/v1/outreach/messages").json() == [] and client.get("/api/v1/outreach/replies").json() == []
