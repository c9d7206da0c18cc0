"""What a creator does through the portal link: read the offer and answer it, read the brief, sign the agreement.

Every function takes the :class:`Portal` a valid token opened, so nothing here can reach another collaboration.
Every action is a touchpoint on the creator's timeline; accepting or declining also moves the collaboration (with a
line in its audit trail by "creator (portal)").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.agreements import service as agreements
from grassroots.agreements.documents import AgreementFields, BriefFields
from grassroots.agreements.models import DocumentKind, DocumentVersion, Signature
from grassroots.agreements.service import Context
from grassroots.campaigns import audit
from grassroots.campaigns.models import Stage
from grassroots.campaigns.pipeline import effective_terms
from grassroots.campaigns.schemas import Terms
from grassroots.config import Settings
from grassroots.errors import Conflict, InvalidInput
from grassroots.outreach import timeline
from grassroots.portal import links
from grassroots.portal.links import Opened
from grassroots.portal.models import Decision, OfferResponse

CREATOR = audit.Actor("creator (portal)")
# Before the work starts a creator may still change their answer; after that it is a conversation, not a button.
OPEN_STAGES = {Stage.prospect, Stage.contacted, Stage.replied, Stage.agreed, Stage.declined, Stage.paused}
NOTE_MAX = 2000


@dataclass(frozen=True)
class Portal:
    """A valid link and the collaboration it opens, with what its pages name."""

    opened: Opened
    ctx: Context

    @property
    def workspace_id(self) -> int:
        return self.opened.workspace_id

    @property
    def collaboration_id(self) -> int:
        return self.opened.collaboration.id


def open_portal(session: Session, settings: Settings, token: str) -> Portal:
    """The portal a token opens; :class:`links.LinkInvalid` (404) for a forged, expired or revoked one."""
    opened = links.open_link(session, settings, token)
    return Portal(opened, agreements.context(session, opened.workspace_id, opened.collaboration.id))


def touch(session: Session, portal: Portal, kind: str, summary: str, ref: tuple[str, int] | None = None) -> None:
    """One touchpoint on the creator's timeline, by the creator through the portal."""
    timeline.record(session, workspace_id=portal.workspace_id, creator_id=portal.ctx.creator.id, kind=kind,
                    summary=summary, actor=CREATOR.name, collaboration_id=portal.collaboration_id, ref=ref)  # fmt: skip


@dataclass(frozen=True)
class Offer:
    """The offer page: the campaign, what the creator gets, what is asked, and their answer so far."""

    terms: Terms
    currency: str
    deliverables: list[str]
    response: OfferResponse | None
    can_answer: bool


def latest_response(session: Session, workspace_id: int, collaboration_id: int) -> OfferResponse | None:
    """The creator's newest answer."""
    query = select(OfferResponse).where(
        OfferResponse.workspace_id == workspace_id, OfferResponse.collaboration_id == collaboration_id
    )
    return session.scalar(query.order_by(OfferResponse.id.desc()).limit(1))


def offer(session: Session, portal: Portal) -> Offer:
    """What the offer page shows."""
    agreement = agreements.draft(session, portal.ctx, DocumentKind.agreement)
    assert isinstance(agreement, AgreementFields)
    ctx = portal.ctx
    return Offer(effective_terms(ctx.campaign, ctx.collaboration), ctx.campaign.currency, agreement.deliverables,
                 latest_response(session, portal.workspace_id, portal.collaboration_id),
                 ctx.collaboration.stage in OPEN_STAGES)  # fmt: skip


def respond(session: Session, portal: Portal, decision: str, note: str, now: datetime | None = None) -> OfferResponse:
    """Accept or decline the offer (with an optional note); moves the collaboration to agreed or declined."""
    if decision not in {d.value for d in Decision}:
        raise InvalidInput("Choose accept or decline.", {"decision": "choose accept or decline"})
    if len(note) > NOTE_MAX:
        raise InvalidInput("The note is too long.", {"note": f"keep it under {NOTE_MAX} characters"})
    collab = portal.ctx.collaboration
    if collab.stage not in OPEN_STAGES:
        raise Conflict("Your collaboration is already under way: write to the brand to change anything.")
    answer = Decision(decision)
    response = OfferResponse(workspace_id=portal.workspace_id, collaboration_id=collab.id, decision=answer,
                             note=note.strip() or None)  # fmt: skip
    if now is not None:
        response.responded_at = now
    session.add(response)
    session.flush()
    stage = Stage.agreed if answer is Decision.accepted else Stage.declined
    audit.record(session, collab, stage, CREATOR, note=f"{answer.value} in the portal", at=now)
    summary = f"{answer.value.capitalize()} the offer for {portal.ctx.campaign.name}"
    touch(session, portal, answer.value, summary + (f": “{response.note[:200]}”" if response.note else ""),
          ("offer_response", response.id))  # fmt: skip
    return response


@dataclass(frozen=True)
class Documents:
    """The brief and agreement page: the newest versions and whether the agreement is signed."""

    brief: DocumentVersion | None
    brief_fields: BriefFields | None
    agreement: DocumentVersion | None
    signature: Signature | None
    earlier: list[Signature]


def documents(session: Session, portal: Portal) -> Documents:
    """The newest brief and agreement, and the signatures of this collaboration."""
    ws, collab = portal.workspace_id, portal.collaboration_id
    brief = agreements.latest(session, ws, collab, DocumentKind.brief)
    agreement = agreements.latest(session, ws, collab, DocumentKind.agreement)
    signature = agreements.signature_of(session, agreement) if agreement else None
    earlier = [s for s in agreements.signatures(session, ws, collab) if signature is None or s.id != signature.id]
    fields = agreements.fields_of(brief) if brief else None
    assert fields is None or isinstance(fields, BriefFields)
    return Documents(brief, fields, agreement, signature, earlier)


def sign(
    session: Session, portal: Portal, version_id: int, *, name: str, consent: bool, ip: str, user_agent: str
) -> Signature:
    """Sign the newest agreement version (see :func:`grassroots.agreements.service.sign`)."""
    return agreements.sign(session, portal.workspace_id, portal.collaboration_id, version_id, name=name,
                           consent=consent, ip=ip, user_agent=user_agent)  # fmt: skip


def document_pdf(session: Session, portal: Portal, version_id: int) -> tuple[bytes, str]:
    """A version of this collaboration's documents as a PDF (the signed copy when signed)."""
    return agreements.version_pdf(session, portal.workspace_id, portal.collaboration_id, version_id)
