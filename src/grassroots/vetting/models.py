"""VettingReport: one dated credibility judgment per account, so history shows change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class VettingReport(WorkspaceScoped, Base):
    """Credibility 0–100 of an account on a day, with the signals and the reasons behind it."""

    __tablename__ = "vetting_report"
    __table_args__ = (
        UniqueConstraint("account_id", "day", name="uq_vetting_report_day"),
        Index("ix_vetting_report_creator_day", "creator_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_account.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"))
    day: Mapped[date]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    credibility: Mapped[int] = mapped_column(Integer)
    tier: Mapped[str] = mapped_column(String(20))
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    er_percentile: Mapped[float | None] = mapped_column(Float)
    authentic_share: Mapped[float | None] = mapped_column(Float)
    fake_probability: Mapped[float | None] = mapped_column(Float)
    unexplained_spikes: Mapped[int] = mapped_column(Integer, default=0)
    pod_id: Mapped[int | None] = mapped_column(Integer)
    sponsored_share: Mapped[float | None] = mapped_column(Float)
    paid_vs_organic: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
