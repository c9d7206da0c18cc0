"""Labels the language judgments put on each comment (one row per comment, replaced when re-analysed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class CommentLabel(WorkspaceScoped, Base):
    """Sentiment, emotion, purchase intent, question type, request and language of one comment."""

    __tablename__ = "comment_label"
    __table_args__ = (Index("ix_comment_label_ws_intent", "workspace_id", "purchase_intent"),)

    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(10))
    sentiment_score: Mapped[float] = mapped_column(Float)
    emotion: Mapped[str] = mapped_column(String(10))
    purchase_intent: Mapped[str] = mapped_column(String(12))
    question_type: Mapped[str] = mapped_column(String(10))
    request: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str] = mapped_column(String(4))  # "full" (embeddings + lexical) or "fast" (lexical only)
    labelled_at: Mapped[datetime] = mapped_column(default=utcnow)
