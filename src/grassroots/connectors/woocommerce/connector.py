"""WooCommerce REST API v3: orders, customers and coupons, incremental by ``modified_after``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
from sqlalchemy.orm import Session

from grassroots.connectors import repository
from grassroots.connectors.base import BaseConnector, ConnectorError, Progress, SyncSummary, register
from grassroots.connectors.commerce import Malformed
from grassroots.connectors.http import ApiClient
from grassroots.connectors.models import Connection
from grassroots.connectors.woocommerce.mapping import coupon_from_woo, customer_from_woo, order_from_woo
from grassroots.tracking.repository import write_customers
from grassroots.tracking.service import save_promo_code, store_orders

PER_PAGE = 100  # the API's maximum


def store_url(value: str) -> str:
    """The shop's base URL; HTTPS is required because the keys travel with every request (basic auth)."""
    url = value.strip().rstrip("/")
    if not url.startswith("https://"):
        raise ConnectorError(f"store_url must start with https:// (keys are sent with basic auth), not {value!r}")
    return url


@register
class WooCommerceConnector(BaseConnector):
    """Syncs a WooCommerce store's customers, coupons and orders; each page commits with its cursor."""

    provider: ClassVar[str] = "woocommerce"
    # Where an overridden base_url may point (tests add their local servers in settings).
    official_hosts: ClassVar[tuple[str, ...]] = ()
    secret_fields: ClassVar[tuple[str, ...]] = ("consumer_key", "consumer_secret", "webhook_secret")
    required_config: ClassVar[tuple[str, ...]] = ("store_url",)
    config_fields: ClassVar[tuple[str, ...]] = ("store_url",)

    def __init__(
        self, connection: Connection, secrets: dict[str, str], *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(connection, secrets, transport=transport)
        key, secret = secrets.get("consumer_key", ""), secrets.get("consumer_secret", "")
        self.client = ApiClient(
            f"{store_url(self.config_str('store_url'))}/wp-json/wc/v3/",
            headers={"Accept": "application/json"},
            transport=transport,
            secrets=(key, secret, secrets.get("webhook_secret", "")),
        )
        self.auth = httpx.BasicAuth(key, secret)

    def _pages(self, resource: str, params: dict[str, Any]) -> Iterator[tuple[list[dict[str, Any]], int, int | None]]:
        """Every page of a list endpoint: (items, page, total items from X-WP-Total)."""
        page, pages = 1, 1
        while page <= pages:
            response = self.client.request(
                "GET", resource, params={**params, "page": page, "per_page": PER_PAGE}, auth=self.auth
            )
            pages = int(response.headers.get("x-wp-totalpages") or 1)
            total = response.headers.get("x-wp-total")
            yield list(response.json()), page, int(total) if total and total.isdigit() else None
            page += 1

    def sync(self, session: Session, progress: Progress) -> SyncSummary:
        """Customers, coupons, then orders modified since the stored cursor."""
        with self.client:
            self._customers(session, progress)
            self._coupons(session, progress)
            self._orders(session, progress)
        return self.summary

    def _since(self, session: Session, stream: str) -> dict[str, Any]:
        since = repository.get_cursor(session, self.connection, stream)
        return {"modified_after": since, "dates_are_gmt": "true"} if since else {}

    def _customers(self, session: Session, progress: Progress) -> None:
        for items, _, total in self._pages("customers", {"orderby": "id", "role": "all"}):
            records = []
            for data in items:
                try:
                    records.append(customer_from_woo(data))
                except (Malformed, KeyError, TypeError, ValueError) as exc:
                    self.summary.skip(f"customer {data.get('id', '?')}", str(exc))
            write_customers(session, self.connection.workspace_id, records)
            repository.commit_page(session, self.connection, "customers", None)
            progress("customers", len(records), total)

    def _coupons(self, session: Session, progress: Progress) -> None:
        for items, _, total in self._pages("coupons", {}):
            for data in items:
                try:
                    save_promo_code(session, self.connection.workspace_id, coupon_from_woo(data))
                except (Malformed, KeyError, TypeError, ValueError) as exc:
                    self.summary.skip(f"coupon {data.get('code', '?')}", str(exc))
            repository.commit_page(session, self.connection, "coupons", None)
            progress("coupons", len(items), total)

    def _orders(self, session: Session, progress: Progress) -> None:
        started = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()
        params = {**self._since(session, "orders"), "orderby": "id", "order": "asc", "status": "any"}
        for items, _, total in self._pages("orders", params):
            records = []
            for data in items:
                self.summary.fetched += 1
                try:
                    records.append(order_from_woo(data))
                except (Malformed, KeyError, TypeError, ValueError) as exc:
                    self.summary.skip(f"order {data.get('number') or data.get('id') or '?'}", str(exc))
            result = store_orders(session, self.connection.workspace_id, records)
            self.summary.new += result.new
            self.summary.updated += result.updated
            session.commit()
            progress("orders", self.summary.fetched, total)
        # Offset paging shifts when orders change mid-run, so the cursor only moves once every page is in.
        repository.commit_page(session, self.connection, "orders", started)
