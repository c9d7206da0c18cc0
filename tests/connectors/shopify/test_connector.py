"""Shopify: REST and GraphQL paging, rate limits, webhooks, discount codes, against recorded-shape responses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors import service
from grassroots.connectors.base import no_progress
from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.connectors.shopify.connector import ShopifyConnector, create_discount_code
from grassroots.db.session import session_scope
from grassroots.tracking.models import Customer, DiscountKind, Order, OrderLine, PromoCode
from tests.support import FIXTURES, workspace_id

FIXTURES = FIXTURES / "shopify"
SHOP = "brand-test.myshopify.com"
SECRETS = {"access_token": "shpat_0123456789abcdef", "client_secret": "shpss_fedcba9876543210"}
BASE = f"https://{SHOP}/admin/api/2026-10"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


class FakeShopify:
    """Serves recorded-shape Admin API answers and records every request."""

    def __init__(
        self, *, throttle_first: bool = False, rate_limit_first: bool = False, scopes: str = "access_scopes.json"
    ) -> None:
        self.requests: list[httpx.Request] = []
        self.scopes = scopes
        self.throttle_first = throttle_first
        self.rate_limit_first = rate_limit_first

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert request.headers["X-Shopify-Access-Token"] == SECRETS["access_token"]
        path, params = request.url.path, request.url.params
        limit = {"X-Shopify-Shop-Api-Call-Limit": "12/40"}
        if path == "/admin/oauth/access_scopes.json":
            return httpx.Response(200, json=fixture(self.scopes))
        if path.endswith("/customers.json"):
            return httpx.Response(200, json=fixture("customers.json"), headers=limit)
        if path.endswith("/orders.json"):
            if self.rate_limit_first:
                self.rate_limit_first = False
                return httpx.Response(429, json=fixture("rate_limited.json"), headers={"Retry-After": "2.0"})
            if params.get("page_info") == "cGFnZTI":
                return httpx.Response(
                    200, json=fixture("orders_page2.json"), headers={"X-Shopify-Shop-Api-Call-Limit": "39/40"}
                )
            if "updated_at_min" in params:
                return httpx.Response(200, json=fixture("orders_updated.json"), headers=limit)
            link = f'<{BASE}/orders.json?limit=250&page_info=cGFnZTI>; rel="next"'
            return httpx.Response(200, json=fixture("orders_page1.json"), headers={**limit, "Link": link})
        if path.endswith("/graphql.json"):
            if self.throttle_first:
                self.throttle_first = False
                return httpx.Response(200, json=fixture("graphql_throttled.json"))
            if "codeDiscountNodes" in json.loads(request.content)["query"]:
                return httpx.Response(200, json=fixture("graphql_discount_codes.json"))
            after = json.loads(request.content)["variables"]["after"]
            return httpx.Response(
                200, json=fixture("graphql_orders_page2.json" if after else "graphql_orders_page1.json")
            )
        if path.endswith("/price_rules.json"):
            return httpx.Response(201, json=fixture("price_rule_created.json"))
        if path.endswith("/price_rules/507328175/discount_codes.json"):
            return httpx.Response(201, json=fixture("discount_code_created.json"))
        return httpx.Response(404, json={"errors": "Not Found"})


def connect(engine: Engine, settings: Settings, api: str = "rest") -> int:
    with session_scope(engine) as session:
        connection = service.connect(
            session, workspace_id(engine), "shopify", SECRETS, {"shop": SHOP, "api": api}, settings=settings
        )
        return connection.id


def run_sync(engine: Engine, connection_id: int, fake: FakeShopify, sleeps: list[float]) -> Any:
    with session_scope(engine) as session:
        connection = session.get(Connection, connection_id)
        assert connection is not None
        connector = ShopifyConnector(connection, SECRETS, transport=httpx.MockTransport(fake))
        connector.client.sleep = sleeps.append
        return connector.sync(session, no_progress)


def orders(session: Session) -> dict[str, Order]:
    return {o.number: o for o in session.scalars(select(Order))}


def test_rest_sync_pages_to_the_end_waits_out_429_and_skips_a_malformed_order(
    engine: Engine, settings: Settings
) -> None:
    fake, sleeps = FakeShopify(rate_limit_first=True), []
    summary = run_sync(engine, connect(engine, settings), fake, sleeps)
    assert summary.fetched == 4 and summary.new == 3 and summary.updated == 0
    assert [s.item for s in summary.skipped] == ["order #1004"]
    assert "total_price" in summary.skipped[0].reason
    assert 2.0 in sleeps  # Retry-After honoured
    assert any(s >= 0.5 for s in sleeps if s != 2.0)  # 39/40 on the call-limit header: paced
    second = next(r for r in fake.requests if "page_info" in r.url.params)
    assert set(second.url.params) == {"limit", "page_info"}  # page_info pages carry no other filters
    with session_scope(engine) as session:
        stored = orders(session)
        assert set(stored) == {"#1001", "#1002", "#1003"}
        first = stored["#1001"]
        assert (first.utm_source, first.utm_medium, first.utm_campaign, first.utm_content) == (
            "instagram", "influencer", "spring-launch", "maya.makes",
        )  # fmt: skip
        assert first.discount_codes == ["MAYA10"] and first.total == Decimal("94.05")
        assert stored["#1002"].email == "jonas@example.com"
        assert session.scalar(select(func.count()).select_from(OrderLine)) == 6
        maya = session.scalars(select(Customer).where(Customer.external_id == "207119551")).one()
        assert maya.email == "maya.buyer@example.com" and maya.orders_count == 2  # recounted from stored orders


def test_resync_is_incremental_and_updates_in_place(engine: Engine, settings: Settings) -> None:
    connection_id = connect(engine, settings)
    run_sync(engine, connection_id, FakeShopify(), [])
    fake = FakeShopify()
    summary = run_sync(engine, connection_id, fake, [])
    order_calls = [r for r in fake.requests if r.url.path.endswith("/orders.json")]
    assert order_calls[0].url.params["updated_at_min"] == "2026-03-15T11:00:00-04:00"
    assert summary.new == 0 and summary.updated == 1
    with session_scope(engine) as session:
        stored = orders(session)
        assert len(stored) == 3
        assert stored["#1001"].financial_status == "refunded" and stored["#1001"].total == Decimal("0.00")
        assert session.scalar(select(func.count()).select_from(OrderLine)) == 6  # lines replaced, not added


def test_graphql_sync_follows_cursors_and_waits_when_throttled(engine: Engine, settings: Settings) -> None:
    fake, sleeps = FakeShopify(throttle_first=True), []
    summary = run_sync(engine, connect(engine, settings, api="graphql"), fake, sleeps)
    assert summary.new == 3 and [s.item for s in summary.skipped] == ["order #2004"]
    # THROTTLED: 252 requested, 52 available, 100/s restore -> about 2 s.
    assert sleeps and sleeps[0] == pytest.approx(2.1)
    # The shop's discount codes come first (the throttled call is retried), then the orders' pages.
    queries = [json.loads(r.content) for r in fake.requests if r.url.path.endswith("/graphql.json")]
    assert ["codeDiscountNodes" in q["query"] for q in queries] == [True, True, False, False]
    afters = [q["variables"]["after"] for q in queries[2:]]
    assert afters == [None, "eyJsYXN0X2lkIjo1NTAwMDAwMDEsImxhc3RfdmFsdWUiOiIyMDI2LTA0LTAxIn0="]
    with session_scope(engine) as session:
        stored = orders(session)
        assert stored["#2001"].external_id == "550000000" and stored["#2001"].currency == "EUR"
        assert stored["#2001"].utm_source == "youtube" and stored["#2001"].discount_codes == ["LENA-20"]


def test_discount_code_round_trip(engine: Engine, settings: Settings) -> None:
    fake = FakeShopify()
    connection_id = connect(engine, settings)
    with session_scope(engine) as session:
        connection = session.get(Connection, connection_id)
        assert connection is not None
        promo = create_discount_code(
            session, connection, SECRETS, code="MAYA15", kind=DiscountKind.percentage, value=Decimal(15),
            transport=httpx.MockTransport(fake),
        )  # fmt: skip
        assert promo.external_id == "507328175/1054381139"
    rule = json.loads(fake.requests[0].content)["price_rule"]
    assert rule["value_type"] == "percentage" and rule["value"] == "-15" and rule["title"] == "MAYA15"
    assert json.loads(fake.requests[1].content) == {"discount_code": {"code": "MAYA15"}}
    with session_scope(engine) as session:
        stored = session.scalars(select(PromoCode)).one()
        assert (stored.code, stored.kind, stored.value) == ("MAYA15", DiscountKind.percentage, Decimal("15.00"))


def sign(body: bytes, secret: str = SECRETS["client_secret"]) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def deliver(client: TestClient, body: bytes, webhook_id: str, signature: str | None) -> httpx.Response:
    headers = {"X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": SHOP, "X-Shopify-Webhook-Id": webhook_id,
               "Content-Type": "application/json"}  # fmt: skip
    if signature is not None:
        headers["X-Shopify-Hmac-Sha256"] = signature
    return client.post("/webhooks/shopify", content=body, headers=headers)


@pytest.fixture
def hook_client(client: TestClient, engine: Engine, settings: Settings) -> TestClient:
    connect(engine, settings)
    return client


def test_webhook_checks_the_signature_of_the_raw_body(hook_client: TestClient, engine: Engine) -> None:
    body = (FIXTURES / "webhook_order.json").read_bytes()
    assert deliver(hook_client, body, "w-1", None).status_code == 401
    bad = deliver(hook_client, body, "w-1", sign(body, "not-the-secret"))
    assert bad.status_code == 401 and bad.headers["content-type"].startswith("application/problem+json")
    reformatted = json.dumps(json.loads(body)).encode()  # same JSON, different bytes: must not verify
    assert deliver(hook_client, reformatted, "w-1", sign(body)).status_code == 401
    assert deliver(hook_client, body, "w-1", sign(body)).json() == {"status": "processed"}
    with session_scope(engine) as session:
        assert [o.email for o in session.scalars(select(Order))] == ["webhook.buyer@example.com"]


def test_duplicate_and_burst_deliveries(hook_client: TestClient, engine: Engine) -> None:
    template = json.loads((FIXTURES / "webhook_order.json").read_text())
    body = json.dumps(template).encode()
    assert deliver(hook_client, body, "dup-1", sign(body)).json() == {"status": "processed"}
    assert deliver(hook_client, body, "dup-1", sign(body)).json() == {"status": "duplicate"}
    for n in range(25):
        payload = json.dumps({**template, "id": 900000 + n, "name": f"#B{n}"}).encode()
        assert deliver(hook_client, payload, f"burst-{n}", sign(payload)).status_code == 200
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 26
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 26


def test_graphql_is_the_default_on_a_supported_version_with_the_journey_summary(
    engine: Engine, settings: Settings
) -> None:
    with session_scope(engine) as session:
        connection_id = service.connect(
            session, workspace_id(engine), "shopify", SECRETS, {"shop": SHOP}, settings=settings
        ).id
    fake = FakeShopify()
    summary = run_sync(engine, connection_id, fake, [])
    assert summary.new == 3
    # Besides GraphQL, only the granted scopes are read (AccessScope, to warn when read_all_orders is missing).
    assert {r.url.path for r in fake.requests} == {"/admin/api/2026-10/graphql.json", "/admin/oauth/access_scopes.json"}
    query = json.loads(fake.requests[-1].content)["query"]
    assert "customerJourneySummary" in query and "landingPageUrl" not in query and "referrerUrl }" in query
    with session_scope(engine) as session:
        first = orders(session)["#2001"]
        assert (first.utm_source, first.referring_site) == ("youtube", "https://www.youtube.com/")
