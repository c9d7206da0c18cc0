"""Portal links: one row per link issued, so a link can expire, be revoked, and never open another collaboration."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
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
