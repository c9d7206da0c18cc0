"""Campaign and Collaboration tables."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Enum, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class CampaignGoal(enum.StrEnum):
    """What a campaign is for."""

    awareness = "awareness"
    sales = "sales"
    ugc = "ugc"
    launch = "launch"


class Stage(enum.StrEnum):
    """Where a creator stands in a campaign's pipeline."""

    prospect = "prospect"
    contacted = "contacted"
    replied = "replied"
    agreed = "agreed"
    shipped = "shipped"
    drafting = "drafting"
    in_review = "in_review"
    approved = "approved"
    live = "live"
    paid = "paid"
    done = "done"


class Campaign(WorkspaceScoped, Base):
    """A campaign with a goal, a budget and dates."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    goal: Mapped[CampaignGoal] = mapped_column(Enum(CampaignGoal, native_enum=False, length=20))
    budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # ISO 4217: a budget means nothing without its currency.
    currency: Mapped[str] = mapped_column(String(3), default="EUR", server_default="EUR")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    brief: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Collaboration(WorkspaceScoped, Base):
    """A creator in a campaign, at a pipeline stage."""

    __tablename__ = "collaboration"
    __table_args__ = (UniqueConstraint("campaign_id", "creator_id", name="uq_collab_creator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    stage: Mapped[Stage] = mapped_column(Enum(Stage, native_enum=False, length=20), default=Stage.prospect)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
