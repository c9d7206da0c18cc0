"""WooCommerce REST v3 and webhooks against recorded-shape responses."""

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

from grassroots.config import Settings
from grassroots.connectors import service
from grassroots.connectors.base import no_progress
from grassroots.connectors.http import AuthFailed
from grassroots.connectors.models import Connection
from grassroots.connectors.woocommerce.connector import WooCommerceConnector
from grassroots.db.session import session_scope
from grassroots.tracking.models import Customer, DiscountKind, Order, PromoCode
from tests.support import FIXTURES, workspace_id

FIXTURES = FIXTURES / "woocommerce"
STORE = "https://shop.example.com"
SECRETS = {"consumer_key": "ck_0123456789abcdef", "consumer_secret": "cs_fedcba9876543210", "webhook_secret": "whsec-1"}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


class FakeWoo:
    """Serves /wp-json/wc/v3 list endpoints with X-WP-Total / X-WP-TotalPages, recording requests."""

    def __init__(self, *, status: int = 200, rate_limit_first: bool = False) -> None:
        self.requests: list[httpx.Request] = []
        self.status = status
        self.rate_limit_first = rate_limit_first

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        expected = base64.b64encode(f"{SECRETS['consumer_key']}:{SECRETS['consumer_secret']}".encode()).decode()
        assert request.headers["Authorization"] == f"Basic {expected}"
        if self.status != 200:
            return httpx.Response(self.status, json=fixture("unauthorized.json"))
        resource = request.url.path.rsplit("/", 1)[-1]
        page = int(request.url.params.get("page", "1"))
        if resource == "orders":
            if self.rate_limit_first:
                self.rate_limit_first = False
                return httpx.Response(429, json={"code": "too_many_requests"}, headers={"Retry-After": "1"})
            body = fixture(f"orders_page{page}.json")
            return httpx.Response(200, json=body, headers={"X-WP-Total": "4", "X-WP-TotalPages": "2"})
        body = fixture(f"{resource}.json")
        return httpx.Response(200, json=body, headers={"X-WP-Total": str(len(body)), "X-WP-TotalPages": "1"})


def connect(engine: Engine, settings: Settings) -> int:
    with session_scope(engine) as session:
        return service.connect(
            session, workspace_id(engine), "woocommerce", SECRETS, {"store_url": STORE}, settings=settings
        ).id


def run_sync(engine: Engine, connection_id: int, fake: FakeWoo, sleeps: list[float] | None = None) -> Any:
    with session_scope(engine) as session:
        connection = session.get(Connection, connection_id)
        assert connection is not None
        connector = WooCommerceConnector(connection, SECRETS, transport=httpx.MockTransport(fake))
        connector.client.sleep = (sleeps if sleeps is not None else []).append
        return connector.sync(session, no_progress)


def test_sync_pages_orders_customers_and_coupons(engine: Engine, settings: Settings) -> None:
    fake, sleeps = FakeWoo(rate_limit_first=True), []
    summary = run_sync(engine, connect(engine, settings), fake, sleeps)
    assert sleeps == [1.0]
    assert summary.new == 3 and [s.item for s in summary.skipped] == ["order 730"]
    pages = [r.url.params["page"] for r in fake.requests if r.url.path.endswith("/orders")]
    assert pages == ["1", "1", "2"]  # the 429 retried, then page 2 of X-WP-TotalPages=2
    with session_scope(engine) as session:
        stored = {o.number: o for o in session.scalars(select(Order))}
        assert set(stored) == {"727", "728", "729"}
        assert stored["727"].utm_content == "maya.makes" and stored["727"].discount_codes == ["MAYA10"]
        assert stored["727"].referring_site == "https://l.instagram.com/"
        assert stored["728"].email == "guest.buyer@example.com"
        codes = {p.code: p for p in session.scalars(select(PromoCode))}
        assert codes["MAYA10"].kind is DiscountKind.percentage and codes["MAYA10"].value == Decimal("10.00")
        assert codes["LENA5OFF"].kind is DiscountKind.fixed_amount and codes["LENA5OFF"].usage_count == 1
        maya = session.scalars(select(Customer).where(Customer.external_id == "12")).one()
        assert maya.email == "maya.buyer@example.com" and maya.orders_count == 1


