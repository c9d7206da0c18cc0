"""Plain records every order source maps into (API pages, webhooks, CSV exports) before one writer stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from grassroots.tracking.models import CommerceSource, DiscountKind


@dataclass(slots=True)
class CustomerRecord:
    """A buyer as the store knows them; ``email`` is lowercased by the mappers."""

    source: CommerceSource
    external_id: str
    email: str | None = None
    name: str | None = None
    orders_count: int | None = None
    total_spent: Decimal | None = None
    created_at: datetime | None = None


@dataclass(slots=True)
class LineRecord:
    """One line item."""

    title: str
    quantity: int
    price: Decimal
    sku: str | None = None
    product_id: str | None = None
    variant_title: str | None = None


@dataclass(slots=True)
class OrderRecord:
    """An order ready to store; ``updated_at`` is the store's last-modified time (None: always apply)."""

    source: CommerceSource
    external_id: str
    number: str
    created_at: datetime
    currency: str
    subtotal: Decimal
    total: Decimal
    discounts: Decimal = Decimal(0)
    email: str | None = None
    financial_status: str | None = None
    landing_site: str | None = None
    referring_site: str | None = None
    discount_codes: list[str] = field(default_factory=list)
    source_name: str | None = None
    updated_at: datetime | None = None
    customer: CustomerRecord | None = None
    lines: list[LineRecord] = field(default_factory=list)
    # Kept beside the order (not used by the bulk CSV path): tax and shipping totals, each code's amount and
    # type ({"code", "amount", "type"}), Shopify's landing_site_ref and note_attributes ({"name", "value"}).
    tax: Decimal | None = None
    shipping: Decimal | None = None
    discount_details: list[dict[str, str | None]] | None = None
    landing_site_ref: str | None = None
    note_attributes: list[dict[str, str | None]] | None = None
    # A cancelled order's total is 0 (mappers set it); the hashed address and fingerprints feed the referral
    # programme's fraud checks (tracking.fingerprints).
    cancelled_at: datetime | None = None
    shipping_key: str | None = None
    fingerprints: dict[str, str] | None = None


@dataclass(slots=True)
class RefundRecord:
    """Money a store gave back on one order (a refund's successful refund transactions)."""

    source: CommerceSource
    external_id: str
    order_external_id: str
    amount: Decimal
    created_at: datetime


@dataclass(slots=True)
class PromoCodeRecord:
    """A discount code as the store reports it."""

    source: CommerceSource
    code: str
    kind: DiscountKind
    value: Decimal
    external_id: str | None = None
    usage_count: int = 0
    created_at: datetime | None = None


def normalise_code(code: object) -> str:
    """Discount codes are compared case-insensitively, as the stores apply them: stored trimmed and uppercased."""
    return str(code).strip().upper()


def normalise_codes(codes: object) -> list[str]:
    """Each code normalised once, in order; empty ones dropped."""
    seen: list[str] = []
    for code in codes if isinstance(codes, list) else []:
        value = normalise_code(code)
        if value and value not in seen:
            seen.append(value)
    return seen


def normalise_email(email: str | None) -> str | None:
    """Emails are compared lowercased and trimmed; empty means none."""
    if not email:
        return None
    return email.strip().lower() or None
