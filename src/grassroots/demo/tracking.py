"""Demo tracking (synthetic): a promo code and a tracked link for every roster creator of the demo campaigns,
clicks on those links and orders that use the codes or arrive through the links, so the Tracking pages and every
attribution method have something to show. Seeded; everything here is synthetic and labelled so (docs/demo.md).

Orders carry the code in ``discount_codes`` and the click in ``landing_site`` (``?gr_click=…``) as a store reports
them; a quarter of the clicked orders also use the creator's code, some come days later (outside a short window),
and about 5 % of clicks are link-preview bots, which are flagged and never credited.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign
from grassroots.tracking import clicklog, codes, links, referrals
from grassroots.tracking.link_models import ShortLink
from grassroots.tracking.models import CommerceSource, Customer, DiscountKind, PromoCode
from grassroots.tracking.records import CustomerRecord, LineRecord, OrderRecord
from grassroots.tracking.service import store_orders

ACTOR = "demo (synthetic)"
SHOP = "https://dewdrop.example/"
BOT_AGENTS = ("facebookexternalhit/1.1", "WhatsApp/2.23.20.0", "Slackbot-LinkExpanding 1.0")
PEOPLE_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Instagram 335.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/125.0 Mobile Safari/537.36",
)
BASKETS = ((("DD-SER-30", "Barrier Repair Serum 30 ml", "29.00"),), (("DD-SPF-50", "Daily SPF 50 Fluid 50 ml", "24.00"),
           ("DD-LIP-15", "Overnight Lip Mask 15 g", "12.00")), (("DD-BNDL", "Sensitive Skin Routine Bundle", "64.00"),))  # fmt: skip


def add_demo_tracking(session: Session, workspace_id: int, *, seed: int = 7) -> dict[str, int]:
    """Codes, links, clicks and orders for the demo campaigns' rosters, once; counts of what was made."""
    if session.scalar(select(func.count()).select_from(ShortLink).where(ShortLink.workspace_id == workspace_id)):
        return {}
    rng = random.Random(seed)
    campaigns = list(session.scalars(select(Campaign).where(Campaign.workspace_id == workspace_id)
                                     .order_by(Campaign.id)))  # fmt: skip
    made = {"codes": 0, "links": 0, "clicks": 0, "orders": 0}
    orders: list[OrderRecord] = []
    yesterday = datetime.now(UTC) - timedelta(days=1)
    for campaign in campaigns:
        issued = codes.issue_for_campaign(session, workspace_id, campaign.id, DiscountKind.percentage,
                                          Decimal(15), ACTOR)  # fmt: skip
        made["codes"] += len(issued)
        made["links"] += len(links.create_for_roster(session, workspace_id, campaign.id, actor=ACTOR, destination=SHOP))
        start = datetime.combine(campaign.starts_on, datetime.min.time(), UTC) if campaign.starts_on else None
        for link in session.scalars(select(ShortLink).where(ShortLink.campaign_id == campaign.id)):
            code = _code_of(session, link.collaboration_id)
            lines, bought = _clicks(rng, link, start or link.created_at)
            made["clicks"] += clicklog.store(session, lines)
            for at, click in bought:
                orders.append(_order(rng, len(orders), workspace_id, at, click, code))
            # People who saw the code in a caption and typed it, without clicking.
            for _ in range(rng.randint(0, 3) if code else 0):
                typed = min((start or link.created_at) + timedelta(days=rng.uniform(1, 25)), yesterday)
                orders.append(_order(rng, len(orders), workspace_id, typed, None, code))
    orders += _referral_orders(session, workspace_id, len(orders), yesterday)
    store_orders(session, workspace_id, orders)
    made["orders"] = len(orders)
    session.flush()
    return made


