"""The creator's side of approvals, reached through a portal link: their drafts, the brand's comments, a new version.

The token opens exactly one collaboration (``portal.links.open_link``); everything here is scoped to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from grassroots.approvals import checks, service
from grassroots.approvals.schemas import DraftOut, VersionIn
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign
from grassroots.config import Settings
from grassroots.creators.models import Creator
from grassroots.portal.links import Opened, open_link
from grassroots.workspaces.models import Workspace


@dataclass(frozen=True)
class PortalContent:
    """What the portal's Content page shows."""

    brand_name: str
    creator_name: str
    campaign_name: str
    expected: str
    drafts: list[DraftOut]


def _creator_actor(session: Session, opened: Opened) -> Actor:
    creator = session.get(Creator, opened.collaboration.creator_id)
    return Actor(f"{creator.display_name if creator else 'The creator'} (portal)")


def content(session: Session, settings: Settings, token: str) -> PortalContent:
    """The collaboration's drafts with every version, check and comment (404 for a bad token)."""
    opened = open_link(session, settings, token)
    collaboration = opened.collaboration
    workspace = session.get(Workspace, opened.workspace_id)
    campaign = session.get(Campaign, collaboration.campaign_id)
    creator = session.get(Creator, collaboration.creator_id)
    wording = checks.mandatory_wording(session, opened.workspace_id, collaboration.id) or checks.DEFAULT_WORDING
    return PortalContent(
        brand_name=workspace.name if workspace else "",
        creator_name=creator.display_name if creator else "",
        campaign_name=campaign.name if campaign else "",
        expected=wording,
        drafts=service.drafts_of(session, opened.workspace_id, collaboration.id),
    )


def brand_name(session: Session, settings: Settings, token: str) -> str:
    """The brand a valid token belongs to (404 otherwise), for pages that fail before ``content``."""
    workspace = session.get(Workspace, open_link(session, settings, token).workspace_id)
    return workspace.name if workspace else ""


def submit(session: Session, settings: Settings, token: str, data: VersionIn) -> tuple[str, int, str | None]:
    """Submit a version from the portal: the draft's title, the version number and why it cannot be approved."""
    opened = open_link(session, settings, token)
    version = service.submit(session, opened.workspace_id, opened.collaboration.id, data,
                             _creator_actor(session, opened), via="portal", from_creator=True)  # fmt: skip
    title = service.require_draft(session, opened.workspace_id, version.draft_id).title
    return title, version.number, version.blocked_reason
