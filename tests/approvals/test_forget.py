"""Forgetting a creator removes their drafts, versions, comments, library items and mention records."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.approvals.models import ContentComment, ContentDraft, ContentVersion, UgcItem
from grassroots.db.session import session_scope
from grassroots.mentions import service as mentions
from grassroots.mentions.models import Mention
from grassroots.workspaces import privacy
from grassroots.workspaces.models import Workspace
from tests.approvals.world import FIXED, make_world
from tests.campaigns.factory import add_post
from tests.support import api_headers, workspace_id


def test_forget_creator_removes_approvals_ugc_and_mentions(owner_client: TestClient, engine: Engine) -> None:
    world = make_world(engine)
    wid = workspace_id(engine)
    draft = owner_client.post(f"/api/v1/collaborations/{world.collaboration_id}/drafts",
                              json={"caption": FIXED, "note": "hi"}, headers=api_headers(owner_client)).json()  # fmt: skip
    owner_client.post(f"/api/v1/versions/{draft['versions'][0]['id']}/approve", headers=api_headers(owner_client))
    post_id = add_post(engine, world.creator_id, "Thanks @dew.skin", datetime(2026, 12, 1, tzinfo=UTC))
    with session_scope(engine) as s:
        workspace = s.get(Workspace, wid)
        assert workspace is not None
        workspace.brand_handles = ["dew.skin"]
    with session_scope(engine) as s:
        mentions.set_status(s, wid, post_id, "liked", "tester")
    with session_scope(engine) as s:
        counts = privacy.forget_creator(s, wid, "ana.glow")
    assert counts["ugc_item"] == 1 and counts["content_version"] == 1 and counts["content_draft"] == 1
    assert counts["content_comment"] == 2  # the note and the approval
    with session_scope(engine) as s:
        for model in (UgcItem, ContentComment, ContentVersion, ContentDraft, Mention):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model.__tablename__
