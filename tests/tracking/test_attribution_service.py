"""Attribution from the database: codes, carried click ids, bots, refunds, self-purchases, referral codes, ROI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration, EntryKind, LedgerEntry
from grassroots.creators.models import Creator
from grassroots.db.session import session_scope
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking import attribution as service
from grassroots.tracking.link_models import Click, ShortLink
from grassroots.tracking.models import CommerceSource, Customer, DiscountKind, Order, PromoCode, ReferralInvite
from tests.support import workspace_id

T = datetime(2026, 11, 20, 15, tzinfo=UTC)


@dataclass
class World:
    """Ids of what ``build`` stored."""

    ws: int
    maya: int
    leo: int
    spring: int
    other_creator: int
    other_campaign: int


def order(ws: int, n: int, total: str, **fields: object) -> Order:
    """An order of ``ws`` placed at T unless said otherwise."""
    values: dict[str, object] = {"workspace_id": ws, "source": CommerceSource.shopify, "external_id": f"{ws}-{n}",
        "number": f"#{1000 + n}", "created_at": T, "currency": "EUR", "subtotal": Decimal(total),
        "total": Decimal(total), **fields}  # fmt: skip
    return Order(**values)


def _brand(s: Session, ws: int, name: str) -> tuple[Creator, Creator, Campaign]:
    maya = Creator(workspace_id=ws, display_name=f"Maya {name}", email="Maya@Example.test")
    leo = Creator(workspace_id=ws, display_name=f"Leo {name}")
    spring = Campaign(workspace_id=ws, name=f"Spring {name}", goal=CampaignGoal.sales)
    s.add_all([maya, leo, spring])
    s.flush()
    return maya, leo, spring


def build(engine: Engine) -> World:
    """Brand: Maya's code MAYA15, Leo's link with one human and one bot click, four orders; Other: a copy."""
    ws, other = workspace_id(engine, "Brand"), workspace_id(engine, "Other")
    with session_scope(engine) as s:
        maya, leo, spring = _brand(s, ws, "")
        o_maya, _, o_spring = _brand(s, other, "(other brand)")
        collabs = [Collaboration(workspace_id=ws, campaign_id=spring.id, creator_id=c.id, created_at=T - timedelta(days=90))
                   for c in (maya, leo)]  # fmt: skip
        s.add_all(collabs)
        s.flush()
        s.add_all([
            LedgerEntry(workspace_id=ws, collaboration_id=collabs[0].id, kind=EntryKind.fee, amount=Decimal("100.00"),
                        currency="EUR", earned_on=date(2026, 11, 1), payable_on=date(2026, 11, 1), created_by="t"),
            LedgerEntry(workspace_id=ws, collaboration_id=collabs[1].id, kind=EntryKind.gift, amount=Decimal("30.00"),
                        currency="EUR", earned_on=date(2026, 11, 1), payable_on=date(2026, 11, 1), created_by="t"),
            PromoCode(workspace_id=ws, code="MAYA15", creator_id=maya.id, source=CommerceSource.shopify,
                      kind=DiscountKind.percentage, value=Decimal(15)),
        ])  # fmt: skip
        link = ShortLink(workspace_id=ws, slug="leo-spring", destination="https://shop.test/", creator_id=leo.id,
                         campaign_id=spring.id)  # fmt: skip
        s.add(link)
        s.flush()
        s.add_all([
            Click(workspace_id=ws, click_id="clk_leo_0001", link_id=link.id, at=T - timedelta(days=2), visitor="v1",
                  ip_hash="h"),
            Click(workspace_id=ws, click_id="clk_bot_0002", link_id=link.id, at=T - timedelta(hours=1), visitor="v1",
                  ip_hash="h", is_bot=True, bot_reason="facebookexternalhit"),
        ])  # fmt: skip
        maya_as_customer = Customer(workspace_id=ws, source=CommerceSource.shopify, external_id="c-maya",
                                    email="maya@example.test")  # fmt: skip
        s.add(maya_as_customer)
        s.flush()
        s.add_all([
            # 1: Maya's code and Leo's click: code first gives Maya all; last click gives Leo all.
            order(ws, 1, "80.00", discount_codes=["maya15"], landing_site="/products/x?gr_click=clk_leo_0001&utm_source=ig",
                  utm_source="ig", email="ann@example.test"),
            # 2: only Leo's click (in a note attribute), then refunded in full: credited, but reversed.
            order(ws, 2, "0.00", refunded=Decimal("40.00"), financial_status="refunded",
                  note_attributes=[{"name": "gr_click", "value": "clk_leo_0001"}], email="bo@example.test"),
            # 3: Maya buys with her own code: a self-purchase.
            order(ws, 3, "20.00", discount_codes=["MAYA15"], customer_id=maya_as_customer.id, email="maya@example.test"),
            # 4: nothing ties it to anyone.
            order(ws, 4, "999.00", email="zed@example.test"),
        ])  # fmt: skip
        s.add(order(other, 1, "500.00", discount_codes=["MAYA15"]))
        return World(ws, maya.id, leo.id, spring.id, o_maya.id, o_spring.id)


@pytest.fixture
def world(engine: Engine) -> World:
    return build(engine)


def creator_row(report: service.Report, creator_id: int) -> service.Row:
    return next(r for r in report.creators if r.id == creator_id)


def test_every_method_from_the_database(engine: Engine, world: World) -> None:
    method, rules = service.parse_rules(None, None)
    with session_scope(engine) as s:
        report = service.report(s, world.ws, method, rules)
    maya, leo = creator_row(report, world.maya), creator_row(report, world.leo)
    assert report.currency == "EUR" and (report.orders, report.reversed_orders) == (4, 1)
    code = maya.by_method["code_then_click"]
    assert (code.orders, code.revenue, code.self_purchases, code.new_customers) == (2.0, Decimal("100.00"), 1, 2.0)
    assert (code.cost, code.cost_per_order, code.roas) == (Decimal("100.00"), Decimal("50.00"), 1.0)
    # Leo: the refunded order (2) adds nothing; the bot's later click never takes the last click; order 1 is his
    # by every click method and assisted under code-first.
    assert leo.by_method["code_then_click"].orders == 0.0 and leo.by_method["code_then_click"].assisted == 1
    for m in ("last_click", "first_click", "linear", "time_decay"):
        assert (leo.by_method[m].orders, leo.by_method[m].revenue) == (1.0, Decimal("80.00"))
    assert leo.by_method["last_click"].roas == pytest.approx(80 / 30, abs=0.01)
    spring = report.campaigns[0]
    assert spring.id == world.spring and spring.by_method["code_then_click"].revenue == Decimal("100.00")
    assert spring.by_method["code_then_click"].cost == Decimal("130.00")
    assert spring.by_method["last_click"].revenue == Decimal("80.00")
    assert {r.id for r in report.creators} == {world.maya, world.leo}  # nothing of the other workspace


def test_drilldown_shows_the_evidence_and_the_reversed_refund(engine: Engine, world: World) -> None:
    _, rules = service.parse_rules(None, None)
    with session_scope(engine) as s:
        leo = service.drilldown(s, world.ws, "creator", world.leo, "last_click", rules)
        maya = service.drilldown(s, world.ws, "creator", world.maya, "code_then_click", rules)
        assisted = service.drilldown(s, world.ws, "creator", world.leo, "code_then_click", rules)
    by_number = {o.number: o for o in leo.credited}
    assert set(by_number) == {"#1001", "#1002"}
    first, refunded = by_number["#1001"], by_number["#1002"]
    assert [c.click_id for c in first.clicks] == ["clk_leo_0001"] and first.clicks[0].link == "leo-spring"
    assert first.carried_click_ids == ["clk_leo_0001"] and first.utm == {"source": "ig"} and first.codes == ["MAYA15"]
    assert first.shares == {"code_then_click": 0.0, "last_click": 1.0, "first_click": 1.0, "linear": 1.0,
                            "time_decay": 1.0}  # fmt: skip
    assert (refunded.reversed, refunded.credited_revenue, refunded.refunded) == (
        True,
        Decimal("0.00"),
        Decimal("40.00"),
    )
    assert sorted(o.number for o in maya.credited) == ["#1001", "#1003"]
    assert next(o for o in maya.credited if o.number == "#1003").self_purchase
    # Code first: Leo only assisted #1001 (Maya's code won), and #1002 had no code, so his click took it.
    assert [o.number for o in assisted.assisted] == ["#1001"] and [o.number for o in assisted.credited] == ["#1002"]


def test_another_workspaces_creator_or_campaign_is_not_found(engine: Engine, world: World) -> None:
    _, rules = service.parse_rules(None, None)
    with session_scope(engine) as s:
        with pytest.raises(NotFound):
            service.drilldown(s, world.ws, "creator", world.other_creator, "last_click", rules)
        with pytest.raises(NotFound):
            service.drilldown(s, world.ws, "campaign", world.other_campaign, "last_click", rules)


def test_a_referral_code_of_a_customer_who_is_a_creator_credits_that_creator(engine: Engine, world: World) -> None:
    with session_scope(engine) as s:
        customer = s.query(Customer).filter_by(workspace_id=world.ws, external_id="c-maya").one()
        code = PromoCode(workspace_id=world.ws, code="FRIEND-MAYA", source=CommerceSource.shopify,
                         kind=DiscountKind.percentage, value=Decimal(10))  # fmt: skip
        s.add(code)
        s.flush()
        s.add(ReferralInvite(workspace_id=world.ws, customer_id=customer.id, promo_code_id=code.id, created_by="t"))
        s.add(order(world.ws, 5, "60.00", discount_codes=["friend-maya"], email="new@example.test"))
    _, rules = service.parse_rules(None, None)
    with session_scope(engine) as s:
        report = service.report(s, world.ws, "code_then_click", rules)
    assert creator_row(report, world.maya).by_method["code_then_click"].revenue == Decimal("160.00")


def test_window_and_priority_parameters(engine: Engine, world: World) -> None:
    method, rules = service.parse_rules("code_then_click", "1", "3", "click")
    with session_scope(engine) as s:
        report = service.report(s, world.ws, method, rules)
    # Leo's click was 2 days before: outside a 1-day window, so the code wins again even with click priority.
    assert creator_row(report, world.maya).by_method["code_then_click"].orders == 2.0
    method, rules = service.parse_rules("code_then_click", "30", None, "click")
    with session_scope(engine) as s:
        report = service.report(s, world.ws, method, rules)
    assert creator_row(report, world.leo).by_method["code_then_click"].orders == 1.0
    with pytest.raises(InvalidInput) as bad:
        service.parse_rules("best_guess", "-3", "x", "coin")
    assert set(bad.value.errors) == {"method", "window_days", "half_life_days", "priority"}
