"""Content drafts, their versions and comments, and the UGC library."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=20)


class VersionStatus(enum.StrEnum):
    """Where one version of a draft stands; a newer submission supersedes a version still awaiting review."""

    awaiting_review = "awaiting_review"
    changes_requested = "changes_requested"
    approved = "approved"
    superseded = "superseded"

    @property
    def label(self) -> str:
        """'changes_requested' -> 'Changes requested'."""
        return self.value.replace("_", " ").capitalize()


class RightsStatus(enum.StrEnum):
    """Whether the creator granted usage rights in a signed agreement when the content was approved."""

    agreed = "agreed"
    not_agreed = "not_agreed"


class ContentDraft(WorkspaceScoped, Base):
    """One piece of content a collaboration owes (a reel, a story, a post), reviewed version by version."""

    __tablename__ = "content_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("collaboration.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContentVersion(WorkspaceScoped, Base):
    """One submission of a draft: the caption as checked, its media and post link, and the review outcome."""

    __tablename__ = "content_version"
    __table_args__ = (UniqueConstraint("draft_id", "number", name="uq_content_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(Integer, ForeignKey("content_draft.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(Text)
    media_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    post_url: Mapped[str | None] = mapped_column(String(1000))
    submitted_by: Mapped[str] = mapped_column(String(200))
    via: Mapped[str] = mapped_column(String(20))  # portal, page or api
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[VersionStatus] = mapped_column(_enum(VersionStatus), default=VersionStatus.awaiting_review)
    # The disclosure check, run when the version arrives (judgments/language/disclosure.py).
    disclosure: Mapped[str] = mapped_column(String(20))
    disclosure_reason: Mapped[str] = mapped_column(Text)
    expected_disclosure: Mapped[str] = mapped_column(String(200))
    blocked_reason: Mapped[str | None] = mapped_column(Text)  # set: approval is refused, and this says why
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))


class ContentComment(WorkspaceScoped, Base):
    """A note on a draft: the brand's (shown to the creator in the portal) or the creator's."""

    __tablename__ = "content_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(Integer, ForeignKey("content_draft.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("content_version.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200))
    from_creator: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(String(20))  # comment, changes, approval
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UgcItem(WorkspaceScoped, Base):
    """Approved content in the library, with the usage rights of the agreement at approval time."""

    __tablename__ = "ugc_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(Integer, ForeignKey("content_version.id", ondelete="CASCADE"), unique=True)
    collaboration_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("collaboration.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int] = mapped_column(Integer, ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(Integer, ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    caption: Mapped[str] = mapped_column(Text)
    media_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    post_url: Mapped[str | None] = mapped_column(String(1000))
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[str] = mapped_column(String(200))
    rights: Mapped[RightsStatus] = mapped_column(_enum(RightsStatus))
    agreement_version_id: Mapped[int | None] = mapped_column(Integer)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    paid_usage: Mapped[bool] = mapped_column(default=False)
    rights_expire_on: Mapped[date | None]
    exclusivity: Mapped[str | None] = mapped_column(Text)
