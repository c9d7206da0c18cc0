"""Short links and the click log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class ShortLink(WorkspaceScoped, Base):
    """A tracked link ``/r/{slug}``: redirects to ``destination`` with UTM parameters and a first-party click id.
    The slug is unique across the server (the redirector has no workspace context)."""

    __tablename__ = "short_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    destination: Mapped[str] = mapped_column(Text)  # http(s) only
    creator_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("creator.id", ondelete="SET NULL"),
                                                   nullable=True, index=True)  # fmt: skip
    collaboration_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("collaboration.id", ondelete="SET NULL"), nullable=True, index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("campaign.id", ondelete="SET NULL"),
                                                    nullable=True, index=True)  # fmt: skip
    utm_source: Mapped[str | None] = mapped_column(String(200), nullable=True)
    utm_medium: Mapped[str | None] = mapped_column(String(200), nullable=True)
    utm_campaign: Mapped[str | None] = mapped_column(String(200), nullable=True)
    utm_content: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Click(WorkspaceScoped, Base):
    """One redirect answered, as flushed from the local click log (``click_id`` makes the flush idempotent).
    Bots and link-preview fetchers are kept and flagged, never dropped; IPs are stored only as salted hashes."""

    __tablename__ = "click"
    __table_args__ = (Index("ix_click_link_at", "link_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    click_id: Mapped[str] = mapped_column(String(40), unique=True)  # the first-party id appended as ?gr_click=
    link_id: Mapped[int] = mapped_column(Integer, ForeignKey("short_link.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    visitor: Mapped[str] = mapped_column(String(64))  # hash of (salted IP, user agent): unique visitors
    ip_hash: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500), nullable=True)
    referer: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    method: Mapped[str] = mapped_column(String(8), default="GET")
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    bot_reason: Mapped[str | None] = mapped_column(String(100), nullable=True)
