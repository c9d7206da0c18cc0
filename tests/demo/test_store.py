"""The demo brand's synthetic store: believable orders in EUR, and some customers who are demo creators."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.creators.models import Creator, SocialAccount
from grassroots.creators.tiers import Tier
from grassroots.db.session import session_scope
from grassroots.demo.generator import generate_world
from grassroots.demo.loader import load_world
from grassroots.demo.models import DemoTruth
from grassroots.demo.world import World, tier_plan_for
from grassroots.tracking.models import Customer, Order, OrderLine
from grassroots.workspaces.models import Workspace


def _truths(world: World, label: str) -> list[dict[str, Any]]:
    return [t["detail"] for t in world.truths if t["label"] == label]


def test_orders_are_believable_and_add_up(default_world: World) -> None:
    orders = default_world.orders
    counts = default_world.counts()
    assert 900 <= counts["sales_order"] <= 1100 and counts["customer"] == 600
    end = datetime.combine(default_world.today, time(18), tzinfo=orders[0].created_at.tzinfo)
    for order in orders:
        assert order.currency == "EUR" and order.external_id.startswith("synthetic-")
        assert all(isinstance(v, Decimal) for v in (order.subtotal, order.discounts, order.total))
        assert order.total == order.subtotal - order.discounts
        assert order.subtotal == sum((line.price * line.quantity for line in order.lines), Decimal(0))
        assert Decimal(15) <= order.total <= Decimal(120)
        assert end - timedelta(days=274) <= order.created_at <= end
        assert order.customer is not None and order.email == order.customer.email
    assert any(order.discounts for order in orders) and [o.created_at for o in orders] == sorted(
        o.created_at for o in orders
    )
    per_customer = Counter(order.customer.external_id for order in orders if order.customer)
    assert sum(n >= 2 for n in per_customer.values()) >= 100


def test_about_25_customers_are_creators_matched_by_email_or_by_name(default_world: World) -> None:
    matched = _truths(default_world, "customer_creator")
    assert len(matched) == 25
    kinds = Counter(d["match"] for d in matched)
    assert kinds["email"] >= 8 and kinds["name"] >= 8
    creators = default_world.creators
    names = Counter(c["display_name"] for c in creators)
    customers = {o.customer.external_id: o.customer for o in default_world.orders if o.customer}
    orders = Counter(o.customer.external_id for o in default_world.orders if o.customer)
    primary = default_world.primary_accounts()
    for detail in matched:
        creator, customer = creators[detail["creator_key"]], customers[detail["customer"]]
        assert orders[customer.external_id] == detail["orders"]
        if detail["match"] == "email":
            assert customer.email == creator["email"]
        else:
            assert customer.name == creator["display_name"] and names[creator["display_name"]] == 1
            assert customer.email != creator["email"]
            assert customer.email == f"{primary[creator['key']]['handle']}@example.net"
    tiers = Counter(tier_plan_for(primary[d["creator_key"]]["followers"]).tier for d in matched)
    assert tiers[Tier.micro_micro] + tiers[Tier.nano] >= 20
    assert sum(d["orders"] >= 2 for d in matched) >= 5


def test_other_customers_share_no_name_or_email_with_a_creator(default_world: World) -> None:
    matched = {d["customer"] for d in _truths(default_world, "customer_creator")}
    names = {c["display_name"].lower() for c in default_world.creators}
    emails = {c["email"] for c in default_world.creators if c["email"]}
    handles = {a["handle"] for a in default_world.accounts}
    for order in default_world.orders:
        customer = order.customer
        if customer is not None and customer.external_id not in matched:
            assert customer.name and customer.name.lower() not in names
            assert customer.email and customer.email not in emails and customer.email.split("@")[0] not in handles


def _load(session: Session, creators: int) -> tuple[int, World]:
    workspace = Workspace(name="demo", is_synthetic=True)
    session.add(workspace)
    session.flush()
    world = generate_world(seed=4, creators=creators, today=date(2026, 3, 1))
    counts = load_world(session, workspace.id, world)
    assert {k: counts[k] for k in ("customer", "sales_order", "order_line")} == {
        k: world.counts()[k] for k in ("customer", "sales_order", "order_line")
    }
    return workspace.id, world


def test_the_store_loads_with_decimal_money_and_customer_totals(engine: Engine) -> None:
    with session_scope(engine) as session:
        ws, world = _load(session, 80)
    with session_scope(engine) as session:
        orders = session.scalars(select(Order).where(Order.workspace_id == ws)).all()
        assert len(orders) == len(world.orders)
        lines: dict[int, Decimal] = defaultdict(Decimal)
        for line in session.scalars(select(OrderLine).where(OrderLine.workspace_id == ws)):
            lines[line.order_id] += line.price * line.quantity
        spent: dict[int | None, Decimal] = defaultdict(Decimal)
        for order in orders:
            assert isinstance(order.total, Decimal) and order.currency == "EUR"
            assert order.total == order.subtotal - order.discounts and lines[order.id] == order.subtotal
            spent[order.customer_id] += order.total
        customers = session.scalars(select(Customer).where(Customer.workspace_id == ws)).all()
        assert customers and all(c.total_spent == spent[c.id] and c.orders_count >= 1 for c in customers)
        assert sum(c.orders_count for c in customers) == len(orders)


def test_customer_creator_truths_find_their_creator_in_the_database(engine: Engine) -> None:
    with session_scope(engine) as session:
        ws, _ = _load(session, 80)
    with session_scope(engine) as session:
        truths = session.scalars(select(DemoTruth).where(DemoTruth.label == "customer_creator")).all()
        assert len(truths) == 6  # the floor for small worlds
        for truth in truths:
            detail = truth.detail
            creator = session.get(Creator, detail["creator_id"])
            account = session.get(SocialAccount, truth.account_id)
            assert creator is not None and account is not None and account.creator_id == creator.id
            customer = session.scalars(
                select(Customer).where(Customer.workspace_id == ws, Customer.external_id == detail["customer"])
            ).one()
            assert (
                customer.email == creator.email if detail["match"] == "email" else customer.name == creator.display_name
            )
            assert customer.orders_count == detail["orders"]
        found = session.scalar(
            select(func.count()).select_from(Customer).join(Creator, Creator.email == Customer.email)
            .where(Customer.workspace_id == ws, Creator.workspace_id == ws)
        )  # fmt: skip
        assert found == sum(t.detail["match"] == "email" for t in truths)
