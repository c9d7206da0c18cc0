"""Creator, SocialAccount, Post, Comment and FollowerSnapshot tables."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Enum, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class Platform(enum.StrEnum):
    """Where an account lives."""

    instagram = "instagram"
    tiktok = "tiktok"
    youtube = "youtube"
    other = "other"


class PostKind(enum.StrEnum):
    """The format of a post; video engagement is measured over views."""

    image = "image"
    carousel = "carousel"
    video = "video"
    reel = "reel"
    short = "short"
    story = "story"
    other = "other"


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=20)


class Creator(WorkspaceScoped, Base):
    """A person the brand may work with; summary columns are denormalised for fast lists."""

    __tablename__ = "creator"
    __table_args__ = (
        # Covering indexes: the list's COUNT(*) reads only the index (benchmarks/web_latency.py).
        Index(
            "ix_creator_ws_followers", "workspace_id", "followers", "id", "engagement_rate", "platforms", "credibility"
        ),
        Index("ix_creator_ws_er", "workspace_id", "engagement_rate", "id", "followers"),
        Index("ix_creator_ws_handle", "workspace_id", "primary_handle", "id"),
        Index("ix_creator_ws_credibility", "workspace_id", "credibility", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    # Lowercased location: a plain LIKE on it is case-insensitive for every script without lower() per row.
    location_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    language: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    notes: Mapped[str | None] = mapped_column(Text)
    # Summary of the largest account, refreshed by creators.service.refresh_summaries.
    primary_platform: Mapped[Platform | None] = mapped_column(_enum(Platform))
    primary_handle: Mapped[str] = mapped_column(String(200), default="")
    followers: Mapped[int] = mapped_column(Integer, default=0)
    engagement_rate: Mapped[float] = mapped_column(Float, default=0.0)
    platforms: Mapped[str] = mapped_column(String(100), default="")
    # Latest credibility of the primary account (vetting); -1 until vetted, so sorting and cursors stay simple.
    credibility: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    accounts: Mapped[list[SocialAccount]] = relationship(
        back_populates="creator", cascade="all, delete-orphan", order_by="SocialAccount.followers.desc()"
    )


class SocialAccount(WorkspaceScoped, Base):
    """One handle on one platform."""

    __tablename__ = "social_account"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "handle", name="uq_account_handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform))
    handle: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    bio: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(20))
    followers: Mapped[int] = mapped_column(Integer, default=0)
    following: Mapped[int | None] = mapped_column(Integer)
    posts_count: Mapped[int | None] = mapped_column(Integer)
    verified: Mapped[bool] = mapped_column(default=False)
    is_business: Mapped[bool] = mapped_column(default=False)
    has_profile_picture: Mapped[bool | None]
    external_id: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(500))
    engagement_rate: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    creator: Mapped[Creator] = relationship(back_populates="accounts")


class Post(WorkspaceScoped, Base):
    """A post, reel or video with its public counts."""

    __tablename__ = "post"
    __table_args__ = (
        Index("ix_post_account_posted", "account_id", "posted_at"),
        UniqueConstraint("account_id", "external_id", name="uq_post_external"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_account.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[PostKind] = mapped_column(_enum(PostKind), default=PostKind.image)
    caption: Mapped[str] = mapped_column(Text, default="")
    hashtags: Mapped[list[str]] = mapped_column(JSON, default=list)
    mentions: Mapped[list[str]] = mapped_column(JSON, default=list)
    sponsored: Mapped[bool] = mapped_column(default=False)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int | None] = mapped_column(Integer)
    saves: Mapped[int | None] = mapped_column(Integer)
    shares: Mapped[int | None] = mapped_column(Integer)
    posted_at: Mapped[datetime]
    url: Mapped[str | None] = mapped_column(String(500))


class Comment(WorkspaceScoped, Base):
    """A comment under a post."""

    __tablename__ = "comment"
    # Pod detection looks up everyone a commenter also comments on.
    __table_args__ = (
        Index("ix_comment_ws_author", "workspace_id", "author_handle"),
        UniqueConstraint("post_id", "external_id", name="uq_comment_external"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    author_handle: Mapped[str] = mapped_column(String(200))
    author_has_avatar: Mapped[bool | None]
    text: Mapped[str] = mapped_column(Text)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    posted_at: Mapped[datetime]


class FollowerSnapshot(WorkspaceScoped, Base):
    """Followers and following of an account on one day; growth history accumulates."""

    __tablename__ = "follower_snapshot"
    __table_args__ = (UniqueConstraint("account_id", "day", name="uq_snapshot_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_account.id", ondelete="CASCADE"))
    day: Mapped[date]
    followers: Mapped[int] = mapped_column(Integer)
    following: Mapped[int | None] = mapped_column(Integer)
