"""Workspace, User, ApiToken and LoginAttempt tables."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class Role(enum.StrEnum):
    """What a user may do in a workspace: owners and managers write, viewers read."""

    owner = "owner"
    manager = "manager"
    viewer = "viewer"

    @property
    def can_write(self) -> bool:
        """Whether this role may change data."""
        return self is not Role.viewer


class Workspace(Base):
    """A brand: everything a brand owns hangs off its workspace."""

    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    niche: Mapped[str | None] = mapped_column(String(200))
    values: Mapped[str | None] = mapped_column(Text)
    tone: Mapped[str | None] = mapped_column(String(200))
    # Categories the brand will not stand next to (keys of grassroots.judgments.language.fit.EXCLUSION_RULES).
    banned_categories: Mapped[list[str] | None] = mapped_column(JSON)
    # The brand's own handles without "@" (e.g. "dewdrop.skin"): mentions of them find natural advocates.
    brand_handles: Mapped[list[str] | None] = mapped_column(JSON)
    is_synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(WorkspaceScoped, Base):
    """A person who signs in to one workspace with a role."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Stored in the session cookie at sign-in; bumping it (sign-out, password change) ends every session.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    workspace: Mapped[Workspace] = relationship(lazy="joined")


class ApiToken(WorkspaceScoped, Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime | None]  # None: valid until revoked

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """A failed sign-in, counted per account (email) and per client IP to throttle password guessing.

    Rows are keyed by what was tried, not by workspace: ``workspace_id`` is only set when the email belongs to
    a user, so an owner's account can be audited; rows older than the throttle window are pruned.
    """

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_key", "kind", "key", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "account" or "ip"
    key: Mapped[str] = mapped_column(String(320))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    workspace_id: Mapped[int | None] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
