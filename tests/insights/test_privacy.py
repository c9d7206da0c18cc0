"""Forgetting a creator deletes their grants (encrypted tokens) and the figures they shared."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.db.session import session_scope
from grassroots.insights.models import CreatorGrant, SharedInsight
from grassroots.workspaces.privacy import forget_creator
from tests.insights.conftest import World
from tests.insights.test_instagram_flow import connect


def test_forgetting_a_creator_deletes_grants_and_figures(app_client: TestClient, world: World, engine: Engine) -> None:
    assert connect(app_client, world.token).status_code == 303
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(CreatorGrant)) == 1
        counts = forget_creator(session, world.workspace_id, "ana.glow")
    assert counts["creator_grant"] == 1 and counts["shared_insight"] == 1
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(CreatorGrant)) == 0
        assert session.scalar(select(func.count()).select_from(SharedInsight)) == 0
