"""With a real brief and a signed agreement: the brief's wording is required, the agreement's rights are copied."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.agreements import service as agreements
from grassroots.agreements.documents import AgreementFields, BriefFields
from grassroots.db.session import session_scope
from tests.approvals.world import make_world
from tests.support import api_headers, workspace_id

WORDING = "#gifted · Gifted by Brand"


def _documents(engine: Engine, collaboration_id: int) -> None:
    wid = workspace_id(engine)
    brief = BriefFields(key_messages=["two drops"], disclosure=WORDING)
    deal = AgreementFields(deliverables=["1 reel"], channels=["organic social", "website"], paid_usage=False,
                           usage_expires_on=date(2099, 6, 30), payment_terms="The product as a gift.",
                           disclosure=WORDING)  # fmt: skip
    with session_scope(engine) as s:
        agreements.save(s, wid, collaboration_id, brief, created_by="tester")
        version, _ = agreements.save(s, wid, collaboration_id, deal, created_by="tester")
        agreements.sign(s, wid, collaboration_id, version.id, name="Ana Glow", consent=True, ip="127.0.0.1",
                        user_agent="test")  # fmt: skip


def test_brief_wording_blocks_and_signed_rights_reach_the_library(owner_client: TestClient, engine: Engine) -> None:
    world = make_world(engine)
    _documents(engine, world.collaboration_id)
    headers = api_headers(owner_client)
    url = f"/api/v1/collaborations/{world.collaboration_id}/drafts"
    draft = owner_client.post(url, json={"caption": "#ad two drops every morning"}, headers=headers).json()
    first = draft["versions"][0]
    assert first["expected_disclosure"] == WORDING
    assert "The brief asks for '#gifted · Gifted by Brand', and the caption has no #gifted." in first["blocked_reason"]
    refused = owner_client.post(f"/api/v1/versions/{first['id']}/approve", headers=headers)
    assert refused.status_code == 409 and "#gifted" in refused.json()["detail"]
    fixed = owner_client.post(url, json={"caption": "#gifted two drops every morning", "draft_id": draft["id"]},
                              headers=headers).json()  # fmt: skip
    item = owner_client.post(f"/api/v1/versions/{fixed['versions'][0]['id']}/approve", headers=headers).json()
    assert item["rights"] == "agreed" and item["channels"] == ["organic social", "website"]
    assert item["rights_expire_on"] == "2099-06-30" and item["paid_usage"] is False
    assert item["agreement_version_id"] is not None
