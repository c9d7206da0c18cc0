"""What the audit left: variant titles, orders/cancelled, a refund before its order, shop/redact, the
read_all_orders warning and the shop's discount codes, through signed webhooks and recorded-shape answers."""

from __future__ import annotations

from decimal import Decimal

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.config import Settings
from grassroots.connectors import service
from grassroots.connectors.base import no_progress
from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.connectors.shopify.connector import ShopifyConnector
from grassroots.db.session import session_scope
from grassroots.tracking.models import Customer, DiscountKind, Order, OrderLine, OrderRefund, PromoCode
from tests.connectors.shopify.test_connector import SECRETS, SHOP, FakeShopify
from tests.connectors.shopify.test_documented_order import OTHER, connect, documented_order, documented_refund, post
from tests.support import workspace_id

SECRET = SECRETS["client_secret"]


def test_variant_titles_are_kept_on_order_lines(client: TestClient, engine: Engine, settings: Settings) -> None:
    connect(engine, settings, "A", SECRETS)
    assert post(client, documented_order(), "v-1", SECRET).json() == {"status": "processed"}
    with session_scope(engine) as session:
        lines = session.execute(select(OrderLine.title, OrderLine.variant_title).order_by(OrderLine.id)).all()
        assert lines == [("IPod Nano - 8gb", "green"), ("IPod Nano - 8gb", "red"), ("IPod Nano - 8gb", "black")]


def test_a_cancelled_order_counts_no_revenue_and_an_older_update_cannot_revive_it(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(engine, settings, "A", SECRETS)
    assert post(client, documented_order(), "c-1", SECRET).json() == {"status": "processed"}
    cancelled = documented_order(cancelled_at="2008-01-11T09:00:00-05:00", updated_at="2008-01-11T09:00:00-05:00")
    assert post(client, cancelled, "c-2", SECRET, "orders/cancelled").json() == {"status": "processed"}
    older = documented_order(updated_at="2008-01-10T12:00:00-05:00")
    assert post(client, older, "c-3", SECRET, "orders/updated").json() == {"status": "processed"}
    with session_scope(engine) as session:
        order = session.scalars(select(Order).where(Order.workspace_id == a)).one()
        assert order.total == Decimal("0.00") and order.cancelled_at is not None
        assert session.scalars(select(Customer.total_spent)).one() == Decimal("0.00")


def test_a_refund_that_arrives_before_its_order_is_applied_when_the_order_comes(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(engine, settings, "A", SECRETS)
    assert post(client, documented_refund(), "b-1", SECRET, "refunds/create").json() == {"status": "processed"}
    # The order's 2008 version predates the 2016 refund, so its total still holds the refunded money.
    assert post(client, documented_order(), "b-2", SECRET).json() == {"status": "processed"}
    with session_scope(engine) as session:
        order = session.scalars(select(Order).where(Order.workspace_id == a)).one()
        assert (order.total, order.refunded) == (Decimal("200.94"), Decimal("209.00"))
    # The same order again (a retry) subtracts nothing more.
    assert post(client, documented_order(), "b-3", SECRET).json() == {"status": "processed"}
    with session_scope(engine) as session:
        assert session.scalars(select(Order.total)).one() == Decimal("200.94")


def test_shop_redact_deletes_that_workspaces_shop_data_only(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(engine, settings, "A", SECRETS)
    b = connect(engine, settings, "B", OTHER)
    for secret, name in ((SECRET, "a"), (OTHER["client_secret"], "b")):
        assert post(client, documented_order(), f"s-{name}", secret).json() == {"status": "processed"}
        assert post(client, documented_refund(), f"s-r{name}", secret, "refunds/create").json() == {
            "status": "processed"
        }
    redact = b'{"shop_id": 954889, "shop_domain": "' + SHOP.encode() + b'"}'  # shopify.dev, shop/redact payload
    assert post(client, redact, "s-x", SECRET, "shop/redact").json() == {"status": "processed"}
    with session_scope(engine) as session:
        for model in (Order, Customer, OrderRefund, PromoCode):
            assert session.scalar(select(func.count()).select_from(model).where(model.workspace_id == a)) == 0
        assert session.scalar(select(func.count()).select_from(OrderLine).where(OrderLine.workspace_id == a)) == 0
        assert session.scalar(select(func.count()).select_from(Order).where(Order.workspace_id == b)) == 1
        assert session.scalar(select(func.count()).select_from(OrderRefund).where(OrderRefund.workspace_id == b)) == 1
        deliveries = session.scalars(select(WebhookDelivery).where(WebhookDelivery.workspace_id == a)).all()
        assert [(d.topic, d.body) for d in deliveries] == [("shop/redact", None)]
        statuses = dict(session.execute(select(Connection.workspace_id, Connection.status)).all())
        assert statuses == {a: "disabled", b: "active"}


def _sync(engine: Engine, settings: Settings, fake: FakeShopify) -> ShopifyConnector:
    with session_scope(engine) as session:
        connection = service.connect(
            session, workspace_id(engine), "shopify", SECRETS, {"shop": SHOP}, settings=settings
        )
        connector = ShopifyConnector(connection, SECRETS, transport=httpx.MockTransport(fake))
        connector.client.sleep = lambda _: None
        connector.sync(session, no_progress)
        return connector


def test_a_token_without_read_all_orders_is_reported(engine: Engine, settings: Settings) -> None:
    limited = _sync(engine, settings, FakeShopify(scopes="access_scopes_without_all_orders.json")).summary
    assert [n.item for n in limited.notes] == ["read_all_orders missing"]
    assert "only the last 60 days of orders" in limited.notes[0].reason


def test_the_sync_imports_the_shops_discount_codes(engine: Engine, settings: Settings) -> None:
    summary = _sync(engine, settings, FakeShopify()).summary
    assert summary.notes == []
    with session_scope(engine) as session:
        codes = {p.code: (p.kind, p.value, p.usage_count, p.external_id) for p in session.scalars(select(PromoCode))}
    assert codes == {
        "SPRING20": (DiscountKind.percentage, Decimal("20.00"), 12, "gid://shopify/DiscountCodeNode/1057371256"),
        "TENOFF": (DiscountKind.fixed_amount, Decimal("10.00"), 3, "gid://shopify/DiscountCodeNode/1057371257"),
    }
