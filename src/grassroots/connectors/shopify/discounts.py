"""Shopify discount codes over the GraphQL Admin API: create one (``discountCodeBasicCreate``), read them all
(``codeDiscountNodes``), and check the granted access scopes. Shapes: tests/fixtures/shopify/README.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from grassroots.connectors.commerce import Malformed, amount, when
from grassroots.tracking.models import CommerceSource, DiscountKind
from grassroots.tracking.records import PromoCodeRecord, normalise_code

CREATE_MUTATION = """
mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title codes(first: 1) { nodes { code } } } } }
    userErrors { field code message }
  }
}
"""
CODES_QUERY = """
query Codes($first: Int!, $after: String) {
  codeDiscountNodes(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title createdAt asyncUsageCount
          codes(first: 250) { nodes { code } }
          customerGets { value { __typename ... on DiscountPercentage { percentage }
                                 ... on DiscountAmount { amount { amount currencyCode } } } }
        }
      }
    }
  }
}
"""
# Error codes of DiscountUserError that mean "another discount already has this code".
TAKEN = {"TAKEN", "DUPLICATE"}


@dataclass(frozen=True)
class Created:
    """The answer to one create: the discount's global id, or that the code is taken, or the errors."""

    discount_id: str | None = None
    taken: bool = False
    errors: str = ""


def create_input(code: str, title: str, kind: DiscountKind, value: Decimal, starts_at: datetime) -> dict[str, Any]:
    """The ``DiscountCodeBasicInput`` of an amount-off code for every buyer and every item, once per customer."""
    gets: dict[str, Any] = (
        {"percentage": float(value / 100)}
        if kind == DiscountKind.percentage
        else {"discountAmount": {"amount": str(value), "appliesOnEachItem": False}}
    )
    return {
        "title": title[:255],
        "code": code,
        "startsAt": starts_at.isoformat(),
        "context": {"all": "ALL"},
        "customerGets": {"value": gets, "items": {"all": True}},
        "appliesOncePerCustomer": True,
    }


def read_created(data: dict[str, Any]) -> Created:
    """The ``discountCodeBasicCreate`` payload: its node's id, or its ``userErrors``."""
    payload = data.get("discountCodeBasicCreate") or {}
    errors = [e for e in payload.get("userErrors") or [] if isinstance(e, dict)]
    if any(str(e.get("code") or "").upper() in TAKEN for e in errors):
        return Created(taken=True)
    node = payload.get("codeDiscountNode") or {}
    if errors or not node.get("id"):
        return Created(errors="; ".join(str(e.get("message")) for e in errors) or "the store created no discount")
    return Created(discount_id=str(node["id"]))


def codes_from_node(node: dict[str, Any]) -> list[PromoCodeRecord]:
    """Each code of an amount-off ``DiscountCodeBasic`` node (other discount types are not promo codes here)."""
    discount = node.get("codeDiscount") or {}
    if discount.get("__typename") != "DiscountCodeBasic":
        return []
    value = ((discount.get("customerGets") or {}).get("value")) or {}
    if value.get("percentage") is not None:
        kind, number = DiscountKind.percentage, amount(value["percentage"], "percentage") * 100
    elif (value.get("amount") or {}).get("amount") is not None:
        kind, number = DiscountKind.fixed_amount, amount(value["amount"]["amount"], "amount")
    else:
        raise Malformed(f"discount {node.get('id')} has no percentage or amount")
    created = when(discount["createdAt"], "createdAt") if discount.get("createdAt") else None
    return [
        PromoCodeRecord(
            source=CommerceSource.shopify,
            code=normalise_code(c["code"]),
            kind=kind,
            value=number.quantize(Decimal("0.01")),
            external_id=str(node.get("id")),
            usage_count=int(discount.get("asyncUsageCount") or 0),
            created_at=created,
        )
        for c in ((discount.get("codes") or {}).get("nodes") or [])
        if isinstance(c, dict) and c.get("code")
    ]


def scopes_from_rest(body: dict[str, Any]) -> set[str]:
    """The handles of ``GET /admin/oauth/access_scopes.json``."""
    return {str(s.get("handle")) for s in body.get("access_scopes") or [] if isinstance(s, dict)}
