"""Shopify: orders and customers over the Admin REST or GraphQL API, discount codes, incremental by updated_at."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

import httpx
from sqlalchemy.orm import Session

from grassroots.connectors import repository
from grassroots.connectors.base import BaseConnector, ConnectorError, Progress, SyncSummary, register
from grassroots.connectors.http import ApiClient, ApiError, AuthFailed, QuotaExhausted
from grassroots.connectors.models import Connection
from grassroots.connectors.shopify.discounts import CODES_QUERY, codes_from_node, scopes_from_rest
from grassroots.connectors.shopify.mapping import (
    Malformed,
    customer_from_rest,
    next_link,
    order_from_graphql,
    order_from_rest,
)
from grassroots.tracking.models import CommerceSource, DiscountKind, PromoCode
from grassroots.tracking.records import OrderRecord, PromoCodeRecord
from grassroots.tracking.repository import write_customers
from grassroots.tracking.service import save_promo_code, store_orders

log = logging.getLogger("grassroots.connectors.shopify")
DEFAULT_VERSION = "2026-10"  # quarterly versions are supported about a year: move this on with them
PAGE = 250  # REST maximum
GRAPHQL_PAGE = 100
SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
ORDERS_QUERY = """
query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name email createdAt updatedAt cancelledAt currencyCode displayFinancialStatus sourceName
      discountCodes
      customerJourneySummary {
        ready customerOrderIndex
        firstVisit { landingPage referrerUrl }
        lastVisit { landingPage referrerUrl }
      }
      totalPriceSet { shopMoney { amount currencyCode } }
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      subtotalPriceSet { shopMoney { amount currencyCode } }
      totalDiscountsSet { shopMoney { amount currencyCode } }
      customer { id email displayName numberOfOrders }
      lineItems(first: 50) { nodes { title variantTitle quantity sku product { id } originalUnitPriceSet { shopMoney { amount } } } }
    }
  }
}
"""


def shop_domain(value: str) -> str:
    """A shop's myshopify.com domain, validated (it becomes part of every URL we call)."""
    shop = value.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    if not SHOP_DOMAIN.match(shop):
        raise ConnectorError(f"shop must look like my-shop.myshopify.com, not {value!r}")
    return shop


