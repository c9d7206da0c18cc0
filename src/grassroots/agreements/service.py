"""Briefs and agreements: save versions, sign one, read the rights a signed agreement grants.

Every save writes a new immutable version (an unchanged save writes nothing). A signature covers one agreement
version: its hash is the SHA-256 of the version's stored text, and the signed PDF copy is kept with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.agreements import defaults, pdf
from grassroots.agreements.documents import (
    AgreementFields,
    BriefFields,
    Parties,
    agreement_text,
    as_form,
    brief_text,
    sha256,
)
from grassroots.agreements.models import DocumentKind, DocumentVersion, Signature
from grassroots.agreements.rights import UsageRights
from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.campaigns.service import require_collaboration
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow
from grassroots.errors import Conflict, InvalidInput, NotFound
from grassroots.outreach import timeline
from grassroots.tracking.models import PromoCode
from grassroots.workspaces.models import Workspace

Fields = BriefFields | AgreementFields
CREATOR = "creator (portal)"


@dataclass(frozen=True)
class Context:
    """A collaboration with what its documents name: the campaign, the creator and the brand."""

    collaboration: Collaboration
    campaign: Campaign
    creator: Creator
    brand: str

    @property
    def parties(self) -> Parties:
        """Who the documents are between."""
        return Parties(brand=self.brand, creator=self.creator.display_name, campaign=self.campaign.name)


def context(session: Session, workspace_id: int, collaboration_id: int) -> Context:
    """The collaboration of this workspace, or NotFound."""
    collab = session.get(Collaboration, collaboration_id)
    if collab is None or collab.workspace_id != workspace_id:
        raise NotFound(f"collaboration {collaboration_id} not found")
    campaign, creator = session.get(Campaign, collab.campaign_id), session.get(Creator, collab.creator_id)
    workspace = session.get(Workspace, workspace_id)
    assert campaign is not None and creator is not None and workspace is not None
    return Context(collab, campaign, creator, workspace.name)


def creator_codes(session: Session, workspace_id: int, creator_id: int) -> list[PromoCode]:
    """The creator's discount codes."""
    query = select(PromoCode).where(PromoCode.workspace_id == workspace_id, PromoCode.creator_id == creator_id)
    return list(session.scalars(query.order_by(PromoCode.code)))


def latest(session: Session, workspace_id: int, collaboration_id: int, kind: DocumentKind) -> DocumentVersion | None:
    """The newest version of a collaboration's brief or agreement."""
    query = select(DocumentVersion).where(
        DocumentVersion.workspace_id == workspace_id,
        DocumentVersion.collaboration_id == collaboration_id,
        DocumentVersion.kind == kind,
    )
    return session.scalar(query.order_by(DocumentVersion.number.desc()).limit(1))


def versions(session: Session, workspace_id: int, collaboration_id: int) -> list[DocumentVersion]:
    """Every version of both documents, newest first."""
    query = select(DocumentVersion).where(
        DocumentVersion.workspace_id == workspace_id, DocumentVersion.collaboration_id == collaboration_id
    )
    return list(session.scalars(query.order_by(DocumentVersion.kind, DocumentVersion.number.desc())))


def fields_of(version: DocumentVersion) -> Fields:
    """A stored version's fields, validated."""
    model = BriefFields if version.kind is DocumentKind.brief else AgreementFields
    return model.model_validate(version.fields)


def draft(session: Session, ctx: Context, kind: DocumentKind) -> Fields:
    """What the editor starts from: the newest version, else the campaign's defaults."""
    found = latest(session, ctx.campaign.workspace_id, ctx.collaboration.id, kind)
    if found is not None:
        return fields_of(found)
    if kind is DocumentKind.brief:
        codes = [c.code for c in creator_codes(session, ctx.campaign.workspace_id, ctx.creator.id)]
        return defaults.brief(ctx.campaign, ctx.collaboration, ctx.brand, codes)
    return defaults.agreement(ctx.campaign, ctx.collaboration, ctx.brand)


