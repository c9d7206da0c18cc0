"""Outgoing messages (each its own idempotency record) and opt-outs."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class MessageStatus(enum.StrEnum):
    """A message's delivery state; ``sending`` is written (committed) before the SMTP call."""

    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    bounced = "bounced"
    blocked_opt_out = "blocked_opt_out"


class OutboundMessage(WorkspaceScoped, Base):
    """One email to one person: rendered once, sent at most once per idempotency key."""

    __tablename__ = "outbound_message"
    __table_args__ = (
        UniqueConstraint("workspace_id", "idempotency_key", name="uq_outbound_message_key"),
        Index("ix_outbound_message_status_sent", "workspace_id", "status", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    creator_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("creator.id", ondelete="SET NULL"), nullable=True, index=True
    )
    to_email: Mapped[str] = mapped_column(String(320))
    from_email: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Deterministic per message: a resend after a crash carries the same Message-ID (see docs/outreach.md).
    message_id: Mapped[str] = mapped_column(String(300))
    status: Mapped[MessageStatus] = mapped_column(
        Enum(MessageStatus, native_enum=False, length=20), default=MessageStatus.queued
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sending_at: Mapped[datetime | None] = mapped_column(nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)


class OptOut(WorkspaceScoped, Base):
    """Someone asked this workspace to stop writing: every send path refuses their address."""

    __tablename__ = "opt_out"
    __table_args__ = (UniqueConstraint("workspace_id", "email", name="uq_opt_out_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))  # lowercased
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    how: Mapped[str] = mapped_column(String(40))  # one-click, link, mailto, by hand


class Touchpoint(WorkspaceScoped, Base):
    """One thing that happened between the brand and a creator, for the creator's timeline: a message sent or
    received, an offer accepted, an agreement signed, a gift shipped, a draft approved, a payment made."""

    __tablename__ = "touchpoint"
    __table_args__ = (Index("ix_touchpoint_creator_at", "workspace_id", "creator_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(Integer, ForeignKey("creator.id", ondelete="CASCADE"))
    collaboration_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("collaboration.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(40))  # e.g. email_sent, reply, accepted, signed, gift_shipped
    summary: Mapped[str] = mapped_column(String(500))
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    url: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # a page in the app, http(s) only
    actor: Mapped[str] = mapped_column(String(200))  # a user's email, "creator (portal)", "system"
    ref_type: Mapped[str | None] = mapped_column(String(40), nullable=True)  # the row behind it, if any
    ref_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


# --- drafts, templates, replies and follow-up limits (docs/outreach.md: "Drafts, follow-ups and replies") ---


class DraftKind(enum.StrEnum):
    """A first message, or a follow-up to one that got no reply."""

    intro = "intro"
    follow_up = "follow_up"

    @property
    def label(self) -> str:
        """'follow_up' -> 'Follow-up'."""
        return "Follow-up" if self is DraftKind.follow_up else "First message"


class DraftStatus(enum.StrEnum):
    """A draft waits for a person: sent (queued as a message) or skipped, never sent by itself."""

    draft = "draft"
    sent = "sent"
    skipped = "skipped"


class OutreachTemplate(WorkspaceScoped, Base):
    """A workspace's own wording of a message kind in one language (built-in wording when there is none)."""

    __tablename__ = "outreach_template"
    __table_args__ = (UniqueConstraint("workspace_id", "kind", "language", name="uq_outreach_template"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DraftKind] = mapped_column(Enum(DraftKind, native_enum=False, length=20))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutreachDraft(WorkspaceScoped, Base):
    """A personal message for one collaboration, editable until a person presses send (or skips it)."""

    __tablename__ = "outreach_draft"
    __table_args__ = (
        Index("ix_outreach_draft_status", "workspace_id", "status", "id"),
        # A follow-up is drafted once per message it follows up (the scheduled job may run again after a crash).
        UniqueConstraint("workspace_id", "follows_up_message_id", name="uq_outreach_draft_follow_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("collaboration.id", ondelete="CASCADE"), index=True
    )
    creator_id: Mapped[int] = mapped_column(Integer, ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DraftKind] = mapped_column(Enum(DraftKind, native_enum=False, length=20))
    status: Mapped[DraftStatus] = mapped_column(
        Enum(DraftStatus, native_enum=False, length=20), default=DraftStatus.draft
    )
    to_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    # Why the draft reads as it does: "written in English: no Polish wording yet", "no recent post".
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    post_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("post.id", ondelete="SET NULL"), nullable=True)
    post_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    portal_url: Mapped[str] = mapped_column(String(1000))  # must stay in the body: the creator answers there
    follows_up_message_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("outbound_message.id", ondelete="SET NULL"), nullable=True
    )
    follow_up_number: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("outbound_message.id", ondelete="SET NULL"), nullable=True
    )
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Reply(WorkspaceScoped, Base):
    """A creator answered: read from the mailbox (IMAP) or logged by hand. Follow-ups stop at the first one."""

    __tablename__ = "outreach_reply"
    __table_args__ = (
        UniqueConstraint("workspace_id", "rfc_message_id", name="uq_outreach_reply_message"),
        Index("ix_outreach_reply_creator", "workspace_id", "creator_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(Integer, ForeignKey("creator.id", ondelete="CASCADE"))
    collaboration_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("collaboration.id", ondelete="SET NULL"), nullable=True
    )
    outbound_message_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("outbound_message.id", ondelete="SET NULL"), nullable=True, index=True
    )
    source: Mapped[str] = mapped_column(String(20))  # imap, by_hand
    matched_by: Mapped[str] = mapped_column(String(20))  # in_reply_to, references, from_address, by_hand
    from_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    subject: Mapped[str | None] = mapped_column(String(500), nullable=True)
    snippet: Mapped[str | None] = mapped_column(Text, nullable=True)
    rfc_message_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    logged_by: Mapped[str] = mapped_column(String(320))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignOutreach(WorkspaceScoped, Base):
    """A campaign's outreach limits (the wait before a follow-up is the campaign's own ``follow_up_days``)."""

    __tablename__ = "campaign_outreach"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(Integer, ForeignKey("campaign.id", ondelete="CASCADE"), unique=True)
    max_follow_ups: Mapped[int] = mapped_column(Integer)


class ImapSeen(Base):
    """A mailbox message already read (installation-wide, like the IMAP settings): never processed twice."""

    __tablename__ = "imap_seen"
    __table_args__ = (UniqueConstraint("mailbox", "uid_validity", "uid", name="uq_imap_seen_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The workspace the message was a reply for (None: it matched no message or creator).
    workspace_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=True, index=True
    )
    mailbox: Mapped[str] = mapped_column(String(400))  # user@host/folder
    # IMAP UIDs are unsigned 32-bit numbers.
    uid_validity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(40))  # recorded, unmatched, duplicate
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