class CallLimit:
    """Watches ``X-Shopify-Shop-Api-Call-Limit`` (a 40-call leaky bucket draining 2/s) and waits before it fills."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self.sleep = sleep
        self.waited = 0.0

    def __call__(self, response: httpx.Response) -> None:
        """Sleep long enough for the bucket to drain below its last two slots."""
        header = response.headers.get("x-shopify-shop-api-call-limit", "")
        used, _, size = header.partition("/")
        if not used.isdigit() or not size.isdigit():
            return
        over = int(used) - (int(size) - 2)
        if over > 0:
            self.waited += over / 2
            self.sleep(over / 2)


def client_for(
    shop: str, version: str, token: str, transport: httpx.BaseTransport | None, extra: tuple[str, ...] = ()
) -> ApiClient:
    """The Admin API client of one shop."""
    client = ApiClient(
        f"https://{shop}/admin/api/{version}",
        headers={"X-Shopify-Access-Token": token, "Accept": "application/json"},
        transport=transport,
        official_hosts=("myshopify.com",),
        secrets=(token, *extra),
    )
    client.on_response = CallLimit(lambda s: client.sleep(s))
    return client


@register
class ShopifyConnector(BaseConnector):
    """Syncs a shop's orders (and customers) into the tracking tables; every page commits with its cursor."""

    provider: ClassVar[str] = "shopify"
    # Where an overridden base_url may point (tests add their local servers in settings).
    official_hosts: ClassVar[tuple[str, ...]] = ("myshopify.com",)
    secret_fields: ClassVar[tuple[str, ...]] = ("access_token", "client_secret")
    required_config: ClassVar[tuple[str, ...]] = ("shop",)
    config_fields: ClassVar[tuple[str, ...]] = ("shop", "api_version", "api")

    def __init__(
        self, connection: Connection, secrets: dict[str, str], *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(connection, secrets, transport=transport)
        self.shop = shop_domain(self.config_str("shop"))
        # GraphQL by default: the REST Admin API is legacy (new public apps may not use it since April 2025).
        self.api = self.config_str("api", "graphql").lower()
        if self.api not in ("rest", "graphql"):
            raise ConnectorError(f"api must be rest or graphql, not {self.api!r}")
        self.client = client_for(
            self.shop, self.config_str("api_version", DEFAULT_VERSION), secrets.get("access_token", ""), transport,
            (secrets.get("client_secret", ""),),
        )  # fmt: skip

    def sync(self, session: Session, progress: Progress) -> SyncSummary:
        """The granted scopes, customers (REST) or discount codes (GraphQL), then orders changed since the cursor."""
        with self.client:
            self._check_scopes()
            if self.api == "rest":
                self._customers(session, progress)
            else:
                self._discount_codes(session, progress)
            pages = self._rest_orders(session) if self.api == "rest" else self._graphql_orders(session)
            for raw, cursor in pages:
                self._store_page(session, raw, cursor)
                progress("orders", self.summary.fetched, None)
        return self.summary

    def _store_page(self, session: Session, raw: list[tuple[dict[str, Any], str]], cursor: str) -> None:
        """Map and store one page of orders, then commit it with the cursor after it."""
        orders: list[OrderRecord] = []
        latest = repository.get_cursor(session, self.connection, "orders") or ""
        for data, kind in raw:
            self.summary.fetched += 1
            try:
                orders.append(order_from_rest(data) if kind == "rest" else order_from_graphql(data))
            except (Malformed, KeyError, TypeError, ValueError) as exc:
                self.summary.skip(f"order {data.get('name') or data.get('id') or '?'}", str(exc))
        result = store_orders(session, self.connection.workspace_id, orders)
        self.summary.new += result.new
        self.summary.updated += result.updated
        stamps = [o.updated_at.isoformat() for o in orders if o.updated_at is not None]
        newest = max([latest, *stamps]) if stamps else latest
        repository.commit_page(session, self.connection, "orders", cursor or newest)

    def _rest_orders(self, session: Session) -> Iterator[tuple[list[tuple[dict[str, Any], str]], str]]:
        since = repository.get_cursor(session, self.connection, "orders")
        params: dict[str, Any] | None = {"status": "any", "limit": PAGE, "order": "updated_at asc"}
        if since:
            assert params is not None
            params["updated_at_min"] = since
        url: str | None = "orders.json"
        while url:
            response = self.client.request("GET", url, params=params)
            body = response.json()
            # page_info links carry every filter; Shopify rejects other params alongside them.
            url, params = next_link(response.headers.get("link")), None
            yield [(o, "rest") for o in body.get("orders") or []], ""

    def _graphql_orders(self, session: Session) -> Iterator[tuple[list[tuple[dict[str, Any], str]], str]]:
        since = repository.get_cursor(session, self.connection, "orders")
        variables: dict[str, Any] = {
            "first": GRAPHQL_PAGE,
            "after": None,
            "query": f"updated_at:>='{since}'" if since else None,
        }
        while True:
            data = self.graphql(ORDERS_QUERY, variables)["orders"]
            yield [(node, "graphql") for node in data.get("nodes") or []], ""
            if not data["pageInfo"]["hasNextPage"]:
                return
            variables["after"] = data["pageInfo"]["endCursor"]

    def _check_scopes(self) -> None:
        """Without ``read_all_orders`` Shopify returns only the last 60 days of orders, silently: say so."""
        try:
            response = self.client.request("GET", f"https://{self.shop}/admin/oauth/access_scopes.json")
            granted = scopes_from_rest(response.json())
        except AuthFailed:
            raise
        except (ApiError, ValueError) as exc:
            self.summary.note("access scopes", f"could not read the granted scopes ({exc}); check read_all_orders")
            return
        if "read_all_orders" not in granted:
            self.summary.note(
                "read_all_orders missing",
                "the access token lacks the read_all_orders scope, so Shopify returns only the last 60 days of "
                "orders: add the scope to the app and reconnect to import older orders",
            )

    def _discount_codes(self, session: Session, progress: Progress) -> None:
        """The shop's amount-off codes, stored as promo codes (a creator assigned here keeps the assignment)."""
        variables: dict[str, Any] = {"first": GRAPHQL_PAGE, "after": None}
        while True:
            data = self.graphql(CODES_QUERY, variables)["codeDiscountNodes"]
            nodes = data.get("nodes") or []
            for node in nodes:
                try:
                    for record in codes_from_node(node):
                        save_promo_code(session, self.connection.workspace_id, record)
                except (Malformed, KeyError, TypeError, ValueError) as exc:
                    self.summary.skip(f"discount {node.get('id', '?')}", str(exc))
            repository.commit_page(session, self.connection, "discount_codes", None)
            progress("discount codes", len(nodes), None)
            if not data["pageInfo"]["hasNextPage"]:
                return
            variables["after"] = data["pageInfo"]["endCursor"]

    def graphql(self, query: str, variables: dict[str, Any], *, attempts: int = 5) -> dict[str, Any]:
        """Run a GraphQL call, waiting out THROTTLED answers as ``extensions.cost.throttleStatus`` says."""
        for _ in range(attempts):
            body = self.client.post_json("graphql.json", {"query": query, "variables": variables})
            errors = body.get("errors") or []
            cost = (body.get("extensions") or {}).get("cost") or {}
            throttled = any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors)
            if not throttled:
                if errors:
                    raise ApiError(200, "graphql", "; ".join(str(e.get("message")) for e in errors))
                self._pace(cost)
                return dict(body["data"])
            self.client.sleep(self._refill_wait(cost))
        raise QuotaExhausted(200, "THROTTLED", "Shopify kept throttling the GraphQL calls; the next sync resumes")

    @staticmethod
    def _refill_wait(cost: dict[str, Any]) -> float:
        status = cost.get("throttleStatus") or {}
        needed = float(cost.get("requestedQueryCost") or 0) - float(status.get("currentlyAvailable") or 0)
        rate = float(status.get("restoreRate") or 50)
        return max(needed, 0.0) / rate + 0.1

    def _pace(self, cost: dict[str, Any]) -> None:
        """Wait before the next call when the bucket could not pay for another one like this."""
        status = cost.get("throttleStatus") or {}
        if status and float(status.get("currentlyAvailable") or 0) < float(cost.get("requestedQueryCost") or 0):
            self.client.sleep(self._refill_wait(cost))

    def _customers(self, session: Session, progress: Progress) -> None:
        since = repository.get_cursor(session, self.connection, "customers")
        params: dict[str, Any] | None = {"limit": PAGE, "order": "updated_at asc"}
        if since:
            assert params is not None
            params["updated_at_min"] = since
        url: str | None = "customers.json"
        newest = since or ""
        while url:
            response = self.client.request("GET", url, params=params)
            records = []
            for data in response.json().get("customers") or []:
                try:
                    records.append(customer_from_rest(data))
                except (Malformed, KeyError, TypeError, ValueError) as exc:
                    self.summary.skip(f"customer {data.get('id', '?')}", str(exc))
                newest = max(newest, str(data.get("updated_at") or ""))
            write_customers(session, self.connection.workspace_id, records)
            repository.commit_page(session, self.connection, "customers", newest)
            progress("customers", len(records), None)
            url, params = next_link(response.headers.get("link")), None


