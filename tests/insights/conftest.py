"""Fixtures: the local platform server, settings pointing at it, and a collaboration with a portal link."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration
from grassroots.config import Settings
from grassroots.creators.models import Creator
from grassroots.db.session import session_scope
from grassroots.insights import service
from grassroots.portal import links
from grassroots.web.app import create_app
from grassroots.workspaces import service as workspaces
from tests.insights.platform_server import CLIENT_SECRET, PlatformServer, running
from tests.support import make_user


@pytest.fixture
def platform() -> Iterator[PlatformServer]:
    """Instagram, TikTok and Google, served locally from the recorded shapes."""
    with running() as server:
        yield server


@pytest.fixture
def ins_settings(tmp_path: Path, platform: PlatformServer) -> Settings:
    """Settings whose creator OAuth endpoints point at the local server."""
    return Settings(data_dir=tmp_path, secret_key="test-secret", creator_oauth_urls=platform.urls())


@pytest.fixture
def app_client(engine: Engine, ins_settings: Settings) -> Iterator[TestClient]:
    """A browser (no sign-in) on the app."""
    with TestClient(create_app(engine, ins_settings), follow_redirects=False) as c:
        yield c


@dataclass(frozen=True)
class World:
    """One workspace's collaboration with a portal link."""

    workspace_id: int
    creator_id: int
    collaboration_id: int
    link_id: int
    token: str


def make_world(engine: Engine, settings: Settings, ws: str = "Brand", name: str = "Ana Glow",
               apps: bool = True) -> World:  # fmt: skip
    """A workspace (with an owner), a creator in a campaign started 1 Nov 2026, and a portal link."""
    make_user(engine, f"owner@{ws.lower()}.test", ws=ws)
    with session_scope(engine) as session:
        wid = workspaces.get_or_create_workspace(session, ws).id
        creator = Creator(workspace_id=wid, display_name=name, primary_handle="ana.glow")
        campaign = Campaign(workspace_id=wid, name="Winter glow", goal=CampaignGoal.awareness,
                            starts_on=date(2026, 11, 1))  # fmt: skip
        session.add_all([creator, campaign])
        session.flush()
        collab = Collaboration(workspace_id=wid, campaign_id=campaign.id, creator_id=creator.id)
        session.add(collab)
        session.flush()
        link, token = links.issue(session, settings, collab, created_by="owner")
        if apps:
            for platform in ("instagram", "tiktok", "youtube"):
                service.save_app(session, settings, wid, platform,
                                 {"client_id": f"{platform}-client-id", "client_secret": CLIENT_SECRET}, "owner")  # fmt: skip
        return World(wid, creator.id, collab.id, link.id, token)


@pytest.fixture
def world(engine: Engine, ins_settings: Settings) -> World:
    """The Brand workspace's collaboration, apps set up for every platform."""
    return make_world(engine, ins_settings)
