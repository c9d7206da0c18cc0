"""Grants (encrypted tokens a creator gave) and the figures they shared.

A creator connects their own account from the portal; the grant keeps the platform's tokens as one Fernet token
(``connectors.credentials``), never in clear. Revoking deletes the tokens and the figures: the grant row stays as a
dated record that sharing happened and was withdrawn, holding nothing the creator took back.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class GrantStatus(enum.StrEnum):
    """Whether a grant can still be used."""

    active = "active"
    needs_reconnect = "needs_reconnect"  # the platform refused the token or the refresh: the creator reconnects
    revoked = "revoked"  # the creator stopped sharing: tokens and figures deleted


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=20)


class CreatorOAuthApp(WorkspaceScoped, Base):
    """The brand's own app on a platform (client id and encrypted secret) that creators authorise."""

    __tablename__ = "creator_oauth_app"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", name="uq_creator_oauth_app_platform"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    client_id: Mapped[str] = mapped_column(String(200))
    secret: Mapped[bytes] = mapped_column(LargeBinary)  # Fernet token of {"client_secret": ...}
    redirect_base: Mapped[str | None] = mapped_column(String(500), nullable=True)  # default: settings.base_url
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))


class CreatorGrant(WorkspaceScoped, Base):
    """One creator's authorisation of one platform account for one collaboration."""

    __tablename__ = "creator_grant"
    __table_args__ = (UniqueConstraint("collaboration_id", "platform", name="uq_creator_grant_platform"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(Integer, ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    collaboration_id: Mapped[int] = mapped_column(Integer, ForeignKey("collaboration.id", ondelete="CASCADE"))
    portal_link_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("portal_link.id", ondelete="SET NULL"), nullable=True
    )
    platform: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    account_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Fernet token of {"access_token", "refresh_token"}; NULL once revoked.
    secret: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    scopes: Mapped[str] = mapped_column(String(500), default="")
    token_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    refresh_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    status: Mapped[GrantStatus] = mapped_column(_enum(GrantStatus), default=GrantStatus.active)
    status_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    connected_at: Mapped[datetime] = mapped_column(default=utcnow)
    refreshed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class SharedInsight(WorkspaceScoped, Base):
    """The latest figures a grant fetched: audience breakdowns and the collaboration's posts' counts."""

    __tablename__ = "shared_insight"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(Integer, ForeignKey("creator_grant.id", ondelete="CASCADE"), unique=True)
    creator_id: Mapped[int] = mapped_column(Integer, ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    followers: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # {"country": {"US": 120, ...}, "city": {...}, "age": {...}, "gender": {...}}; unit says counts or percent.
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    audience_unit: Mapped[str] = mapped_column(String(20), default="count")
    # [{"id", "url", "posted_at", "reach", "saves", "shares", "views"}]
    posts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