def create_discount_code(
    session: Session,
    connection: Connection,
    secrets: dict[str, str],
    *,
    code: str,
    kind: DiscountKind,
    value: Decimal,
    creator_id: int | None = None,
    transport: httpx.BaseTransport | None = None,
) -> PromoCode:
    """Create a price rule and its discount code in the shop, then store the PromoCode (REST)."""
    code = code.strip()
    if not code or value <= 0:
        raise ConnectorError("a discount code needs a code and a positive value")
    config = connection.config or {}
    shop = shop_domain(str(config.get("shop") or ""))
    rule = {
        "title": code, "target_type": "line_item", "target_selection": "all", "allocation_method": "across",
        "value_type": kind.value, "value": f"-{value}", "customer_selection": "all",
        "starts_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }  # fmt: skip
    with client_for(
        shop, str(config.get("api_version") or DEFAULT_VERSION), secrets["access_token"], transport
    ) as client:
        price_rule = client.post_json("price_rules.json", {"price_rule": rule})["price_rule"]
        made = client.post_json(
            f"price_rules/{price_rule['id']}/discount_codes.json", {"discount_code": {"code": code}}
        )
    discount = made["discount_code"]
    record = PromoCodeRecord(
        source=CommerceSource.shopify,
        code=str(discount["code"]),
        kind=kind,
        value=value,
        external_id=f"{price_rule['id']}/{discount['id']}",
        usage_count=int(discount.get("usage_count") or 0),
    )
    promo, _ = save_promo_code(session, connection.workspace_id, record, creator_id)
    return promo