def save(
    session: Session, workspace_id: int, collaboration_id: int, fields: Fields, *, created_by: str
) -> tuple[DocumentVersion, bool]:
    """Write the next version (and whether one was written: saving the same fields again writes nothing)."""
    ctx = context(session, workspace_id, collaboration_id)
    kind = DocumentKind.brief if isinstance(fields, BriefFields) else DocumentKind.agreement
    previous = latest(session, workspace_id, collaboration_id, kind)
    stored = fields.model_dump(mode="json")
    if previous is not None and previous.fields == stored:
        return previous, False
    number = (previous.number if previous else 0) + 1
    if isinstance(fields, BriefFields):
        text = brief_text(fields, ctx.parties, number)
    else:
        text = agreement_text(fields, ctx.parties, number)
    version = DocumentVersion(workspace_id=workspace_id, collaboration_id=collaboration_id, kind=kind, number=number,
                              fields=stored, text=text, text_sha256=sha256(text), created_by=created_by[:320])  # fmt: skip
    session.add(version)
    session.flush()
    return version, True


def ensure_documents(session: Session, workspace_id: int, collaboration_id: int, *, created_by: str) -> None:
    """Version 1 of the brief and the agreement from the campaign's defaults, where none exists yet."""
    ctx = context(session, workspace_id, collaboration_id)
    for kind in DocumentKind:
        if latest(session, workspace_id, collaboration_id, kind) is None:
            save(session, workspace_id, collaboration_id, draft(session, ctx, kind), created_by=created_by)


def require_version(session: Session, workspace_id: int, collaboration_id: int, version_id: int) -> DocumentVersion:
    """One version of this collaboration's documents, or NotFound."""
    version = session.get(DocumentVersion, version_id)
    if version is None or version.workspace_id != workspace_id or version.collaboration_id != collaboration_id:
        raise NotFound("no such version of this collaboration's brief or agreement")
    return version


def signatures(session: Session, workspace_id: int, collaboration_id: int) -> list[Signature]:
    """The collaboration's signatures, newest first."""
    query = select(Signature).where(
        Signature.workspace_id == workspace_id, Signature.collaboration_id == collaboration_id
    )
    return list(session.scalars(query.order_by(Signature.signed_at.desc(), Signature.id.desc())))


def signature_of(session: Session, version: DocumentVersion) -> Signature | None:
    """The signature of a version, if it was signed."""
    return session.scalar(select(Signature).where(Signature.version_id == version.id))


def sign(
    session: Session,
    workspace_id: int,
    collaboration_id: int,
    version_id: int,
    *,
    name: str,
    consent: bool,
    ip: str,
    user_agent: str,
    now: datetime | None = None,
) -> Signature:
    """Sign the newest agreement version: the typed name, when, from where, and the hash of its exact text."""
    version = require_version(session, workspace_id, collaboration_id, version_id)
    newest = latest(session, workspace_id, collaboration_id, DocumentKind.agreement)
    if version.kind is not DocumentKind.agreement or newest is None or newest.id != version.id:
        raise Conflict("The agreement changed since this page was opened: read the new version and sign that.")
    if signature_of(session, version) is not None:
        raise Conflict(f"Version {version.number} of the agreement is signed already.")
    errors = {}
    name = " ".join(name.split())
    if not 2 <= len(name) <= 200:
        errors["signer_name"] = "type your full name"
    if not consent:
        errors["consent"] = "tick the box to agree"
    if errors:
        raise InvalidInput("The agreement was not signed.", errors)
    when = now or utcnow()
    text_hash = sha256(version.text)
    record = pdf.SignatureRecord(name=name, at=when, ip=ip[:64], user_agent=user_agent[:500], sha256=text_hash)
    copy = pdf.render(version.text, title=f"Agreement version {version.number}", signature=record)
    signature = Signature(workspace_id=workspace_id, collaboration_id=collaboration_id, version_id=version.id,
                          signer_name=name, signed_at=when, ip=record.ip, user_agent=record.user_agent,
                          text_sha256=text_hash, pdf=copy)  # fmt: skip
    session.add(signature)
    try:
        session.flush()
    except IntegrityError:  # two tabs signing the same version at once: the first one counts
        raise Conflict(f"Version {version.number} of the agreement is signed already.") from None
    collab = session.get(Collaboration, collaboration_id)
    assert collab is not None
    timeline.record(session, workspace_id=workspace_id, creator_id=collab.creator_id, kind="signed",
                    summary=f"Signed the agreement (version {version.number}) as {name}", actor=CREATOR,
                    collaboration_id=collaboration_id, ref=("agreement_signature", signature.id))  # fmt: skip
    return signature


