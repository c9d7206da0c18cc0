"""Customer, Order (sales_order), OrderLine, PromoCode and the referral programme's tables."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class CommerceSource(enum.StrEnum):
    """Where an order, customer or code came from."""

    shopify = "shopify"
    woocommerce = "woocommerce"
    csv = "csv"


class StoreStatus(enum.StrEnum):
    """Where an issued promo code stands with the store."""

    pending = "pending"
    created = "created"
    failed = "failed"
    export = "export"


class DiscountKind(enum.StrEnum):
    """How a promo code discounts: a share of the price or a fixed amount."""

    percentage = "percentage"
    fixed_amount = "fixed_amount"


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=20)


MONEY = Numeric(14, 2)


class Customer(WorkspaceScoped, Base):
    """A buyer in the brand's store; the email is stored lowercased so lookups need no lower()."""

    __tablename__ = "customer"
    __table_args__ = (
        UniqueConstraint("workspace_id", "source", "external_id", name="uq_customer_external"),
        Index("ix_customer_ws_email", "workspace_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique key and the email index start with workspace_id: a third index would only slow bulk loads.
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    source: Mapped[CommerceSource] = mapped_column(_enum(CommerceSource))
    external_id: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))
    orders_count: Mapped[int] = mapped_column(Integer, default=0)
    total_spent: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Order(WorkspaceScoped, Base):
    """An order from the store, with the landing site and UTM parameters attribution will read."""

    __tablename__ = "sales_order"
    __table_args__ = (
        UniqueConstraint("workspace_id", "source", "external_id", name="uq_sales_order_external"),
        Index("ix_sales_order_ws_created", "workspace_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))  # indexed by the keys
    source: Mapped[CommerceSource] = mapped_column(_enum(CommerceSource))
    external_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(50))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(MONEY)
    discounts: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    # What the order is worth now (Shopify's current_total_price: after edits and refunds); refunds/create
    # deliveries newer than the stored version lower it, and ``refunded`` sums the refunds recorded.
    total: Mapped[Decimal] = mapped_column(MONEY)
    refunded: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0), server_default="0")
    financial_status: Mapped[str | None] = mapped_column(String(30))
    landing_site: Mapped[str | None] = mapped_column(Text)
    referring_site: Mapped[str | None] = mapped_column(Text)
    utm_source: Mapped[str | None] = mapped_column(String(200))
    utm_medium: Mapped[str | None] = mapped_column(String(200))
    utm_campaign: Mapped[str | None] = mapped_column(String(200))
    utm_content: Mapped[str | None] = mapped_column(String(200))
    discount_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_name: Mapped[str | None] = mapped_column(String(50))
    tax: Mapped[Decimal | None] = mapped_column(MONEY)
    shipping: Mapped[Decimal | None] = mapped_column(MONEY)
    # Each code's amount and type as the store reports them; ``promo_code_id`` links the workspace's code with
    # the same normalised code. No foreign key: the order stays out of the creator's erasure graph (a promo code
    # hangs off a creator) and the link is re-made from the codes whenever an API page or webhook rewrites the order.
    discount_details: Mapped[list[dict[str, str | None]] | None] = mapped_column(JSON)
    promo_code_id: Mapped[int | None] = mapped_column(Integer, index=True)
    landing_site_ref: Mapped[str | None] = mapped_column(String(200))
    note_attributes: Mapped[list[dict[str, str | None]] | None] = mapped_column(JSON)
    # The store's own last-modified time: an older delivery never overwrites a newer one.
    store_updated_at: Mapped[datetime | None]
    # A cancelled order counts no revenue (its total is stored as 0; ``cancelled_at`` says why).
    cancelled_at: Mapped[datetime | None]
    # For the referral programme's fraud checks: a hash of the normalised shipping address, and hashes of the
    # browser IP, the device (user agent + language) and the payment fingerprint when the store sends them.
    shipping_key: Mapped[str | None] = mapped_column(String(64))
    fingerprints: Mapped[dict[str, str] | None] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OrderRefund(WorkspaceScoped, Base):
    """A refund the store reported (``refunds/create``), once per refund id; keyed by the order's store id so a
    refund that arrives before its order is kept."""

    __tablename__ = "order_refund"
    __table_args__ = (
        UniqueConstraint("workspace_id", "source", "external_id", name="uq_order_refund_external"),
        Index("ix_order_refund_order", "workspace_id", "source", "order_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))  # indexed by the keys
    source: Mapped[CommerceSource] = mapped_column(_enum(CommerceSource))
    external_id: Mapped[str] = mapped_column(String(100))
    order_external_id: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    created_at: Mapped[datetime]


class OrderLine(WorkspaceScoped, Base):
    """One line item of an order."""

    __tablename__ = "order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key or index of its own: the order's key already ties a line to its workspace (and deletes it
    # with it), and each per-row FK check would cost a third of a PostgreSQL COPY (benchmarks/ingest_orders.py).
    workspace_id: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str | None] = mapped_column(String(100))
    product_id: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    variant_title: Mapped[str | None] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(MONEY)


class PromoCode(WorkspaceScoped, Base):
    """A discount code, optionally given to one creator so their sales can be counted."""

    __tablename__ = "promo_code"
    __table_args__ = (UniqueConstraint("workspace_id", "code", name="uq_promo_code_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100))
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creator.id", ondelete="SET NULL"), index=True)
    source: Mapped[CommerceSource] = mapped_column(_enum(CommerceSource))
    # Shopify: "price_rule_id/discount_code_id"; WooCommerce: the coupon id.
    external_id: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[DiscountKind] = mapped_column(_enum(DiscountKind))
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    # An issued code belongs to a collaboration (creator + campaign); ``store_status`` follows its creation in the
    # store: pending (a job will create it), created, failed (``store_error`` says why), export (no store
    # connected: the CSV export is how it reaches the shop); None for codes the store itself reported.
    collaboration_id: Mapped[int | None] = mapped_column(
        ForeignKey("collaboration.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"), index=True)
    store_status: Mapped[StoreStatus | None] = mapped_column(_enum(StoreStatus))
    store_error: Mapped[str | None] = mapped_column(String(500))


class RewardStatus(enum.StrEnum):
    """A referral reward's life: held, then payable, then paid; a refund or cancellation cancels it."""

    pending = "pending"
    payable = "payable"
    paid = "paid"
    cancelled = "cancelled"


class ReferralProgram(WorkspaceScoped, Base):
    """The workspace's invite-only referral programme and its reward rules (one per workspace)."""

    __tablename__ = "referral_program"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_referral_program_workspace"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The referrer earns a fixed amount or a share of the friend's order; the friend gets a discount code.
    referrer_reward_kind: Mapped[DiscountKind] = mapped_column(_enum(DiscountKind))
    referrer_reward_value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    friend_discount_kind: Mapped[DiscountKind] = mapped_column(_enum(DiscountKind))
    friend_discount_value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    hold_days: Mapped[int] = mapped_column(Integer, default=30)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReferralInvite(WorkspaceScoped, Base):
    """A customer invited to refer friends, with their personal code (a PromoCode carrying the friend discount)."""

    __tablename__ = "referral_invite"
    __table_args__ = (UniqueConstraint("workspace_id", "customer_id", name="uq_referral_invite_customer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    # No foreign key, like Order.promo_code_id: a promo code hangs off a creator, and a customer's invite must stay
    # out of a creator's erasure graph (shop/redact deletes invites with their codes, tracking.store_data).
    promo_code_id: Mapped[int] = mapped_column(Integer, index=True)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class Referral(WorkspaceScoped, Base):
    """An order that used a referrer's code: the referrer's reward, its hold, and the fraud flags with reasons."""

    __tablename__ = "referral"
    __table_args__ = (UniqueConstraint("workspace_id", "order_id", name="uq_referral_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invite_id: Mapped[int] = mapped_column(ForeignKey("referral_invite.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    reward: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[RewardStatus] = mapped_column(_enum(RewardStatus), default=RewardStatus.pending)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    hold_until: Mapped[datetime]
    # Each fraud check that fired: {"check": "self_referral", "reason": "same shipping address as the referrer"}.
    flags: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
