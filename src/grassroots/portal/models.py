"""Portal links: one row per link issued, so a link can expire, be revoked, and never open another collaboration."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class PortalLink(WorkspaceScoped, Base):
    """A link given to a creator for one collaboration. The token carries the id and a random nonce, signed with
    the server's secret; the nonce is compared with the stored one, so a forged or recycled token opens nothing."""

    __tablename__ = "portal_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(Integer, ForeignKey("collaboration.id", ondelete="CASCADE"),
                                                  index=True)  # fmt: skip
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))


class ShippingAddress(WorkspaceScoped, Base):
    """Where a creator wants the gift sent for one collaboration (entered in the portal, editable by the brand)."""

    __tablename__ = "shipping_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(Integer, ForeignKey("collaboration.id", ondelete="CASCADE"),
                                                  unique=True)  # fmt: skip
    name: Mapped[str] = mapped_column(String(200))
    line1: Mapped[str] = mapped_column(String(300))
    line2: Mapped[str | None] = mapped_column(String(300), nullable=True)
    city: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200), nullable=True)
    postal_code: Mapped[str] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    phone: Mapped[str | None] = mapped_column(String(50), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))  # "creator (portal)" or a user's email


class Decision(enum.StrEnum):
    """A creator's answer to the offer."""

    accepted = "accepted"
    declined = "declined"


class OfferResponse(WorkspaceScoped, Base):
    """One answer a creator gave to the offer in the portal (the newest counts; earlier ones stay as history)."""

    __tablename__ = "offer_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(Integer, ForeignKey("collaboration.id", ondelete="CASCADE"),
                                                  index=True)  # fmt: skip
    decision: Mapped[Decision] = mapped_column(Enum(Decision, native_enum=False, length=20))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    responded_at: Mapped[datetime] = mapped_column(default=utcnow)


class PayoutDetails(WorkspaceScoped, Base):
    """How a creator wants to be paid for one collaboration. ``secret`` is a Fernet token of the payout account,
    legal name and tax id (connectors.credentials); only ``summary`` (masked) is ever shown."""

    __tablename__ = "payout_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(Integer, ForeignKey("collaboration.id", ondelete="CASCADE"),
                                                  unique=True)  # fmt: skip
    method: Mapped[str] = mapped_column(String(20))  # "paypal" or "iban"
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    summary: Mapped[str] = mapped_column(String(200))  # e.g. "IBAN DE•• •••• 3000"
    tax_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))
