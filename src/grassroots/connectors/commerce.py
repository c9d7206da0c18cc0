"""Values in store payloads (Shopify, WooCommerce): money and timestamps, and the error for a payload that lacks
what an order needs. Pure functions, no I/O."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any


class Malformed(ValueError):
    """A payload lacks what an order needs; the sync skips it and reports why."""


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