def version_pdf(session: Session, workspace_id: int, collaboration_id: int, version_id: int) -> tuple[bytes, str]:
    """A version as a PDF, with its filename: the signed copy when it was signed."""
    version = require_version(session, workspace_id, collaboration_id, version_id)
    signed = signature_of(session, version)
    name = f"{version.kind.value}-{collaboration_id}-v{version.number}{'-signed' if signed else ''}.pdf"
    if signed is not None:
        return bytes(signed.pdf), name
    return pdf.render(version.text, title=f"{version.kind.label} version {version.number}"), name


def usage_rights(session: Session, workspace_id: int, collaboration_id: int) -> UsageRights | None:
    """The usage rights of the newest signed agreement version (None when nothing is signed)."""
    query = (
        select(DocumentVersion)
        .join(Signature, Signature.version_id == DocumentVersion.id)
        .where(
            DocumentVersion.workspace_id == workspace_id,
            DocumentVersion.collaboration_id == collaboration_id,
            DocumentVersion.kind == DocumentKind.agreement,
        )
        .order_by(DocumentVersion.number.desc())
        .limit(1)
    )
    version = session.scalar(query)
    if version is None:
        return None
    fields = AgreementFields.model_validate(version.fields)
    return UsageRights(agreement_version_id=version.id, channels=list(fields.channels), paid_usage=fields.paid_usage,
                       expires_on=fields.usage_expires_on, exclusivity=fields.exclusivity)  # fmt: skip


@dataclass(frozen=True)
class VersionRow:
    """One line of the version history."""

    version: DocumentVersion
    signature: Signature | None
    current: bool


@dataclass(frozen=True)
class Editor:
    """The manager's page: the boxes (from the newest versions or the defaults) and the history."""

    ctx: Context
    brief: dict[str, str]
    agreement: dict[str, str]
    history: list[VersionRow]


def editor(session: Session, workspace_id: int, campaign_id: int, collaboration_id: int) -> Editor:
    """The brief and agreement page of one collaboration of a campaign (NotFound for another workspace's)."""
    require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    ctx = context(session, workspace_id, collaboration_id)
    signed = {s.version_id: s for s in signatures(session, workspace_id, collaboration_id)}
    everything = versions(session, workspace_id, collaboration_id)
    newest = {k: max((v.number for v in everything if v.kind is k), default=0) for k in DocumentKind}
    rows = [VersionRow(v, signed.get(v.id), current=v.number == newest[v.kind]) for v in everything]
    brief, agreement = (as_form(draft(session, ctx, k)) for k in (DocumentKind.brief, DocumentKind.agreement))
    return Editor(ctx, brief, agreement, rows)


def save_for_campaign(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int, fields: Fields, *, created_by: str
) -> tuple[DocumentVersion, bool]:
    """:func:`save`, checking the collaboration belongs to the campaign in the page's address."""
    require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    return save(session, workspace_id, collaboration_id, fields, created_by=created_by)


def version_for_campaign(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int, version_id: int
) -> tuple[Context, DocumentVersion, Signature | None]:
    """One version to show the manager, with its signature."""
    require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    version = require_version(session, workspace_id, collaboration_id, version_id)
    return context(session, workspace_id, collaboration_id), version, signature_of(session, version)


def pdf_for_campaign(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int, version_id: int
) -> tuple[bytes, str]:
    """:func:`version_pdf`, checking the campaign."""
    require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    return version_pdf(session, workspace_id, collaboration_id, version_id)
