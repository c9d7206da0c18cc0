"""The demo brand's store (synthetic): about 600 customers and 1,000 orders over the last nine months.

Shopify-like orders in EUR with ``Decimal`` money (total = subtotal - discounts, 15-120 a basket), some repeat
buyers, stored by ``demo.loader`` through ``tracking.service.store_orders`` like any store's orders. External
ids start with ``synthetic-``.

About 25 customers (1 in 80 creators, at least 6) are demo creators, mostly micro-micro and nano: some bought
with the email the brand has on file for them (``Creator.email``), the others with a personal
``<handle>@example.net`` address under their display name, so only the name links them. Every other customer has
a name no demo creator has and an ``@example.org`` address. ``customer_creator`` truth rows say who is who.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from grassroots.creators.tiers import Tier
from grassroots.demo.generator import Builder
from grassroots.demo.world import Row, pick, weighted_sample
from grassroots.tracking.models import CommerceSource
from grassroots.tracking.records import CustomerRecord, LineRecord, OrderRecord

SOURCE = CommerceSource.csv
CURRENCY = "EUR"
CUSTOMERS = 600
HISTORY_DAYS = 273  # nine months
CREATOR_CUSTOMER_SHARE, MIN_CREATOR_CUSTOMERS = 1 / 80, 6
BY_EMAIL_SHARE = 0.5  # of creator customers: buy with the email the brand has on file for them
TIER_WEIGHTS = {Tier.micro_micro: 1.0, Tier.nano: 1.0, Tier.micro: 0.2}
ORDERS_PER_CUSTOMER = ((1, 0.62), (2, 0.22), (3, 0.10), (4, 0.04), (5, 0.02))
ORDERS_PER_CREATOR = ((1, 0.5), (2, 0.3), (3, 0.15), (4, 0.05))
BASKET_SIZES = ((1, 0.55), (2, 0.33), (3, 0.12))
TOTAL_RANGE = (Decimal(15), Decimal(120))
CENT = Decimal("0.01")
PRODUCTS = (
    ("DD-SER-30", "Barrier Repair Serum 30 ml", "29.00"), ("DD-CLN-150", "Gentle Gel Cleanser 150 ml", "16.50"),
    ("DD-SPF-50", "Daily SPF 50 Fluid 50 ml", "24.00"), ("DD-CRM-50", "Ceramide Moisturiser 50 ml", "27.00"),
    ("DD-TON-200", "Hydrating Toner 200 ml", "18.00"), ("DD-LIP-15", "Overnight Lip Mask 15 g", "12.00"),
    ("DD-NIA-30", "Niacinamide Serum 30 ml", "22.00"), ("DD-MINI", "Travel Minis Set", "19.50"),
    ("DD-BNDL", "Sensitive Skin Routine Bundle", "64.00"),
)  # fmt: skip
CODES = ((None, 0.8), ("WELCOME10", 0.12), ("DEWDROP15", 0.08))
PERCENT_OFF = {"WELCOME10": 10, "DEWDROP15": 15}
LANDINGS = (
    (("/", None), 0.35), (("/products/barrier-repair-serum", "https://www.instagram.com/"), 0.25),
    (("/?utm_source=newsletter&utm_medium=email&utm_campaign=monthly", None), 0.15),
    (("/collections/all", "https://www.google.com/"), 0.25),
)  # fmt: skip
# Shoppers who are not demo creators: no demo creator has one of these last names.
SHOPPER_FIRST = (
    "anna", "peter", "sarah", "lukas", "julia", "marco", "elena", "david", "laura", "felipe", "hannah", "niklas",
    "sara", "tobias", "marie", "paul", "katrin", "rosa", "simon", "alice", "nora", "emil", "vera", "leon",
)  # fmt: skip
SHOPPER_LAST = (
    "weber", "meyer", "wagner", "bauer", "hofmann", "lambert", "fontaine", "bianchi", "ricci", "janssen",
    "devries", "nilsson", "lindqvist", "svensson", "horvat", "kovacs", "moreno", "navarro", "pereira",
    "ferreira", "murray", "doyle", "quinn", "foster", "bell", "hale",
)  # fmt: skip


@dataclass
class _Buyer:
    """A customer-to-be and how many orders they will place."""

    email: str
    name: str
    orders: int
    creator: Row | None = None
    account_key: int | None = None
    match: str | None = None


def add_store(builder: Builder, creators: int) -> list[int]:
    """Append the store's orders (customers inside) and ``customer_creator`` truths; returns the creator keys."""
    count = max(MIN_CREATOR_CUSTOMERS, round(creators * CREATOR_CUSTOMER_SHARE))
    buyers = _creator_buyers(builder, count)
    buyers += _shoppers(builder, CUSTOMERS - len(buyers))
    rng, end = builder.rng, builder.now
    times = [(end - timedelta(seconds=rng.randrange(HISTORY_DAYS * 86_400)), i) for i, b in enumerate(buyers)
             for _ in range(b.orders)]  # fmt: skip
    customers: dict[int, CustomerRecord] = {}
    for number, (at, i) in enumerate(sorted(times), start=1001):
        if i not in customers:
            b = buyers[i]
            external_id = f"synthetic-customer-{len(customers) + 1}"
            customers[i] = CustomerRecord(SOURCE, external_id, email=b.email, name=b.name, created_at=at)
        builder.world.orders.append(_order(builder, number, at, customers[i]))
    for i, b in enumerate(buyers):
        if b.creator is not None and b.account_key is not None:
            detail = {"creator_key": b.creator["key"], "customer": customers[i].external_id, "match": b.match,
                      "email": b.email, "name": b.name, "orders": b.orders}  # fmt: skip
            builder.truth(b.account_key, "customer_creator", detail)
    return [b.creator["key"] for b in buyers if b.creator is not None]


