"""Shopify Admin API payloads (REST, GraphQL, webhooks) to order records: pure functions, no I/O."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from grassroots.connectors.commerce import Malformed, amount, checked, when
from grassroots.tracking.fingerprints import address_key, order_fingerprints
from grassroots.tracking.models import CommerceSource
from grassroots.tracking.records import (
    CustomerRecord,
    LineRecord,
    OrderRecord,
    RefundRecord,
    normalise_codes,
    normalise_email,
)

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


def customer_from_rest(data: dict[str, Any], *, counts: bool = True) -> CustomerRecord:
    """A REST customer object (also nested in orders: then ``counts=False``).

    Shopify removed ``orders_count``/``total_spent`` from an order's customer in API 2022-04, and where an old
    payload still carries them they are a snapshot: an order's customer is recounted from the stored orders.
    """
    if not data.get("id"):
        raise Malformed("customer has no id")
    name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p) or None
    spent = data.get("total_spent") if counts else None
    count = data.get("orders_count") if counts else None
    return CustomerRecord(
        source=SHOP,
        external_id=str(data["id"]),
        email=normalise_email(data.get("email")),
        name=name,
        orders_count=int(count) if count is not None else None,
        total_spent=amount(spent, "total_spent") if spent is not None else None,
        created_at=when(data["created_at"], "created_at") if data.get("created_at") else None,
    )


def _optional_amount(value: Any, field: str) -> Decimal | None:
    return amount(value, field) if value not in (None, "") else None


def _shipping(data: dict[str, Any]) -> Decimal | None:
    """``total_shipping_price_set`` when sent, else the sum of ``shipping_lines`` prices."""
    shop_money = ((data.get("total_shipping_price_set") or {}).get("shop_money")) or {}
    if shop_money.get("amount") not in (None, ""):
        return amount(shop_money["amount"], "total_shipping_price_set")
    lines = [line for line in data.get("shipping_lines") or [] if isinstance(line, dict)]
    return sum((amount(line.get("price") or "0", "shipping price") for line in lines), Decimal(0)) if lines else None


def _pairs(items: Any, key: str, value: str) -> list[dict[str, str | None]] | None:
    if not isinstance(items, list):
        return None
    return [
        {key: str(item.get(key)), value: None if item.get(value) is None else str(item.get(value))}
        for item in items
        if isinstance(item, dict) and item.get(key) is not None
    ]


def _discount_details(data: dict[str, Any]) -> list[dict[str, str | None]] | None:
    """Each code with its ``amount`` and ``type`` (``fixed_amount``, ``percentage``, ``shipping``)."""
    codes = data.get("discount_codes")
    if not isinstance(codes, list):
        return None
    return [
        {
            "code": normalise_codes([c["code"]])[0],
            "amount": None if c.get("amount") is None else str(c["amount"]),
            "type": c.get("type"),
        }
        for c in codes
        if isinstance(c, dict) and normalise_codes([c.get("code")])
    ]


def order_from_rest(data: dict[str, Any]) -> OrderRecord:
    """A REST or webhook order object."""
    for key in ("id", "created_at", "total_price", "currency"):
        if data.get(key) in (None, ""):
            raise Malformed(f"order has no {key}")
    customer = customer_from_rest(data["customer"], counts=False) if isinstance(data.get("customer"), dict) else None
    lines = [
        LineRecord(
            title=str(item.get("title") or item.get("name") or "")[:300],
            quantity=int(item.get("quantity") or 0),
            price=amount(item.get("price", "0"), "line price"),
            sku=item.get("sku") or None,
            product_id=str(item["product_id"]) if item.get("product_id") else None,
            variant_title=str(item["variant_title"])[:300] if item.get("variant_title") else None,
        )
        for item in data.get("line_items") or []
    ]
    # What the order is worth now, after edits and refunds; ``total_price`` is what it was at checkout.
    current = data.get("current_total_price")
    total = (
        amount(current, "current_total_price")
        if current not in (None, "")
        else amount(data["total_price"], "total_price")
    )
    # orders/cancelled sends the order with cancelled_at: a cancelled order brings no revenue.
    cancelled = when(data["cancelled_at"], "cancelled_at") if data.get("cancelled_at") else None
    if cancelled is not None:
        total = Decimal(0)
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
            discount_codes=normalise_codes(
                [d.get("code") for d in data.get("discount_codes") or [] if isinstance(d, dict)]
            ),
            source_name=data.get("source_name"),
            updated_at=when(data["updated_at"], "updated_at") if data.get("updated_at") else None,
            customer=customer,
            lines=lines,
            tax=_optional_amount(data.get("current_total_tax", data.get("total_tax")), "total_tax"),
            shipping=_shipping(data),
            discount_details=_discount_details(data),
            landing_site_ref=str(data["landing_site_ref"])[:200] if data.get("landing_site_ref") else None,
            note_attributes=_pairs(data.get("note_attributes"), "name", "value"),
            cancelled_at=cancelled,
            shipping_key=address_key(data.get("shipping_address")),
            fingerprints=_fingerprints(data),
        )
    )


def _fingerprints(data: dict[str, Any]) -> dict[str, str] | None:
    """``browser_ip`` (or ``client_details.browser_ip``), the client's user agent and language, and the card of
    ``payment_details`` when the order carries them."""
    client: dict[str, Any] = data["client_details"] if isinstance(data.get("client_details"), dict) else {}
    payment: dict[str, Any] = data["payment_details"] if isinstance(data.get("payment_details"), dict) else {}
    card = (
        (payment.get("credit_card_bin"), payment.get("credit_card_number"), payment.get("credit_card_company"))
        if payment
        else None
    )
    ip = data.get("browser_ip") or client.get("browser_ip")
    return order_fingerprints(ip, client.get("user_agent"), client.get("accept_language"), card)


def refund_from_rest(data: dict[str, Any]) -> RefundRecord:
    """A ``refunds/create`` webhook body (a REST Refund): the money is its successful ``refund`` transactions."""
    for key in ("id", "order_id", "created_at"):
        if data.get(key) in (None, ""):
            raise Malformed(f"refund has no {key}")
    refunded = sum(
        (
            amount(t.get("amount"), "transaction amount")
            for t in data.get("transactions") or []
            if isinstance(t, dict) and t.get("kind") == "refund" and t.get("status") == "success"
        ),
        Decimal(0),
    )
    return RefundRecord(SHOP, str(data["id"]), str(data["order_id"]), refunded, when(data["created_at"], "created_at"))


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
    if node.get("currentTotalPriceSet"):  # after edits and refunds
        total = _money(node["currentTotalPriceSet"], "currentTotalPriceSet")[0]
    subtotal = _money(node["subtotalPriceSet"], "subtotalPriceSet")[0] if node.get("subtotalPriceSet") else total
    discounts = _money(node["totalDiscountsSet"], "totalDiscountsSet")[0] if node.get("totalDiscountsSet") else 0
    cancelled = when(node["cancelledAt"], "cancelledAt") if node.get("cancelledAt") else None
    if cancelled is not None:
        total = Decimal(0)
    # customerJourneySummary replaces the deprecated landingPageUrl/referrerUrl (read only as a fallback): the
    # visit that converted, else the first one; it is null for POS, draft and API orders.
    journey = node.get("customerJourneySummary") or {}
    visit = journey.get("lastVisit") or journey.get("firstVisit") or {}
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
            variant_title=str(item["variantTitle"])[:300] if item.get("variantTitle") else None,
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
            landing_site=visit.get("landingPage") or node.get("landingPageUrl"),
            referring_site=visit.get("referrerUrl") or node.get("referrerUrl"),
            discount_codes=normalise_codes(node.get("discountCodes") or []),
            source_name=node.get("sourceName"),
            updated_at=when(node["updatedAt"], "updatedAt") if node.get("updatedAt") else None,
            customer=customer,
            lines=lines,
            cancelled_at=cancelled,
        )
    )
