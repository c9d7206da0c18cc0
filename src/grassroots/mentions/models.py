"""The brand's handling of each mention."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class MentionStatus(enum.StrEnum):
    """What the brand did about a post that mentions it."""

    none = "none"
    replied = "replied"
    liked = "liked"
    shared = "shared"

    @property
    def label(self) -> str:
        """'none' -> 'Not answered'."""
        return "Not answered" if self is MentionStatus.none else self.value.capitalize()


class Mention(WorkspaceScoped, Base):
    """A post that mentions the brand, once someone handled it or the reminder job flagged it as unanswered.

    Posts without a row are mentions nobody has touched yet (status none).
    """

    __tablename__ = "mention"
    __table_args__ = (UniqueConstraint("workspace_id", "post_id", name="uq_mention_post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(Integer, ForeignKey("post.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(Integer, ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    status: Mapped[MentionStatus] = mapped_column(
        Enum(MentionStatus, native_enum=False, length=20), default=MentionStatus.none
    )
    status_at: Mapped[datetime | None]
    status_by: Mapped[str | None] = mapped_column(String(200))
    # Set by the reminder job when the mention was still unanswered after the configured days.
    flagged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