def _creator_buyers(builder: Builder, count: int) -> list[_Buyer]:
    """Demo creators who shop at the store: genuine, uniquely named, mostly small; by email or by name only."""
    world, rng = builder.world, builder.rng
    primary = world.primary_accounts()
    fakes = {t["account_key"] for t in world.truths if t["label"] == "fake"}
    names = Counter(c["display_name"] for c in world.creators)
    emails = Counter(c["email"] for c in world.creators if c["email"])
    weights = {}
    for c in world.creators:
        account = primary[c["key"]]
        weight = TIER_WEIGHTS.get(builder.plans[account["key"]].tier, 0.0)
        if weight and account["key"] not in fakes and names[c["display_name"]] == 1:
            weights[c["key"]] = weight
    with_email = {k: w for k, w in weights.items() if emails[world.creators[k]["email"]] == 1}
    by_email = weighted_sample(rng, with_email, round(count * BY_EMAIL_SHARE))
    by_name = weighted_sample(rng, {k: w for k, w in weights.items() if k not in by_email}, count - len(by_email))
    buyers = []
    for key in sorted(by_email + by_name):
        creator, account, orders = world.creators[key], primary[key], pick(rng, ORDERS_PER_CREATOR)
        if key in by_email:
            first, last = creator["display_name"].split(" ", 1)
            name = creator["display_name"] if rng.random() < 0.5 else f"{first} {last[0]}."
            buyers.append(_Buyer(creator["email"], name, orders, creator, account["key"], "email"))
        else:  # a personal address: only the display name links this customer to the creator
            personal = f"{account['handle']}@example.net"
            buyers.append(_Buyer(personal, creator["display_name"], orders, creator, account["key"], "name"))
    return buyers


def _shoppers(builder: Builder, count: int) -> list[_Buyer]:
    """Ordinary customers with names and emails no demo creator has."""
    rng, seen, buyers = builder.rng, Counter[str](), []
    for _ in range(count):
        first, last = rng.choice(SHOPPER_FIRST), rng.choice(SHOPPER_LAST)
        seen[f"{first}.{last}"] += 1
        suffix = "" if seen[f"{first}.{last}"] == 1 else str(seen[f"{first}.{last}"])
        email = f"{first}.{last}{suffix}@example.org"
        buyers.append(_Buyer(email, f"{first.capitalize()} {last.capitalize()}", pick(rng, ORDERS_PER_CUSTOMER)))
    return buyers


def _order(builder: Builder, number: int, at: datetime, customer: CustomerRecord) -> OrderRecord:
    """One paid order: a basket whose total after the code's discount lies in ``TOTAL_RANGE``."""
    rng = builder.rng
    while True:
        lines = [
            LineRecord(title, 2 if rng.random() < 0.1 else 1, Decimal(price), sku=sku, product_id=sku)
            for sku, title, price in rng.sample(PRODUCTS, pick(rng, BASKET_SIZES))
        ]
        subtotal = sum((line.price * line.quantity for line in lines), Decimal(0))
        code = pick(rng, CODES)
        discounts = (subtotal * PERCENT_OFF[code] / 100).quantize(CENT) if code else Decimal("0.00")
        if TOTAL_RANGE[0] <= subtotal - discounts <= TOTAL_RANGE[1]:
            break
    landing, referrer = pick(rng, LANDINGS)
    return OrderRecord(
        SOURCE, f"synthetic-order-{number}", f"#{number}", at, CURRENCY, subtotal, subtotal - discounts,
        discounts=discounts, email=customer.email, financial_status="paid", landing_site=landing,
        referring_site=referrer, discount_codes=[code] if code else [], source_name="web", customer=customer,
        lines=lines,
    )  # fmt: skip
