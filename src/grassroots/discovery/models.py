"""Discovery tables: each creator's search profile, shortlists with their entries, and saved searches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class SearchProfile(WorkspaceScoped, Base):
    """What discovery knows of one creator: place, niches, stems for text search and the content vector.

    Rebuilt by ``discovery.service.refresh_profiles`` when a creator's accounts or posts change; the vector
    (float16, 384 values) is kept here so the index file can always be rebuilt from the database.
    """

    __tablename__ = "search_profile"
    __table_args__ = (Index("ix_search_profile_ws_updated", "workspace_id", "updated_at"),)

    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    city: Mapped[str | None] = mapped_column(String(100))  # lowercased
    niches: Mapped[list[str]] = mapped_column(JSON, default=list)  # up to three taxonomy keys, best first
    niche_scores: Mapped[list[float]] = mapped_column(JSON, default=list)
    hashtags: Mapped[list[str]] = mapped_column(JSON, default=list)  # most used first, at most 30
    stems: Mapped[str] = mapped_column(Text, default="")  # distinct stems of bio, captions and hashtags
    last_post_at: Mapped[datetime | None]
    sponsored_share: Mapped[float] = mapped_column(Float, default=0.0)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    growth_30d: Mapped[float | None] = mapped_column(Float)  # follower change over the last 30 days, a fraction
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    text_key: Mapped[str | None] = mapped_column(String(40))  # sha1 of the embedded text: unchanged text, no re-embed
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Shortlist(WorkspaceScoped, Base):
    """A named list of creators a brand is considering."""

    __tablename__ = "shortlist"
    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_shortlist_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShortlistEntry(WorkspaceScoped, Base):
    """A creator on a shortlist, with the brand's note and tags."""

    __tablename__ = "shortlist_entry"
    __table_args__ = (UniqueConstraint("shortlist_id", "creator_id", name="uq_shortlist_creator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlist.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedSearch(WorkspaceScoped, Base):
    """A search kept under a name: its query string, replayed as is."""

    __tablename__ = "saved_search"
    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_saved_search_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(Text)  # the URL query string of the search page
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
