"""WooCommerce REST API v3 payloads (orders, customers, coupons; webhooks send the same objects) to records:
pure functions, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from grassroots.connectors.commerce import Malformed, amount, checked, when
from grassroots.tracking.models import CommerceSource, DiscountKind
from grassroots.tracking.records import (
    CustomerRecord,
    LineRecord,
    OrderRecord,
    PromoCodeRecord,
    normalise_code,
    normalise_codes,
    normalise_email,
)

WOO = CommerceSource.woocommerce
# WooCommerce 8.5+ order attribution stores the visit in these meta keys.
META = {"landing": "_wc_order_attribution_session_entry", "referrer": "_wc_order_attribution_referrer"}


def _gmt(data: dict[str, Any], field: str) -> datetime:
    """WooCommerce's ``*_gmt`` fields are UTC without an offset."""
    value = data.get(f"{field}_gmt") or data.get(field)
    if not value:
        raise Malformed(f"order has no {field}")
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _meta(data: dict[str, Any], key: str) -> str | None:
    for item in data.get("meta_data") or []:
        if item.get("key") == key and item.get("value"):
            return str(item["value"])
    return None


def _variant(item: dict[str, Any]) -> str | None:
    """A variation's attributes as its title ("M, Blue"): the visible ``meta_data`` values of the line."""
    if not item.get("variation_id"):
        return None
    values = [
        str(m["value"])
        for m in item.get("meta_data") or []
        if isinstance(m, dict) and m.get("value") and not str(m.get("key") or "_").startswith("_")
    ]
    return ", ".join(values)[:300] or None


def order_from_woo(data: dict[str, Any]) -> OrderRecord:
    """A REST v3 (or webhook) order object."""
    for key in ("id", "total", "currency"):
        if data.get(key) in (None, ""):
            raise Malformed(f"order has no {key}")
    billing = data.get("billing") or {}
    email = normalise_email(billing.get("email"))
    name = " ".join(p for p in (billing.get("first_name"), billing.get("last_name")) if p) or None
    customer = None
    if data.get("customer_id"):
        customer = CustomerRecord(WOO, str(data["customer_id"]), email, name)
    elif email:  # a guest checkout: the email is the only identity
        customer = CustomerRecord(WOO, f"guest:{email}", email, name)
    lines = [
        LineRecord(
            title=str(item.get("name") or "")[:300],
            quantity=int(item.get("quantity") or 0),
            price=amount(item.get("price", 0), "line price"),
            sku=item.get("sku") or None,
            product_id=str(item["product_id"]) if item.get("product_id") else None,
            variant_title=_variant(item),
        )
        for item in data.get("line_items") or []
    ]
    total = amount(data["total"], "total")
    discounts = amount(data.get("discount_total") or "0", "discount_total")
    subtotal = sum((line.price * line.quantity for line in lines), start=amount(0, "subtotal")) or total + discounts
    modified = _gmt(data, "date_modified") if data.get("date_modified_gmt") or data.get("date_modified") else None
    # A cancelled order brings no revenue (WooCommerce keeps its total): stored as 0, with when it changed.
    cancelled = (modified or _gmt(data, "date_created")) if data.get("status") == "cancelled" else None
    return checked(
        OrderRecord(
            source=WOO,
            external_id=str(data["id"]),
            number=str(data.get("number") or data["id"]),
            created_at=_gmt(data, "date_created"),
            currency=str(data["currency"]).upper()[:3],
            subtotal=subtotal,
            total=amount(0, "total") if cancelled else total,
            discounts=discounts,
            email=email,
            financial_status=data.get("status"),
            landing_site=_meta(data, META["landing"]),
            referring_site=_meta(data, META["referrer"]),
            discount_codes=normalise_codes(
                [c.get("code") for c in data.get("coupon_lines") or [] if isinstance(c, dict)]
            ),
            source_name=data.get("created_via"),
            updated_at=modified,
            cancelled_at=cancelled,
            customer=customer,
            lines=lines,
            tax=amount(data["total_tax"], "total_tax") if data.get("total_tax") not in (None, "") else None,
            shipping=amount(data["shipping_total"], "shipping_total")
            if data.get("shipping_total") not in (None, "")
            else None,
            discount_details=[
                {"code": normalise_code(c["code"]), "amount": str(c.get("discount") or "0"), "type": None}
                for c in data.get("coupon_lines") or []
                if isinstance(c, dict) and c.get("code")
            ],
        )
    )


def customer_from_woo(data: dict[str, Any]) -> CustomerRecord:
    """A REST v3 customer."""
    if not data.get("id"):
        raise Malformed("customer has no id")
    name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p) or data.get("username")
    created = data.get("date_created_gmt")
    return CustomerRecord(
        WOO,
        str(data["id"]),
        normalise_email(data.get("email")),
        name,
        created_at=datetime.fromisoformat(created).replace(tzinfo=UTC) if created else None,
    )


def coupon_from_woo(data: dict[str, Any]) -> PromoCodeRecord:
    """A REST v3 coupon: ``percent`` is a percentage, ``fixed_cart``/``fixed_product`` fixed amounts."""
    if not data.get("code"):
        raise Malformed("coupon has no code")
    kind = DiscountKind.percentage if data.get("discount_type") == "percent" else DiscountKind.fixed_amount
    created = data.get("date_created_gmt")
    return PromoCodeRecord(
        source=WOO,
        code=normalise_code(data["code"]),
        kind=kind,
        value=amount(data.get("amount") or "0", "amount"),
        external_id=str(data.get("id")),
        usage_count=int(data.get("usage_count") or 0),
        created_at=when(created + "+00:00", "date_created_gmt") if created else None,
    )
