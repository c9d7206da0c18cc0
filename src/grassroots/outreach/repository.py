"""Queries of the outreach pages and jobs: drafts, messages, replies, templates, recent posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Collaboration
from grassroots.creators.models import Creator, Post, SocialAccount
from grassroots.jobs.models import Job, JobStatus
from grassroots.outreach.models import (
    CampaignOutreach,
    DraftStatus,
    MessageStatus,
    OptOut,
    OutboundMessage,
    OutreachDraft,
    OutreachTemplate,
    Reply,
)


def recent_posts(session: Session, creator_id: int, since: datetime, limit: int = 10) -> list[Post]:
    """The creator's posts since ``since``, newest first."""
    accounts = select(SocialAccount.id).where(SocialAccount.creator_id == creator_id)
    stmt = (
        select(Post)
        .where(Post.account_id.in_(accounts), Post.posted_at >= since)
        .order_by(Post.posted_at.desc(), Post.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def account_language(session: Session, creator_id: int) -> str | None:
    """The language of the creator's largest account that has one."""
    stmt = (
        select(SocialAccount.language)
        .where(SocialAccount.creator_id == creator_id, SocialAccount.language.is_not(None))
        .order_by(SocialAccount.followers.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def templates(session: Session, workspace_id: int) -> list[OutreachTemplate]:
    """The workspace's own wordings."""
    stmt = select(OutreachTemplate).where(OutreachTemplate.workspace_id == workspace_id)
    return list(session.scalars(stmt.order_by(OutreachTemplate.kind, OutreachTemplate.language)))


def template(session: Session, workspace_id: int, kind: str, language: str) -> OutreachTemplate | None:
    """One stored wording."""
    stmt = select(OutreachTemplate).where(
        OutreachTemplate.workspace_id == workspace_id,
        OutreachTemplate.kind == kind,
        OutreachTemplate.language == language,
    )
    return session.scalar(stmt)


def open_intro(session: Session, workspace_id: int, collaboration_id: int) -> OutreachDraft | None:
    """A first-message draft of the collaboration still waiting for review."""
    stmt = select(OutreachDraft).where(
        OutreachDraft.workspace_id == workspace_id,
        OutreachDraft.collaboration_id == collaboration_id,
        OutreachDraft.kind == "intro",
        OutreachDraft.status == DraftStatus.draft,
    )
    return session.scalar(stmt.limit(1))


def drafts(
    session: Session,
    workspace_id: int,
    *,
    status: DraftStatus | None = None,
    collaboration_id: int | None = None,
    campaign_id: int | None = None,
    limit: int = 200,
) -> list[OutreachDraft]:
    """Drafts, oldest first (the review order)."""
    stmt = select(OutreachDraft).where(OutreachDraft.workspace_id == workspace_id)
    if status is not None:
        stmt = stmt.where(OutreachDraft.status == status)
    if collaboration_id is not None:
        stmt = stmt.where(OutreachDraft.collaboration_id == collaboration_id)
    if campaign_id is not None:
        collabs = select(Collaboration.id).where(Collaboration.campaign_id == campaign_id)
        stmt = stmt.where(OutreachDraft.collaboration_id.in_(collabs))
    return list(session.scalars(stmt.order_by(OutreachDraft.id).limit(limit)))


def draft_of_message(session: Session, message_id: int) -> OutreachDraft | None:
    """The draft a message was sent from."""
    return session.scalar(select(OutreachDraft).where(OutreachDraft.message_id == message_id))


def draft_counts(session: Session, workspace_id: int) -> dict[DraftStatus, int]:
    """Drafts by status."""
    stmt = (
        select(OutreachDraft.status, func.count())
        .where(OutreachDraft.workspace_id == workspace_id)
        .group_by(OutreachDraft.status)
    )
    return {DraftStatus(s): n for s, n in session.execute(stmt)}


def message_counts(session: Session, workspace_id: int) -> dict[MessageStatus, int]:
    """Messages by status."""
    stmt = (
        select(OutboundMessage.status, func.count())
        .where(OutboundMessage.workspace_id == workspace_id)
        .group_by(OutboundMessage.status)
    )
    return {MessageStatus(s): n for s, n in session.execute(stmt)}


def messages(
    session: Session,
    workspace_id: int,
    statuses: Sequence[MessageStatus] | None = None,
    *,
    ids: Sequence[int] | None = None,
    limit: int = 100,
) -> list[OutboundMessage]:
    """Messages, newest first."""
    stmt = select(OutboundMessage).where(OutboundMessage.workspace_id == workspace_id)
    if statuses is not None:
        stmt = stmt.where(OutboundMessage.status.in_(list(statuses)))
    if ids is not None:
        stmt = stmt.where(OutboundMessage.id.in_(list(ids)))
    return list(session.scalars(stmt.order_by(OutboundMessage.id.desc()).limit(limit)))


def replies(
    session: Session, workspace_id: int, *, collaboration_id: int | None = None, limit: int = 100
) -> list[Reply]:
    """Replies, newest first."""
    stmt = select(Reply).where(Reply.workspace_id == workspace_id)
    if collaboration_id is not None:
        stmt = stmt.where(Reply.collaboration_id == collaboration_id)
    return list(session.scalars(stmt.order_by(Reply.received_at.desc(), Reply.id.desc()).limit(limit)))


def reply_count(session: Session, workspace_id: int) -> int:
    """How many replies the workspace has."""
    stmt = select(func.count()).select_from(Reply).where(Reply.workspace_id == workspace_id)
    return session.scalar(stmt) or 0


def replied(session: Session, workspace_id: int, creator_id: int, collaboration_id: int) -> bool:
    """Whether the creator answered in this collaboration, or at all since it was first written to."""
    first = select(func.min(OutreachDraft.decided_at)).where(
        OutreachDraft.collaboration_id == collaboration_id, OutreachDraft.status == DraftStatus.sent
    )
    stmt = select(Reply.id).where(
        Reply.workspace_id == workspace_id,
        Reply.creator_id == creator_id,
        (Reply.collaboration_id == collaboration_id) | (Reply.received_at >= first.scalar_subquery()),
    )
    return session.scalar(stmt.limit(1)) is not None


def opt_out_of(session: Session, workspace_id: int, email: str | None) -> OptOut | None:
    """The opt-out of an address, if it asked."""
    if not email:
        return None
    stmt = select(OptOut).where(OptOut.workspace_id == workspace_id, OptOut.email == email.strip().lower())
    return session.scalar(stmt)


def campaign_limit(session: Session, campaign_id: int) -> CampaignOutreach | None:
    """A campaign's own follow-up limit."""
    return session.scalar(select(CampaignOutreach).where(CampaignOutreach.campaign_id == campaign_id))


def messages_by_ids(session: Session, workspace_ids: Sequence[str]) -> list[OutboundMessage]:
    """Messages whose Message-ID header is one of these (any workspace: a reply names its own)."""
    return list(session.scalars(select(OutboundMessage).where(OutboundMessage.message_id.in_(list(workspace_ids)))))


def creators_written_at(session: Session, address: str) -> list[tuple[int, int]]:
    """(workspace, creator) pairs whose creator has this address and was sent a message at it."""
    address = address.strip().lower()
    sent = select(OutboundMessage.id).where(
        OutboundMessage.creator_id == Creator.id,
        func.lower(OutboundMessage.to_email) == address,
        OutboundMessage.status == MessageStatus.sent,
    )
    stmt = select(Creator.workspace_id, Creator.id).where(func.lower(Creator.email) == address, sent.exists())
    return [(w, c) for w, c in session.execute(stmt.order_by(Creator.id))]


def reply_known(session: Session, workspace_id: int, rfc_message_id: str) -> bool:
    """Whether this mail was already recorded as a reply in the workspace."""
    stmt = select(Reply.id).where(Reply.workspace_id == workspace_id, Reply.rfc_message_id == rfc_message_id)
    return session.scalar(stmt) is not None


def last_collaboration(session: Session, workspace_id: int, creator_id: int) -> int | None:
    """The creator's collaboration last written to (by a sent draft)."""
    stmt = (
        select(OutreachDraft.collaboration_id)
        .where(
            OutreachDraft.workspace_id == workspace_id,
            OutreachDraft.creator_id == creator_id,
            OutreachDraft.status == DraftStatus.sent,
        )
        .order_by(OutreachDraft.id.desc())
    )
    return session.scalar(stmt.limit(1))


def creators_by_id(session: Session, workspace_id: int, ids: Sequence[int]) -> dict[int, Creator]:
    """The workspace's creators among these ids."""
    if not ids:
        return {}
    stmt = select(Creator).where(Creator.workspace_id == workspace_id, Creator.id.in_(sorted(set(ids))))
    return {c.id: c for c in session.scalars(stmt)}


def collaborations_by_id(session: Session, workspace_id: int, ids: Sequence[int]) -> dict[int, Collaboration]:
    """The workspace's collaborations among these ids."""
    if not ids:
        return {}
    stmt = select(Collaboration).where(Collaboration.workspace_id == workspace_id, Collaboration.id.in_(set(ids)))
    return {c.id: c for c in session.scalars(stmt)}


def opted_out_addresses(session: Session, workspace_id: int, emails: Sequence[str]) -> set[str]:
    """Which of these addresses opted out (lowercased)."""
    wanted = sorted({e.strip().lower() for e in emails if e})
    if not wanted:
        return set()
    stmt = select(OptOut.email).where(OptOut.workspace_id == workspace_id, OptOut.email.in_(wanted))
    return set(session.scalars(stmt))


def pending_job(session: Session, kind: str) -> bool:
    """Whether a job of this kind is queued or running."""
    stmt = select(Job.id).where(Job.kind == kind, Job.status.in_((JobStatus.queued, JobStatus.running)))
    return session.scalar(stmt.limit(1)) is not None
