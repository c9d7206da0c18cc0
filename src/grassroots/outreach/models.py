"""Outgoing messages (each its own idempotency record) and opt-outs."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
