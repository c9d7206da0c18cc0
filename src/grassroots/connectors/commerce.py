"""Values in store payloads (Shopify, WooCommerce): money and timestamps, and the error for a payload that lacks
what an order needs. Pure functions, no I/O."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from grassroots.tracking.records import OrderRecord


class Malformed(ValueError):
    """A payload lacks what an order needs; the sync skips it and reports why."""


class Rejected(Malformed):
    """An order whose values cannot be true (a negative or absurd total): stored as rejected with the reason."""


# Larger than any real order of a small brand; a bigger figure is a bug or an attack, not a sale.
MAX_ORDER_AMOUNT = Decimal(10) ** 9
MAX_QUANTITY = 1_000_000


def checked(order: OrderRecord) -> OrderRecord:
    """``order`` if its money and quantities are plausible, else Rejected naming the first bad value."""
    money = {"total": order.total, "subtotal": order.subtotal, "discounts": order.discounts}
    money |= {f"line {i + 1} price": line.price for i, line in enumerate(order.lines)}
    for name, value in money.items():
        if value < 0:
            raise Rejected(f"{name} {value} is negative")
        if value > MAX_ORDER_AMOUNT:
            raise Rejected(f"{name} {value} is larger than {MAX_ORDER_AMOUNT:,}")
    for i, line in enumerate(order.lines):
        if not 0 <= line.quantity <= MAX_QUANTITY:
            raise Rejected(f"line {i + 1} quantity {line.quantity} is not plausible")
    return order


def amount(value: Any, field: str) -> Decimal:
    """Money as the stores send it ("12.50", a string) as a Decimal."""
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise Malformed(f"{field} {value!r} is not an amount") from None
    if not result.is_finite():
        raise Malformed(f"{field} {value!r} is not an amount")
    return result


def when(value: Any, field: str) -> datetime:
    """An ISO 8601 timestamp with its offset ("2024-01-15T10:23:45-05:00")."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise Malformed(f"{field} {value!r} is not a timestamp") from None
    if parsed.tzinfo is None:
        raise Malformed(f"{field} {value!r} has no time zone")
    return parsed
