"""Shopify's own fixture order and its refund (tests/fixtures/shopify/README.md), replayed as signed webhooks:
attributed by every method, the refund lowering the credit, the cancellation taking it back, duplicates once."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.creators.models import Creator
from grassroots.db.session import session_scope
from grassroots.judgments.tracking.attribution import METHODS
from grassroots.tracking import attribution as service
from grassroots.tracking.link_models import Click, ShortLink
from grassroots.tracking.models import CommerceSource, DiscountKind
from grassroots.tracking.records import PromoCodeRecord
from grassroots.tracking.service import save_promo_code
from tests.connectors.shopify.test_connector import SECRETS
from tests.connectors.shopify.test_documented_order import connect, documented_order, documented_refund, post

# The fixture order was placed 2008-01-10T11:00:00-05:00; Leo's link was clicked three days before.
CLICKED = datetime(2008, 1, 7, 16, tzinfo=UTC)
# The redirector appends the click id to the shop's URL, so Shopify's landing_site carries it.
LANDING = "http://www.example.com?source=abc&gr_click=clk_shopify_0001"


def setup(engine: Engine, settings: Settings) -> tuple[int, int, int]:
    """Workspace A connected to the shop; TENOFF is Maya's code; Leo's link has one click."""
    ws = connect(engine, settings, "A", SECRETS)
    with session_scope(engine) as s:
        maya, leo = Creator(workspace_id=ws, display_name="Maya"), Creator(workspace_id=ws, display_name="Leo")
        s.add_all([maya, leo])
        s.flush()
        code = save_promo_code(s, ws, PromoCodeRecord(CommerceSource.shopify, "tenoff", DiscountKind.fixed_amount,
                                                      Decimal(10)))[0]  # fmt: skip
        code.creator_id = maya.id
        link = ShortLink(workspace_id=ws, slug="leo", destination="http://www.example.com", creator_id=leo.id)
        s.add(link)
        s.flush()
        s.add(
            Click(workspace_id=ws, click_id="clk_shopify_0001", link_id=link.id, at=CLICKED, visitor="v", ip_hash="h")
        )
        return ws, maya.id, leo.id


def revenue(engine: Engine, ws: int, creator_id: int) -> dict[str, Decimal]:
    """The creator's credited revenue by every method."""
    _, rules = service.parse_rules(None, None)
    with session_scope(engine) as s:
        report = service.report(s, ws, service.DEFAULT_METHOD, rules)
    row = next((r for r in report.creators if r.id == creator_id), None)
    return {m: row.by_method[m].revenue if row else Decimal(0) for m in METHODS}


def test_the_documented_order_is_attributed_by_every_method_and_its_refund_reverses_it(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    ws, maya, leo = setup(engine, settings)
    secret = SECRETS["client_secret"]
    body = documented_order(landing_site=LANDING)
    assert post(client, body, "att-1", secret).json() == {"status": "processed"}
    assert post(client, body, "att-1-again", secret).json() == {"status": "processed"}  # a second delivery
    gross = Decimal("409.94")
    # TENOFF (Maya's code) wins under code first; Leo's click, three days earlier, wins every click method.
    assert revenue(engine, ws, maya) == {m: gross if m == "code_then_click" else Decimal(0) for m in METHODS}
    assert revenue(engine, ws, leo) == {m: Decimal(0) if m == "code_then_click" else gross for m in METHODS}
    _, rules = service.parse_rules(None, None)
    with session_scope(engine) as s:
        shown = service.drilldown(s, ws, "creator", leo, "code_then_click", rules)
    assert [(o.number, o.codes, [c.click_id for c in o.clicks]) for o in shown.assisted] == [
        ("#1001", ["TENOFF"], ["clk_shopify_0001"])
    ]

    # Shopify's documented refund gives 209.00 back: every method now credits the net 200.94.
    assert post(client, documented_refund(), "att-refund", secret, "refunds/create").json() == {"status": "processed"}
    net = Decimal("200.94")
    assert revenue(engine, ws, maya)["code_then_click"] == net
    assert {m: v for m, v in revenue(engine, ws, leo).items() if m != "code_then_click"} == dict.fromkeys(
        METHODS[1:], net
    )

    # Later (after the refund, dated 2016 in the fixture) the order is cancelled and refunded in full: the credit is
    # reversed by every method.
    cancelled = documented_order(landing_site=LANDING, cancelled_at="2016-06-21T09:00:00-04:00",
                                 updated_at="2016-06-21T09:00:00-04:00", financial_status="refunded",
                                 current_total_price="0.00")  # fmt: skip
    assert post(client, cancelled, "att-cancel", secret, "orders/cancelled").json() == {"status": "processed"}
    assert revenue(engine, ws, maya) == dict.fromkeys(METHODS, Decimal(0))
    assert revenue(engine, ws, leo) == dict.fromkeys(METHODS, Decimal(0))
    with session_scope(engine) as s:
        shown = service.drilldown(s, ws, "creator", leo, "last_click", rules)
        report = service.report(s, ws, "last_click", rules)
    assert [(o.number, o.reversed, o.credited_revenue) for o in shown.credited] == [("#1001", True, Decimal(0))]
    assert (report.orders, report.reversed_orders) == (1, 1)  # two deliveries, one order
