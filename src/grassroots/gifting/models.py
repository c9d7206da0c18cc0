"""Products offered as gifts, gift orders and their shipments."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Enum, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow

MONEY = Numeric(12, 2)


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=20)


class ProductSource(enum.StrEnum):
    """Where a gift product came from."""

    shopify = "shopify"  # the store catalogue, refreshed by a job
    manual = "manual"  # typed in by the brand
    csv = "csv"  # uploaded in a CSV file


class GiftStatus(enum.StrEnum):
    """Where a gift stands: planned → ordered → shipped → delivered."""

    planned = "planned"
    ordered = "ordered"
    shipped = "shipped"
    delivered = "delivered"

    @property
    def label(self) -> str:
        """The status in the user's words."""
        return self.value.capitalize()


class Fulfilment(enum.StrEnum):
    """Who sends the gift out."""

    store = "store"  # a zero-priced order in the connected Shopify store
    warehouse = "warehouse"  # a row in the warehouse CSV


class GiftProduct(WorkspaceScoped, Base):
    """One product variant the brand can give: from the store catalogue, or a list kept by hand."""

    __tablename__ = "gift_product"
    __table_args__ = (UniqueConstraint("workspace_id", "variant_gid", name="uq_gift_product_variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[ProductSource] = mapped_column(_enum(ProductSource))
    # Shopify's global ids ("gid://shopify/ProductVariant/…"); None for a product kept by hand.
    product_gid: Mapped[str | None] = mapped_column(String(200))
    variant_gid: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    variant_title: Mapped[str | None] = mapped_column(String(300))
    sku: Mapped[str | None] = mapped_column(String(200))
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    image_url: Mapped[str | None] = mapped_column(String(1000))
    active: Mapped[bool] = mapped_column(default=True)  # False: gone from the store at the last refresh
    refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Gift(WorkspaceScoped, Base):
    """The gift of one collaboration: what, where to, the store order or warehouse row, the shipment."""

    __tablename__ = "gift"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("collaboration.id", ondelete="CASCADE"), unique=True
    )
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"), index=True)
    status: Mapped[GiftStatus] = mapped_column(_enum(GiftStatus), default=GiftStatus.planned)
    fulfilment: Mapped[Fulfilment | None] = mapped_column(_enum(Fulfilment))
    cost: Mapped[Decimal | None] = mapped_column(MONEY)  # what the gift costs the brand (goes to the ledger)
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str | None] = mapped_column(Text)
    # An address the brand typed (the creator's own from the portal is used otherwise); copied here when ordered.
    ship_name: Mapped[str | None] = mapped_column(String(200))
    ship_line1: Mapped[str | None] = mapped_column(String(300))
    ship_line2: Mapped[str | None] = mapped_column(String(300))
    ship_city: Mapped[str | None] = mapped_column(String(200))
    ship_region: Mapped[str | None] = mapped_column(String(200))
    ship_postal_code: Mapped[str | None] = mapped_column(String(40))
    ship_country: Mapped[str | None] = mapped_column(String(2))
    ship_phone: Mapped[str | None] = mapped_column(String(50))
    address_from: Mapped[str | None] = mapped_column(String(20))  # "brand" or "portal"
    # The store order: a random tag on the draft order finds it again if its id was never recorded.
    store_tag: Mapped[str] = mapped_column(String(80), unique=True)
    order_requested_at: Mapped[datetime | None]
    order_requested_by: Mapped[str | None] = mapped_column(String(320))
    order_error: Mapped[str | None] = mapped_column(Text)
    draft_order_gid: Mapped[str | None] = mapped_column(String(200))
    store_order_gid: Mapped[str | None] = mapped_column(String(200))
    store_order_name: Mapped[str | None] = mapped_column(String(100))
    ledger_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id", ondelete="SET NULL"))
    ordered_at: Mapped[datetime | None]
    tracking_number: Mapped[str | None] = mapped_column(String(200))
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_url: Mapped[str | None] = mapped_column(String(1000))
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    delivered_by: Mapped[str | None] = mapped_column(String(320))  # "creator (portal)" or a user's email
    # The thank-you is drafted on delivery and sent only when a person presses send.
    thanks_subject: Mapped[str | None] = mapped_column(String(300))
    thanks_body: Mapped[str | None] = mapped_column(Text)
    thanks_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_message.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GiftLine(WorkspaceScoped, Base):
    """One product of a gift, with what it was when the gift was planned."""

    __tablename__ = "gift_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    gift_id: Mapped[int] = mapped_column(ForeignKey("gift.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("gift_product.id", ondelete="SET NULL"))
    variant_gid: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    variant_title: Mapped[str | None] = mapped_column(String(300))
    sku: Mapped[str | None] = mapped_column(String(200))
    unit_price: Mapped[Decimal | None] = mapped_column(MONEY)
    quantity: Mapped[int] = mapped_column(Integer)
