"""Shopify's own fixture order (tests/fixtures/shopify/README.md) through the signed webhook: what is stored."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.config import Settings
from grassroots.connectors import service
from grassroots.db.session import session_scope
from grassroots.tracking.models import CommerceSource, Customer, DiscountKind, Order, OrderRefund, PromoCode
from grassroots.tracking.records import PromoCodeRecord
from grassroots.tracking.service import save_promo_code
from tests.connectors.shopify.test_connector import FIXTURES, SECRETS, SHOP, sign
from tests.support import workspace_id

OTHER = {"access_token": "shpat_other", "client_secret": "shpss_other_workspace"}


def documented_order(**changes: Any) -> bytes:
    """The order object of Shopify's fixture, as a webhook body (webhooks send the object unwrapped)."""
    return json.dumps(
        {**json.loads((FIXTURES / "shopify_python_api_order.json").read_text())["order"], **changes}
    ).encode()


def documented_refund() -> bytes:
    """The refund of Shopify's fixture (209.00 back on order 450789469), as a ``refunds/create`` body."""
    return json.dumps(json.loads((FIXTURES / "shopify_python_api_refund.json").read_text())["refund"]).encode()


def connect(engine: Engine, settings: Settings, workspace: str, secrets: dict[str, str]) -> int:
    ws = workspace_id(engine, workspace)
    with session_scope(engine) as session:
        service.connect(session, ws, "shopify", secrets, {"shop": SHOP, "api": "rest"}, settings=settings)
    return ws


def post(client: TestClient, body: bytes, webhook_id: str, secret: str, topic: str = "orders/create") -> Any:
    headers = {"X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": SHOP, "X-Shopify-Webhook-Id": webhook_id,
               "X-Shopify-Hmac-Sha256": sign(body, secret), "Content-Type": "application/json"}  # fmt: skip
    return client.post("/webhooks/shopify", content=body, headers=headers)


