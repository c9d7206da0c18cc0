"""Connection, SyncState, SyncRun and WebhookDelivery tables."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class ConnectionStatus(enum.StrEnum):
    """Whether a connection can sync."""

    active = "active"
    auth_failed = "auth_failed"  # the provider rejected the token: reconnect
    disabled = "disabled"


class RunStatus(enum.StrEnum):
    """How a sync run ended."""

    running = "running"
    ok = "ok"
    partial = "partial"  # some pages were stored, then an error stopped the run; the next run resumes
    failed = "failed"
    quota = "quota"  # stopped cleanly at the provider's quota; the next run resumes


class Connection(WorkspaceScoped, Base):
    """A connected provider account: encrypted secrets plus non-secret config (shop domain, ig user id…)."""

    __tablename__ = "connection"
    __table_args__ = (UniqueConstraint("workspace_id", "provider", "label", name="uq_connection_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    # Fernet token of a JSON object (connectors.credentials); never decrypted outside a sync or webhook.
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=ConnectionStatus.active.value)
    last_synced_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncState(WorkspaceScoped, Base):
    """The incremental cursor (page cursor, since-date, JSON) of one stream of a connection."""

    __tablename__ = "sync_state"
    __table_args__ = (UniqueConstraint("connection_id", "stream", name="uq_sync_state_stream"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connection.id", ondelete="CASCADE"))
    stream: Mapped[str] = mapped_column(String(200))
    cursor: Mapped[str] = mapped_column(String, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SyncRun(WorkspaceScoped, Base):
    """One run of one connection's sync, with its counts and every skipped item's reason."""

    __tablename__ = "sync_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connection.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.running.value)
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class WebhookDelivery(Base):
    """A verified webhook delivery, stored before it is answered: the inbox webhooks are processed from.

    Unique per connection: two workspaces' deliveries never collide on the provider's (small) delivery ids,
    and a delivery that failed is processed again when the provider retries it.
    """

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("provider", "connection_id", "delivery_id", name="uq_webhook_delivery"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    delivery_id: Mapped[str] = mapped_column(String(200))
    # Nullable for rows stored before deliveries were scoped to their connection.
    workspace_id: Mapped[int | None] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    connection_id: Mapped[int | None] = mapped_column(ForeignKey("connection.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(100), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="received")
    # What a queued delivery needs for later processing (Instagram: the fields used, not the whole body).
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)  # the raw signed body of a store delivery
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]
