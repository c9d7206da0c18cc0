"""Test data for approvals: a campaign with one collaboration, and its portal link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from grassroots.campaigns.models import Collaboration
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.portal import links
from tests.campaigns.factory import make_campaign, make_creator

FIXED = "#ad Morning routine with the new serum: two drops, then moisturiser."
BARE = "Morning routine with the new serum: two drops, then moisturiser."


@dataclass(frozen=True)
class World:
    """One creator in one campaign of workspace 'Brand'."""

    creator_id: int
    campaign_id: int
    collaboration_id: int


def make_world(engine: Engine, ws: str = "Brand", handle: str = "ana.glow") -> World:
    """A creator, a campaign with them on the roster, and their collaboration."""
    creator_id = make_creator(engine, "Ana Glow", handle, ws=ws)
    campaign_id = make_campaign(engine, ws=ws, roster=[creator_id])
    with session_scope(engine) as s:
        collaboration_id = s.scalar(select(Collaboration.id).where(Collaboration.campaign_id == campaign_id))
        assert collaboration_id is not None
    return World(creator_id, campaign_id, collaboration_id)


def portal_token(engine: Engine, settings: Settings, collaboration_id: int, revoke: bool = False) -> str:
    """A portal link's token for the collaboration (revoked at once when asked)."""
    with session_scope(engine) as s:
        collaboration = s.get(Collaboration, collaboration_id)
        assert collaboration is not None
        link, token = links.issue(s, settings, collaboration, created_by="tester")
        if revoke:
            links.revoke(s, collaboration.workspace_id, link.id)
        return token
