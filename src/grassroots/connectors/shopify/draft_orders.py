"""Gift orders in a Shopify store: a zero-priced draft order (``draftOrderCreate``), completed into an order
(``draftOrderComplete``), found again by its tag or id so that a retried job never makes a second one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grassroots.connectors.shopify.connector import ShopifyConnector
from grassroots.errors import GrassrootsError

GIFT_TAG = "grassroots-gift"
DRAFT_FIELDS = "id name status order { id name }"
FIND_BY_TAG = f"""
query GiftDraftByTag($query: String!) {{
  draftOrders(first: 1, query: $query) {{ nodes {{ {DRAFT_FIELDS} }} }}
}}
"""
FIND_BY_ID = f"""
query GiftDraft($id: ID!) {{ draftOrder(id: $id) {{ {DRAFT_FIELDS} }} }}
"""
CREATE = f"""
mutation GiftDraftCreate($input: DraftOrderInput!) {{
  draftOrderCreate(input: $input) {{ draftOrder {{ {DRAFT_FIELDS} }} userErrors {{ field message }} }}
}}
"""
# Without payment terms a completed draft is marked paid: for a zero total that is the whole order, and no
# invoice goes out. (``paymentPending`` is deprecated since 2025-10; false was its default.)
COMPLETE = f"""
mutation GiftDraftComplete($id: ID!) {{
  draftOrderComplete(id: $id) {{ draftOrder {{ {DRAFT_FIELDS} }} userErrors {{ field message }} }}
}}
"""

# ``Order.fulfillments`` and ``Fulfillment.trackingInfo`` are plain lists (not connections) that take ``first``.
TRACKING = """
query GiftTracking($id: ID!) {
  order(id: $id) { id name fulfillments(first: 5) { status trackingInfo(first: 1) { company number url } } }
}
"""


class DraftOrderRefused(GrassrootsError):
    """The store refused the draft order (a deleted variant, an address it cannot ship to): retrying won't help."""

    status = 422
    title = "The store refused the gift order"


@dataclass(frozen=True)
class DraftLine:
    """A store variant and how many."""

    variant_gid: str
    quantity: int


@dataclass(frozen=True)
class DraftAddress:
    """Where the gift goes."""

    name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str  # ISO 3166-1 alpha-2
    phone: str | None


@dataclass(frozen=True)
class DraftOrder:
    """What the store says about a gift's draft order."""

    gid: str
    name: str | None
    status: str
    order_gid: str | None
    order_name: str | None

    @property
    def completed(self) -> bool:
        """Whether it became a store order."""
        return self.status == "COMPLETED" and self.order_gid is not None


def _mailing_address(address: DraftAddress) -> dict[str, Any]:
    first, _, last = address.name.strip().rpartition(" ")
    region = (address.region or "").strip()
    # MailingAddressInput takes a province *code* ("ON", "CA"); a region written out goes on the second line.
    code = region.upper() if region and len(region) <= 3 and region.isalnum() else None
    second = ", ".join(p for p in (address.line2, None if code else region) if p) or None
    fields = {
        "firstName": first or None, "lastName": last or first, "address1": address.line1, "address2": second,
        "city": address.city, "provinceCode": code, "zip": address.postal_code,
        "countryCode": address.country.upper(), "phone": address.phone,
    }  # fmt: skip
    return {k: v for k, v in fields.items() if v}


def gift_draft_input(lines: list[DraftLine], address: DraftAddress, *, note: str, tag: str) -> dict[str, Any]:
    """The ``DraftOrderInput`` of a gift: every line 100 % off (a line's own applied discount), no shipping line,
    tagged, with the address; no email, so the store sends the creator no order confirmation."""
    discount = {"title": "Gift", "description": "Creator gift (no charge)", "value": 100.0,
                "valueType": "PERCENTAGE"}  # fmt: skip
    return {
        "note": note,
        "tags": [GIFT_TAG, tag],
        "taxExempt": True,
        "shippingAddress": _mailing_address(address),
        "lineItems": [
            {"variantId": line.variant_gid, "quantity": line.quantity, "appliedDiscount": discount} for line in lines
        ],
    }


def _draft(node: dict[str, Any] | None) -> DraftOrder | None:
    if not node or not node.get("id"):
        return None
    order = node.get("order") or {}
    return DraftOrder(str(node["id"]), node.get("name"), str(node.get("status") or ""), order.get("id"),
                      order.get("name"))  # fmt: skip


def _checked(payload: dict[str, Any], what: str) -> DraftOrder:
    errors = payload.get("userErrors") or []
    if errors:
        raise DraftOrderRefused(f"{what}: " + "; ".join(str(e.get("message")) for e in errors))
    draft = _draft(payload.get("draftOrder"))
    if draft is None:
        raise DraftOrderRefused(f"{what}: the store answered without a draft order")
    return draft


def find_by_tag(connector: ShopifyConnector, tag: str) -> DraftOrder | None:
    """The draft order carrying this gift's own tag, if one was made already."""
    data = connector.graphql(FIND_BY_TAG, {"query": f"tag:'{tag}'"})
    nodes = (data.get("draftOrders") or {}).get("nodes") or []
    return _draft(nodes[0]) if nodes else None


def find_by_id(connector: ShopifyConnector, gid: str) -> DraftOrder | None:
    """A draft order by its id (None when it was deleted in the store)."""
    return _draft(connector.graphql(FIND_BY_ID, {"id": gid}).get("draftOrder"))


def create(connector: ShopifyConnector, draft_input: dict[str, Any]) -> DraftOrder:
    """``draftOrderCreate``, sent once; the store's user errors become a DraftOrderRefused.

    A 5xx or a dropped connection may come after the store made the draft, so the HTTP call is not repeated here:
    the caller's retry first looks the draft up by its tag.
    """
    retries, connector.client.max_retries = connector.client.max_retries, 0
    try:
        return _checked(connector.graphql(CREATE, {"input": draft_input})["draftOrderCreate"], "draftOrderCreate")
    finally:
        connector.client.max_retries = retries


def complete(connector: ShopifyConnector, gid: str) -> DraftOrder:
    """``draftOrderComplete``: the draft becomes an order in the store."""
    return _checked(connector.graphql(COMPLETE, {"id": gid})["draftOrderComplete"], "draftOrderComplete")


@dataclass(frozen=True)
class Tracking:
    """A store fulfillment's tracking: carrier, number, link (any may be missing)."""

    company: str | None
    number: str | None
    url: str | None


def order_tracking(connector: ShopifyConnector, order_gid: str) -> Tracking | None:
    """The tracking of the order's latest fulfillment that has any, or None (not fulfilled yet)."""
    order = connector.graphql(TRACKING, {"id": order_gid}).get("order") or {}
    for fulfillment in reversed(order.get("fulfillments") or []):
        if (fulfillment.get("status") or "") in ("CANCELLED", "ERROR", "FAILURE"):
            continue
        for info in fulfillment.get("trackingInfo") or []:
            if info.get("number") or info.get("url"):
                return Tracking(info.get("company") or None, info.get("number") or None, info.get("url") or None)
    return None
