"""The brand's side of the portal: issue, copy and revoke a collaboration's links; see what the creator did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.agreements import service as agreements
from grassroots.agreements.models import Signature
from grassroots.agreements.service import Context
from grassroots.campaigns.service import require_collaboration
from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.errors import NotFound
from grassroots.outreach import timeline
from grassroots.portal import links, payout
from grassroots.portal.addresses import shipping_address
from grassroots.portal.models import OfferResponse, PortalLink, ShippingAddress


@dataclass(frozen=True)
class LinkRow:
    """A link and its state; the address only while it still opens."""

    link: PortalLink
    state: str  # "active", "expired" or "revoked"
    url: str | None


@dataclass(frozen=True)
class PayoutView:
    """Payout details as the brand sees them: masked."""

    summary: str
    legal_name: str
    tax_id: str
    tax_country: str | None
    updated_at: datetime


@dataclass(frozen=True)
class Overview:
    """The portal page of one collaboration."""

    ctx: Context
    links: list[LinkRow]
    responses: list[OfferResponse]
    signatures: list[tuple[Signature, int]]  # each with the number of the version signed
    address: ShippingAddress | None
    payout: PayoutView | None


def _state(link: PortalLink, now: datetime) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if link.expires_at <= now else "active"


def overview(
    session: Session, settings: Settings, workspace_id: int, campaign_id: int, collaboration_id: int
) -> Overview:
    """Links, the creator's answers, signatures, address and (masked) payout details."""
    require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    ctx = agreements.context(session, workspace_id, collaboration_id)
    now = utcnow()
    rows = []
    for link in links.links_for(session, workspace_id, collaboration_id):
        state = _state(link, now)
        address = links.url(settings, links.token_for(settings, link)) if state == "active" else None
        rows.append(LinkRow(link, state, address))
    responses = list(
        session.scalars(
            select(OfferResponse)
            .where(OfferResponse.workspace_id == workspace_id, OfferResponse.collaboration_id == collaboration_id)
            .order_by(OfferResponse.id.desc())
        )
    )
    signed = [
        (s, agreements.require_version(session, workspace_id, collaboration_id, s.version_id).number)
        for s in agreements.signatures(session, workspace_id, collaboration_id)
    ]
    details = payout.payout_details(session, workspace_id, collaboration_id)
    view = None
    if details is not None:
        view = PayoutView(details.summary, payout.legal_name(settings, details), payout.masked_tax_id(settings, details),
                          details.tax_country, details.updated_at)  # fmt: skip
    return Overview(ctx, rows, responses, signed, shipping_address(session, workspace_id, collaboration_id), view)


def issue_link(
    session: Session, settings: Settings, workspace_id: int, campaign_id: int, collaboration_id: int, *, by: str
) -> str:
    """A new link (the brief and agreement get version 1 from the campaign first, if they have none); its URL."""
    collab = require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    agreements.ensure_documents(session, workspace_id, collaboration_id, created_by=by)
    link, token = links.issue(session, settings, collab, created_by=by)
    timeline.record(session, workspace_id=workspace_id, creator_id=collab.creator_id, kind="portal_link",
                    summary="Portal link created", actor=by, collaboration_id=collab.id,
                    ref=("portal_link", link.id))  # fmt: skip
    return links.url(settings, token)


def revoke_link(session: Session, workspace_id: int, campaign_id: int, collaboration_id: int, link_id: int) -> None:
    """Revoke a link of this collaboration (another collaboration's or workspace's link is not found)."""
    require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    if link_id not in {link.id for link in links.links_for(session, workspace_id, collaboration_id)}:
        raise NotFound("no such portal link for this collaboration")
    links.revoke(session, workspace_id, link_id)


def signature_pdf(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int, signature_id: int
) -> tuple[bytes, str]:
    """The signed PDF copy kept with a signature."""
    require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    found = next((s for s in agreements.signatures(session, workspace_id, collaboration_id) if s.id == signature_id),
                 None)  # fmt: skip
    if found is None:
        raise NotFound("no such signature for this collaboration")
    version = agreements.require_version(session, workspace_id, collaboration_id, found.version_id)
    return bytes(found.pdf), f"agreement-{collaboration_id}-v{version.number}-signed.pdf"