def _referral_orders(session: Session, workspace_id: int, start: int, at: datetime) -> list[OrderRecord]:
    """An invite-only referral programme: three loyal customers invited, two friends who used their codes, and one
    customer who used their own code (flagged as a self-referral)."""
    referrals.save_program(session, workspace_id, referrals.Rules(DiscountKind.fixed_amount, Decimal(10),
                                                                  DiscountKind.percentage, Decimal(10), 14))  # fmt: skip
    loyal = list(session.scalars(select(Customer).where(Customer.workspace_id == workspace_id, Customer.email.is_not(None))
                                 .order_by(Customer.orders_count.desc(), Customer.id).limit(3)))  # fmt: skip
    made: list[OrderRecord] = []
    for i, customer in enumerate(loyal):
        code = session.get_one(
            PromoCode, referrals.invite(session, workspace_id, customer.id, ACTOR).promo_code_id
        ).code
        buyer = (customer.email, customer.name, customer.external_id) if i == 2 else (
            f"friend{i}.{workspace_id}@example.invalid", f"Friend {i}", f"synthetic-friend-{i}")  # fmt: skip
        n = start + len(made)
        total = Decimal("29.00")
        made.append(OrderRecord(
            CommerceSource.csv, f"synthetic-tracked-order-{n}", f"#T{1000 + n}", at - timedelta(hours=i + 1), "EUR",
            total, total - Decimal("2.90"), discounts=Decimal("2.90"), email=buyer[0], financial_status="paid",
            landing_site="/", discount_codes=[code], source_name="web",
            customer=CustomerRecord(CommerceSource.csv, buyer[2], email=buyer[0], name=buyer[1]),
            lines=[LineRecord("Barrier Repair Serum 30 ml", 1, total, sku="DD-SER-30", product_id="DD-SER-30")],
        ))  # fmt: skip
    return made


def _code_of(session: Session, collaboration_id: int | None) -> str | None:
    if collaboration_id is None:
        return None
    return session.scalar(select(PromoCode.code).where(PromoCode.collaboration_id == collaboration_id))


def _clicks(
    rng: random.Random, link: ShortLink, start: datetime
) -> tuple[list[dict[str, object]], list[tuple[datetime, str]]]:
    """Click log lines for one link and the (time, click id) of the clicks that went on to buy."""
    lines: list[dict[str, object]] = []
    bought: list[tuple[datetime, str]] = []
    latest = datetime.now(UTC) - timedelta(days=1)  # orders may follow a click by up to nine days
    for n in range(rng.randint(4, 70)):
        at = min(start + timedelta(days=rng.uniform(0, 28), minutes=n), latest - timedelta(days=9, minutes=n))
        bot = rng.random() < 0.05
        click = hashlib.sha256(f"demo-click-{link.id}-{n}".encode()).hexdigest()[:22]
        person = hashlib.sha256(f"visitor-{link.id}-{rng.randint(0, 40)}".encode()).hexdigest()
        lines.append({"c": click, "l": link.id, "t": at.timestamp(), "v": person, "i": person[:32],
                      "u": rng.choice(BOT_AGENTS if bot else PEOPLE_AGENTS), "r": "https://l.instagram.com/",
                      "m": "GET", "b": "link preview" if bot else None})  # fmt: skip
        if not bot and rng.random() < 0.06:
            bought.append((at + timedelta(hours=rng.choice((0.2, 2, 30, 24 * 9))), click))
    return lines, bought


def _order(
    rng: random.Random, n: int, workspace_id: int, at: datetime, click: str | None, code: str | None
) -> OrderRecord:
    basket = rng.choice(BASKETS)
    items = [LineRecord(title, 1, Decimal(price), sku=sku, product_id=sku) for sku, title, price in basket]
    subtotal = sum((line.price for line in items), Decimal(0))
    use_code = code is not None and (click is None or rng.random() < 0.25)
    discounts = (subtotal * Decimal("0.15")).quantize(Decimal("0.01")) if use_code else Decimal("0.00")
    email = f"buyer{n}.{workspace_id}@example.invalid"
    customer = CustomerRecord(CommerceSource.csv, f"synthetic-tracked-customer-{n}", email=email, name=f"Buyer {n}",
                              created_at=at)  # fmt: skip
    landing = (
        f"/products/barrier-repair-serum?gr_click={click}&utm_source=instagram&utm_medium=creator" if click else "/"
    )
    return OrderRecord(
        CommerceSource.csv, f"synthetic-tracked-order-{n}", f"#T{1000 + n}", at, "EUR", subtotal, subtotal - discounts,
        discounts=discounts, email=email, financial_status="paid", landing_site=landing,
        referring_site="https://l.instagram.com/" if click else None, discount_codes=[code] if use_code and code else [],
        source_name="web", customer=customer, lines=items,
    )  # fmt: skip