def test_documented_order_keeps_codes_normalised_and_recounts_the_customer(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(engine, settings, "A", SECRETS)
    assert post(client, documented_order(), "doc-1", SECRETS["client_secret"]).json() == {"status": "processed"}
    with session_scope(engine) as session:
        order = session.scalars(select(Order).where(Order.workspace_id == a)).one()
        assert order.number == "#1001" and order.total == Decimal("409.94") and order.discount_codes == ["TENOFF"]
        bob = session.scalars(select(Customer).where(Customer.workspace_id == a)).one()
        # The payload says orders_count 0 / total_spent 0.00 (removed from an order's customer in API 2022-04):
        # the stored order is counted instead.
        assert (bob.orders_count, bob.total_spent) == (1, Decimal("409.94"))


def test_current_total_price_wins_over_total_price(client: TestClient, engine: Engine, settings: Settings) -> None:
    a = connect(engine, settings, "A", SECRETS)
    body = documented_order(current_total_price="209.94", financial_status="partially_refunded")
    assert post(client, body, "doc-2", SECRETS["client_secret"]).json() == {"status": "processed"}
    with session_scope(engine) as session:
        assert session.scalars(select(Order.total).where(Order.workspace_id == a)).one() == Decimal("209.94")


def test_codes_are_case_insensitive_on_storage_and_look_up(engine: Engine) -> None:
    ws = workspace_id(engine, "A")
    with session_scope(engine) as session:
        record = PromoCodeRecord(CommerceSource.shopify, "tenoff", DiscountKind.fixed_amount, Decimal(10))
        first, created = save_promo_code(session, ws, record)
        again, created_again = save_promo_code(session, ws, PromoCodeRecord(
            CommerceSource.shopify, " TenOff ", DiscountKind.fixed_amount, Decimal(10), usage_count=2))  # fmt: skip
        assert created and not created_again and first.id == again.id
        assert session.scalars(select(PromoCode.code)).all() == ["TENOFF"]


def test_a_delivery_signed_with_another_workspaces_secret_is_not_applied(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(engine, settings, "A", SECRETS)
    b = connect(engine, settings, "B", OTHER)
    assert post(client, documented_order(), "doc-a", SECRETS["client_secret"]).json() == {"status": "processed"}
    # Workspace B signs a changed copy of A's order: it lands in B only; A's order keeps its total.
    forged = documented_order(current_total_price="0.00", updated_at="2030-01-01T00:00:00Z")
    assert post(client, forged, "doc-b", OTHER["client_secret"]).json() == {"status": "processed"}
    assert post(client, forged, "doc-x", "not-a-connected-secret").status_code == 401
    with session_scope(engine) as session:
        totals = dict(session.execute(select(Order.workspace_id, Order.total)).all())
        assert totals == {a: Decimal("409.94"), b: Decimal("0.00")}


def test_refunds_create_reverses_revenue_once_per_refund(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(engine, settings, "A", SECRETS)
    secret = SECRETS["client_secret"]
    assert post(client, documented_order(), "r-order", secret).json() == {"status": "processed"}
    assert post(client, documented_refund(), "r-1", secret, "refunds/create").json() == {"status": "processed"}
    # The same refund again under another delivery id (a retry, a replay): counted once.
    assert post(client, documented_refund(), "r-2", secret, "refunds/create").json() == {"status": "processed"}
    # An orders/updated older than the refund (the fixture's 2008 version) cannot restore the gross total.
    assert post(client, documented_order(), "r-old", secret, "orders/updated").json() == {"status": "processed"}
    with session_scope(engine) as session:
        order = session.scalars(select(Order).where(Order.workspace_id == a)).one()
        assert (order.total, order.refunded) == (Decimal("200.94"), Decimal("209.00"))
        assert session.scalars(select(OrderRefund.external_id)).all() == ["509562969"]
        bob = session.scalars(select(Customer).where(Customer.workspace_id == a)).one()
        assert bob.total_spent == Decimal("200.94")
    # A newer version of the order (after the refund) is Shopify's own net figure: stored as it is.
    newer = documented_order(current_total_price="200.94", updated_at="2016-06-20T13:40:00-04:00")
    assert post(client, newer, "r-new", secret, "orders/updated").json() == {"status": "processed"}
    with session_scope(engine) as session:
        assert session.scalars(select(Order.total).where(Order.workspace_id == a)).one() == Decimal("200.94")


def test_a_refund_signed_by_another_workspace_is_not_applied(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(engine, settings, "A", SECRETS)
    b = connect(engine, settings, "B", OTHER)
    assert post(client, documented_order(), "x-order", SECRETS["client_secret"]).json() == {"status": "processed"}
    refund = documented_refund()
    assert post(client, refund, "x-b", OTHER["client_secret"], "refunds/create").json() == {"status": "processed"}
    assert post(client, refund, "x-?", "not-a-connected-secret", "refunds/create").status_code == 401
    with session_scope(engine) as session:
        order = session.scalars(select(Order).where(Order.workspace_id == a)).one()
        assert (order.total, order.refunded) == (Decimal("409.94"), Decimal("0.00"))
        assert session.scalars(select(OrderRefund.workspace_id)).all() == [b]  # kept in B, which has no such order


def test_documented_order_keeps_tax_shipping_code_details_and_links_the_promo_code(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(engine, settings, "A", SECRETS)
    b = connect(engine, settings, "B", OTHER)
    with session_scope(engine) as session:
        record = PromoCodeRecord(CommerceSource.shopify, "tenoff", DiscountKind.fixed_amount, Decimal(10))
        promo_a = save_promo_code(session, a, record)[0].id
        promo_b = save_promo_code(session, b, record)[0].id
    assert post(client, documented_order(), "d-a", SECRETS["client_secret"]).json() == {"status": "processed"}
    with session_scope(engine) as session:
        order = session.scalars(select(Order).where(Order.workspace_id == a)).one()
        assert (order.tax, order.shipping, order.landing_site_ref) == (Decimal("11.94"), Decimal("0.00"), "abc")
        assert order.discount_details == [{"code": "TENOFF", "amount": "10.00", "type": None}]
        assert order.note_attributes == [
            {"name": "custom engraving", "value": "Happy Birthday"}, {"name": "colour", "value": "green"},
        ]  # fmt: skip
        assert order.promo_code_id == promo_a != promo_b  # A's own code, never B's
        assert session.scalars(select(Order).where(Order.workspace_id == b)).all() == []
    # An older version of the order (stale) changes none of it.
    stale = documented_order(updated_at="2007-01-01T00:00:00Z", landing_site_ref="old", note_attributes=[])
    assert post(client, stale, "d-stale", SECRETS["client_secret"], "orders/updated").json() == {"status": "processed"}
    with session_scope(engine) as session:
        order = session.scalars(select(Order).where(Order.workspace_id == a)).one()
        assert order.landing_site_ref == "abc" and len(order.note_attributes or []) == 2