def test_resync_uses_modified_after_and_does_not_duplicate(engine: Engine, settings: Settings) -> None:
    connection_id = connect(engine, settings)
    run_sync(engine, connection_id, FakeWoo())
    fake = FakeWoo()
    summary = run_sync(engine, connection_id, fake)
    assert summary.new == 0 and summary.updated == 3
    assert all("modified_after" in r.url.params for r in fake.requests if r.url.path.endswith("/orders"))
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 3


def test_rejected_keys_are_an_auth_failure_without_the_secret(engine: Engine, settings: Settings) -> None:
    with pytest.raises(AuthFailed) as failure:
        run_sync(engine, connect(engine, settings), FakeWoo(status=401))
    assert SECRETS["consumer_secret"] not in str(failure.value) and "cannot list" in str(failure.value)


def sign(body: bytes, secret: str = SECRETS["webhook_secret"]) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def deliver(client: TestClient, body: bytes, delivery: str, signature: str | None) -> httpx.Response:
    headers = {"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Source": f"{STORE}/",
               "X-WC-Webhook-Delivery-ID": delivery, "Content-Type": "application/json"}  # fmt: skip
    if signature is not None:
        headers["X-WC-Webhook-Signature"] = signature
    return client.post("/webhooks/woocommerce", content=body, headers=headers)


@pytest.fixture
def hook_client(client: TestClient, engine: Engine, settings: Settings) -> TestClient:
    connect(engine, settings)
    return client


def test_webhook_signature_duplicates_and_ping(hook_client: TestClient, engine: Engine) -> None:
    body = (FIXTURES / "webhook_order.json").read_bytes()
    ping = hook_client.post("/webhooks/woocommerce", content=b"webhook_id=17",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert ping.status_code == 200 and ping.json() == {"status": "ping"}
    assert deliver(hook_client, body, "41", None).status_code == 401
    assert deliver(hook_client, body, "41", sign(body, "wrong")).status_code == 401
    assert deliver(hook_client, body, "41", sign(body)).json() == {"status": "processed"}
    assert deliver(hook_client, body, "41", sign(body)).json() == {"status": "duplicate"}
    template = json.loads(body)
    for n in range(20):
        payload = json.dumps({**template, "id": 5000 + n, "number": f"B{n}"}).encode()
        assert deliver(hook_client, payload, f"burst-{n}", sign(payload)).json() == {"status": "processed"}
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 21


def test_webhook_coupon_codes_are_normalised_with_their_amounts_and_totals(
    hook_client: TestClient, engine: Engine
) -> None:
    template = json.loads((FIXTURES / "webhook_order.json").read_text())
    body = json.dumps({**template, "coupon_lines": [{"id": 1, "code": "Maya10", "discount": "5.90"}]}).encode()
    assert deliver(hook_client, body, "c-1", sign(body)).json() == {"status": "processed"}
    # The same order signed with another secret (another workspace's) is refused and changes nothing.
    forged = json.dumps({**template, "coupon_lines": [{"id": 1, "code": "OTHER", "discount": "1"}]}).encode()
    assert deliver(hook_client, forged, "c-2", sign(forged, "another-workspaces-secret")).status_code == 401
    with session_scope(engine) as session:
        order = session.scalars(select(Order)).one()
        assert order.discount_codes == ["MAYA10"]
        assert order.discount_details == [{"code": "MAYA10", "amount": "5.90", "type": None}]
        assert (order.tax, order.shipping) == (Decimal("0.00"), Decimal("10.00"))
