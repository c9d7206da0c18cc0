"""Campaign, Collaboration, StageChange (the audit trail) and LedgerEntry (the payments ledger) tables."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow

MONEY = Numeric(12, 2)
PERCENT = Numeric(5, 2)


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=20)


class CampaignGoal(enum.StrEnum):
    """What a campaign is for."""

    awareness = "awareness"
    sales = "sales"
    ugc = "ugc"
    launch = "launch"
    community = "community"

    @property
    def label(self) -> str:
        """'ugc' -> 'UGC', 'sales' -> 'Sales'."""
        return "UGC" if self is CampaignGoal.ugc else self.value.capitalize()


class CampaignKind(enum.StrEnum):
    """How the brand works with the roster."""

    seeding = "seeding"  # gifts with an invitation to share, no required deliverables
    paid = "paid"  # a paid collaboration: deliverables and an agreement
    affiliate = "affiliate"  # commission on the sales a creator brings
    ambassador = "ambassador"  # a long-term relationship with perks

    @property
    def label(self) -> str:
        """The kind in the user's words."""
        return KIND_LABELS[self]


KIND_LABELS = {
    CampaignKind.seeding: "Seeding (gifts, no strings)",
    CampaignKind.paid: "Paid collaboration",
    CampaignKind.affiliate: "Affiliate (commission)",
    CampaignKind.ambassador: "Ambassador (long-term)",
}


class Compensation(enum.StrEnum):
    """What a creator gets."""

    gift = "gift"
    commission = "commission"
    flat_fee = "flat_fee"
    hybrid = "hybrid"  # a flat fee plus a commission

    @property
    def label(self) -> str:
        """The model in the user's words."""
        return COMPENSATION_LABELS[self.value]


COMPENSATION_LABELS = {"gift": "Gift only", "commission": "Commission %", "flat_fee": "Flat fee",
                       "hybrid": "Fee + commission"}  # fmt: skip


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
    declined = "declined"
    paused = "paused"

    @property
    def label(self) -> str:
        """'in_review' -> 'In review'."""
        return self.value.replace("_", " ").capitalize()


class KpiMetric(enum.StrEnum):
    """What a KPI target counts."""

    reach = "reach"
    views = "views"
    engagements = "engagements"
    posts = "posts"
    ugc_assets = "ugc_assets"
    clicks = "clicks"
    sales = "sales"
    revenue = "revenue"
    cost_per_sale = "cost_per_sale"
    new_customers = "new_customers"

    @property
    def label(self) -> str:
        """'ugc_assets' -> 'UGC assets'."""
        return self.value.replace("_", " ").capitalize().replace("Ugc", "UGC")


class EntryKind(enum.StrEnum):
    """What a ledger entry pays for."""

    fee = "fee"
    commission = "commission"
    gift = "gift"  # the cost of a gifted product and its shipping


class EntryStatus(enum.StrEnum):
    """Whether the brand still owes the amount."""

    owed = "owed"
    paid = "paid"


class Campaign(WorkspaceScoped, Base):
    """A campaign with a kind, a goal, KPIs, a budget, dates, a brief and default compensation."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CampaignKind] = mapped_column(
        _enum(CampaignKind), default=CampaignKind.seeding, server_default="seeding"
    )
    goal: Mapped[CampaignGoal] = mapped_column(_enum(CampaignGoal))
    budget: Mapped[Decimal | None] = mapped_column(MONEY)
    # ISO 4217: a budget means nothing without its currency.
    currency: Mapped[str] = mapped_column(String(3), default="EUR", server_default="EUR")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    brief: Mapped[str | None] = mapped_column(Text)
    products: Mapped[list[str] | None] = mapped_column(JSON)
    # [{"metric": "sales", "target": "80"}]: targets are decimal strings, never floats.
    kpis: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    compensation: Mapped[Compensation] = mapped_column(
        _enum(Compensation), default=Compensation.gift, server_default="gift"
    )
    fee: Mapped[Decimal | None] = mapped_column(MONEY)
    commission_pct: Mapped[Decimal | None] = mapped_column(PERCENT)
    gift_value: Mapped[Decimal | None] = mapped_column(MONEY)
    # What makes a post this campaign's: a mention of a brand handle (these, else the workspace's), a hashtag, a code.
    handles: Mapped[list[str] | None] = mapped_column(JSON)
    hashtags: Mapped[list[str] | None] = mapped_column(JSON)
    promo_codes: Mapped[list[str] | None] = mapped_column(JSON)
    # Returns happen: a commission becomes payable this many days after the sale.
    commission_hold_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # Don't ghost: a collaboration waiting this long at contacted/replied/agreed/shipped is overdue.
    follow_up_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    # Don't over-ask: more active asks than this per creator in 90 days (all campaigns) shows a warning.
    ask_cap: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Editable forecast assumptions (the forecast's own shape; see campaigns/planning.py).
    assumptions: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow)


class Collaboration(WorkspaceScoped, Base):
    """A creator in a campaign, at a pipeline stage, with optional terms overriding the campaign's."""

    __tablename__ = "collaboration"
    __table_args__ = (
        UniqueConstraint("campaign_id", "creator_id", name="uq_collab_creator"),
        Index("ix_collaboration_campaign_stage", "campaign_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    stage: Mapped[Stage] = mapped_column(_enum(Stage), default=Stage.prospect)
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    compensation: Mapped[Compensation | None] = mapped_column(_enum(Compensation))
    fee: Mapped[Decimal | None] = mapped_column(MONEY)
    commission_pct: Mapped[Decimal | None] = mapped_column(PERCENT)
    gift_value: Mapped[Decimal | None] = mapped_column(MONEY)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StageChange(WorkspaceScoped, Base):
    """One move of a collaboration: who, when, from which stage to which (None = added to the roster)."""

    __tablename__ = "stage_change"
    __table_args__ = (Index("ix_stage_change_collab_at", "collaboration_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaboration.id", ondelete="CASCADE"))
    from_stage: Mapped[Stage | None] = mapped_column(_enum(Stage))
    to_stage: Mapped[Stage] = mapped_column(_enum(Stage))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Kept as text so the trail still names the person after their account is removed.
    actor: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class LedgerEntry(WorkspaceScoped, Base):
    """A fee, commission or gift cost the brand owes or paid to a creator for one collaboration."""

    __tablename__ = "ledger_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaboration.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[EntryStatus] = mapped_column(_enum(EntryStatus), default=EntryStatus.owed)
    earned_on: Mapped[date]  # the sale, the shipment or the delivered post the amount is for
    payable_on: Mapped[date]  # earned_on, plus the hold period for a commission
    due_on: Mapped[date | None]
    paid_on: Mapped[date | None]
    paid_by: Mapped[str | None] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
