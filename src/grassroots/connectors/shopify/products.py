"""Shopify products for gifting: the GraphQL ``products`` connection with variants, paged, mapped to records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from grassroots.connectors.commerce import Malformed
from grassroots.connectors.shopify.connector import ShopifyConnector

PAGE = 50  # products per page; each brings up to VARIANTS variants (query cost stays well under 1,000)
VARIANTS = 100
# Only what a gift needs. ``featuredMedia`` replaces the deprecated ``featuredImage``; a preview image is null
# until the media is READY. A variant's ``price`` is a Money scalar (a decimal string) in the shop's currency.
PRODUCTS_QUERY = """
query GiftProducts($first: Int!, $after: String, $variants: Int!) {
  shop { currencyCode }
  products(first: $first, after: $after, query: "status:active", sortKey: TITLE) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id title
      featuredMedia { preview { image { url } } }
      variants(first: $variants) { nodes { id title sku price } }
    }
  }
}
"""


@dataclass(frozen=True)
class VariantRecord:
    """One variant of a store product, as a gift line can use it."""

    product_gid: str
    variant_gid: str
    title: str
    variant_title: str | None
    sku: str | None
    price: Decimal | None
    currency: str
    image_url: str | None


def _price(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise Malformed(f"variant price {value!r} is not a number") from None


def variants_from_product(node: dict[str, Any], currency: str) -> list[VariantRecord]:
    """The variants of one ``Product`` node; Shopify names a product's only variant "Default Title"."""
    if not node.get("id") or not node.get("title"):
        raise Malformed("product has no id or title")
    media = node.get("featuredMedia") or {}
    image = ((media.get("preview") or {}).get("image") or {}).get("url")
    records = []
    for variant in (node.get("variants") or {}).get("nodes") or []:
        if not variant.get("id"):
            raise Malformed(f"a variant of {node['title']!r} has no id")
        name = str(variant.get("title") or "").strip()
        records.append(
            VariantRecord(
                product_gid=str(node["id"]),
                variant_gid=str(variant["id"]),
                title=str(node["title"])[:300],
                variant_title=None if name in ("", "Default Title") else name[:300],
                sku=str(variant["sku"])[:200] if variant.get("sku") else None,
                price=_price(variant.get("price")),
                currency=currency,
                image_url=str(image)[:1000] if image else None,
            )
        )
    return records


def product_pages(connector: ShopifyConnector) -> Iterator[tuple[list[VariantRecord], list[str]]]:
    """Each page of active products as variant records, with the problems of products that were skipped."""
    variables: dict[str, Any] = {"first": PAGE, "after": None, "variants": VARIANTS}
    while True:
        data = connector.graphql(PRODUCTS_QUERY, variables)
        currency = str(((data.get("shop") or {}).get("currencyCode")) or "USD").upper()[:3]
        products = data["products"]
        records: list[VariantRecord] = []
        problems: list[str] = []
        for node in products.get("nodes") or []:
            try:
                records.extend(variants_from_product(node, currency))
            except Malformed as exc:
                problems.append(f"{node.get('title') or node.get('id') or 'a product'}: {exc}")
        yield records, problems
        if not products["pageInfo"]["hasNextPage"]:
            return
        variables["after"] = products["pageInfo"]["endCursor"]
