"""Shopify Admin API payloads (REST, GraphQL, webhooks) to order records: pure functions, no I/O."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from grassroots.connectors.commerce import Malformed, amount, checked, when
from grassroots.tracking.models import CommerceSource
from grassroots.tracking.records import CustomerRecord, LineRecord, OrderRecord, normalise_email

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
SHOP = CommerceSource.shopify


def next_link(link_header: str | None) -> str | None:
    """The ``rel="next"`` URL of a REST ``Link`` header (page_info paging), if any."""
    if not link_header:
        return None
    for part in link_header.split(","):
        match = _NEXT.search(part)
        if match:
            return match.group(1)
    return None


def _gid(value: Any) -> str:
    """The numeric id inside a GraphQL global id ("gid://shopify/Order/450789469" -> "450789469")."""
    return str(value).rsplit("/", 1)[-1]


def customer_from_rest(data: dict[str, Any]) -> CustomerRecord:
    """A REST customer object (also nested in orders)."""
    if not data.get("id"):
        raise Malformed("customer has no id")
    name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p) or None
    spent = data.get("total_spent")
    count = data.get("orders_count")
    return CustomerRecord(
        source=SHOP,
        external_id=str(data["id"]),
        email=normalise_email(data.get("email")),
        name=name,
        orders_count=int(count) if count is not None else None,
        total_spent=amount(spent, "total_spent") if spent is not None else None,
        created_at=when(data["created_at"], "created_at") if data.get("created_at") else None,
    )


def order_from_rest(data: dict[str, Any]) -> OrderRecord:
    """A REST or webhook order object."""
    for key in ("id", "created_at", "total_price", "currency"):
        if data.get(key) in (None, ""):
            raise Malformed(f"order has no {key}")
    customer = customer_from_rest(data["customer"]) if isinstance(data.get("customer"), dict) else None
    lines = [
        LineRecord(
            title=str(item.get("title") or item.get("name") or "")[:300],
            quantity=int(item.get("quantity") or 0),
            price=amount(item.get("price", "0"), "line price"),
            sku=item.get("sku") or None,
            product_id=str(item["product_id"]) if item.get("product_id") else None,
        )
        for item in data.get("line_items") or []
    ]
    total = amount(data["total_price"], "total_price")
    return checked(
        OrderRecord(
            source=SHOP,
            external_id=str(data["id"]),
            number=str(data.get("name") or data.get("order_number") or data["id"]),
            created_at=when(data["created_at"], "created_at"),
            currency=str(data["currency"]).upper()[:3],
            subtotal=amount(data.get("subtotal_price", total), "subtotal_price"),
            total=total,
            discounts=amount(data.get("total_discounts") or "0", "total_discounts"),
            email=normalise_email(data.get("email") or data.get("contact_email")),
            financial_status=data.get("financial_status"),
            landing_site=data.get("landing_site"),
            referring_site=data.get("referring_site"),
            discount_codes=[str(d["code"]) for d in data.get("discount_codes") or [] if d.get("code")],
            source_name=data.get("source_name"),
            updated_at=when(data["updated_at"], "updated_at") if data.get("updated_at") else None,
            customer=customer,
            lines=lines,
        )
    )


def _money(node: dict[str, Any] | None, field: str) -> tuple[Decimal, str | None]:
    shop_money = (node or {}).get("shopMoney") or {}
    if shop_money.get("amount") is None:
        raise Malformed(f"order has no {field}")
    return amount(shop_money["amount"], field), shop_money.get("currencyCode")


def order_from_graphql(node: dict[str, Any]) -> OrderRecord:
    """A GraphQL Admin ``Order`` node as requested by ``shopify.ORDERS_QUERY``."""
    if not node.get("id") or not node.get("createdAt"):
        raise Malformed("order has no id or createdAt")
    total, currency = _money(node.get("totalPriceSet"), "totalPriceSet")
    subtotal = _money(node["subtotalPriceSet"], "subtotalPriceSet")[0] if node.get("subtotalPriceSet") else total
    discounts = _money(node["totalDiscountsSet"], "totalDiscountsSet")[0] if node.get("totalDiscountsSet") else 0
    customer = None
    if node.get("customer"):
        c = node["customer"]
        customer = CustomerRecord(
            source=SHOP,
            external_id=_gid(c["id"]),
            email=normalise_email(c.get("email")),
            name=c.get("displayName"),
            orders_count=int(c["numberOfOrders"]) if c.get("numberOfOrders") is not None else None,
        )
    lines = [
        LineRecord(
            title=str(item.get("title") or "")[:300],
            quantity=int(item.get("quantity") or 0),
            price=_money(item.get("originalUnitPriceSet"), "originalUnitPriceSet")[0],
            sku=item.get("sku") or None,
            product_id=_gid(item["product"]["id"]) if item.get("product") else None,
        )
        for item in ((node.get("lineItems") or {}).get("nodes") or [])
    ]
    return checked(
        OrderRecord(
            source=SHOP,
            external_id=_gid(node["id"]),
            number=str(node.get("name") or _gid(node["id"])),
            created_at=when(node["createdAt"], "createdAt"),
            currency=str(currency or node.get("currencyCode") or "").upper()[:3],
            subtotal=subtotal,
            total=total,
            discounts=Decimal(discounts),
            email=normalise_email(node.get("email")),
            financial_status=str(node["displayFinancialStatus"]).lower()
            if node.get("displayFinancialStatus")
            else None,
            landing_site=node.get("landingPageUrl"),
            referring_site=node.get("referrerUrl"),
            discount_codes=[str(code) for code in node.get("discountCodes") or []],
            source_name=node.get("sourceName"),
            updated_at=when(node["updatedAt"], "updatedAt") if node.get("updatedAt") else None,
            customer=customer,
            lines=lines,
        )
    )
