"""Campaign use cases: list, look up, roster (the full campaign workflow lands with its own issue)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.creators.models import Creator
from grassroots.errors import NotFound


def require_campaign(session: Session, workspace_id: int, campaign_id: int) -> Campaign:
    """A campaign of the workspace, or NotFound (404)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.workspace_id != workspace_id:
        raise NotFound(f"campaign {campaign_id} not found")
    return campaign


def roster(session: Session, campaign: Campaign) -> list[tuple[Creator, Collaboration]]:
    """The campaign's creators with their collaboration (stage), by name."""
    rows = session.execute(
        select(Creator, Collaboration)
        .join(Collaboration, Collaboration.creator_id == Creator.id)
        .where(Collaboration.campaign_id == campaign.id)
        .order_by(Creator.display_name)
    ).all()
    return [(c, k) for c, k in rows]


def list_campaigns(session: Session, workspace_id: int) -> list[Campaign]:
    """The workspace's campaigns, newest first."""
    stmt = select(Campaign).where(Campaign.workspace_id == workspace_id).order_by(Campaign.id.desc())
    return list(session.scalars(stmt))
