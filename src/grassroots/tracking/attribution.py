"""Attribution use cases: every method side by side per creator and campaign, ROI against the ledger, and the
drill-down to the orders and clicks behind each number (docs/attribution.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign
from grassroots.creators.models import Creator
from grassroots.errors import InvalidInput, NotFound
from grassroots.judgments.tracking.attribution import METHOD_LABELS, METHODS, Attribution, AttributionRules, attribute
from grassroots.judgments.tracking.attribution_summary import credited_orders, pair_totals, roi, summarise
from grassroots.tracking import attribution_frames
from grassroots.tracking.attribution_frames import Frames

CENT = Decimal("0.01")
DEFAULT_METHOD = METHODS[0]


def money(value: float | None) -> Decimal | None:
    """A float sum from the frames as Decimal to the cent (None stays None)."""
    return None if value is None else Decimal(repr(round(float(value), 2))).quantize(CENT)


def parse_rules(
    method: str | None, window_days: str | float | None, half_life_days: str | float | None = None,
    priority: str | None = None,
) -> tuple[str, AttributionRules]:  # fmt: skip
    """The method and rules from query parameters; a bad value is a 400 naming the parameter."""
    errors: dict[str, str] = {}
    chosen = method or DEFAULT_METHOD
    if chosen not in METHODS:
        errors["method"] = f"Choose one of: {', '.join(METHODS)}."
    defaults = AttributionRules()

    def number(name: str, raw: str | float | None, default: float, top: float) -> float:
        if raw is None or raw == "":
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not 0 < value <= top:
            errors[name] = f"Give a number of days above 0 and at most {top:g}."
        return value

    window = number("window_days", window_days, defaults.window_days, 365)
    half_life = number("half_life_days", half_life_days, defaults.half_life_days, 365)
    order = ("click", "code") if priority == "click" else defaults.priority
    if priority not in (None, "", "code", "click"):
        errors["priority"] = "Say 'code' or 'click'."
    if errors:
        raise InvalidInput("The attribution settings are not valid.", errors)
    return chosen, AttributionRules(window_days=window, half_life_days=half_life, priority=order)


@dataclass(frozen=True, slots=True)
class Computed:
    """One workspace's frames and what every method made of them."""

    frames: Frames
    attribution: Attribution
    credited: pl.DataFrame
    pairs: pl.DataFrame
    rules: AttributionRules


def compute(session: Session, workspace_id: int, rules: AttributionRules) -> Computed:
    """Load the workspace's frames and run every method."""
    frames = attribution_frames.load(session, workspace_id, rules.window_days)
    result = attribute(**frames.inputs(), rules=rules)
    credited = credited_orders(result, frames.orders, rules)
    return Computed(frames, result, credited, pair_totals(credited), rules)


@dataclass(frozen=True, slots=True)
class Figures:
    """One creator's or campaign's numbers under one method."""

    orders: float
    revenue: Decimal
    new_customers: float
    returning_customers: float
    reorders: float
    reorder_customers: float
    assisted: int
    self_purchases: int
    cost: Decimal
    cost_per_order: Decimal | None
    cost_per_new_customer: Decimal | None
    roas: float | None


@dataclass(frozen=True, slots=True)
class Row:
    """A creator or campaign with its figures for every method."""

    id: int
    name: str
    by_method: dict[str, Figures]


@dataclass(frozen=True, slots=True)
class Report:
    """The attribution page: rows per creator and campaign, the chosen method, the chart data."""

    method: str
    rules: AttributionRules
    currency: str
    orders: int
    reversed_orders: int
    creators: list[Row]
    campaigns: list[Row]
    methods: dict[str, str] = field(default_factory=lambda: dict(METHOD_LABELS))

    def chart(self) -> dict[str, Any]:
        """Credited revenue per creator and method, for the grouped bar chart (top 15 by the chosen method)."""
        top = sorted(self.creators, key=lambda r: r.by_method[self.method].revenue, reverse=True)[:15]
        return {
            "creators": [r.name for r in top], "currency": self.currency, "chosen": self.method,
            "series": [{"method": m, "label": label, "revenue": [float(r.by_method[m].revenue) for r in top]}
                       for m, label in self.methods.items()],
        }  # fmt: skip


NOTHING = Figures(0.0, Decimal("0.00"), 0.0, 0.0, 0.0, 0.0, 0, 0, Decimal("0.00"), None, None, None)


def _figures(row: dict[str, Any]) -> Figures:
    return Figures(
        orders=float(row["orders"]), revenue=money(row["revenue"]) or Decimal(0),
        new_customers=float(row["new_customers"]), returning_customers=float(row["returning_customers"]),
        reorders=float(row["reorders"]), reorder_customers=float(row["reorder_customers"]),
        assisted=int(row["assisted"]), self_purchases=int(row["self_purchases"]), cost=money(row["cost"]) or Decimal(0),
        cost_per_order=money(row["cost_per_order"]), cost_per_new_customer=money(row["cost_per_new_customer"]),
        roas=None if row["roas"] is None else round(float(row["roas"]), 2),
    )  # fmt: skip


def _rows(table: pl.DataFrame, key: str, names: dict[int, str], method: str) -> list[Row]:
    grouped: dict[int, dict[str, Figures]] = {}
    for row in table.iter_rows(named=True):
        grouped.setdefault(int(row[key]), {})[row["method"]] = _figures(row)
    # A method that credited nothing to the row still shows, as zeros.
    rows = [
        Row(k, names[k], {m: figures.get(m, NOTHING) for m in METHODS}) for k, figures in grouped.items() if k in names
    ]
    return sorted(rows, key=lambda r: (-r.by_method[method].revenue, -r.by_method[method].cost, r.name))


def _names(session: Session, workspace_id: int) -> tuple[dict[int, str], dict[int, str]]:
    creators = session.execute(select(Creator.id, Creator.display_name).where(Creator.workspace_id == workspace_id))
    campaigns = session.execute(select(Campaign.id, Campaign.name).where(Campaign.workspace_id == workspace_id))
    return {i: n for i, n in creators}, {i: n for i, n in campaigns}


def currency_of(orders: pl.DataFrame) -> str:
    """The workspace's order currency (the most common one)."""
    found = Counter(c for c in orders["currency"].to_list() if c)
    return found.most_common(1)[0][0] if found else "USD"


def report(session: Session, workspace_id: int, method: str, rules: AttributionRules) -> Report:
    """Every method per creator and per campaign, with ROI; creators and campaigns of this workspace only."""
    done = compute(session, workspace_id, rules)
    creator_names, campaign_names = _names(session, workspace_id)
    tables = {}
    for key in ("creator_id", "campaign_id"):
        costs = done.frames.costs.group_by(key).agg(pl.col("cost").sum())
        tables[key] = roi(summarise(done.pairs, done.attribution, done.frames.orders, key), costs, key)
    orders = done.frames.orders
    return Report(
        method=method, rules=rules, currency=currency_of(orders), orders=orders.height,
        reversed_orders=int(orders["reversed"].sum()) if orders.height else 0,
        creators=_rows(tables["creator_id"], "creator_id", creator_names, method),
        campaigns=_rows(tables["campaign_id"], "campaign_id", campaign_names, method),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ClickEvidence:
    """A qualifying click of the creator on the order."""

    click_id: str
    at: datetime
    link: str | None


@dataclass(frozen=True, slots=True)
class OrderEvidence:
    """One order behind a number: what it is worth, why it is credited, and its share by every method."""

    order_id: int
    number: str
    created_at: datetime
    net_total: Decimal
    refunded: Decimal
    reversed: bool
    new_customer: bool
    self_purchase: bool
    codes: list[str]
    clicks: list[ClickEvidence]
    carried_click_ids: list[str]
    utm: dict[str, str]
    shares: dict[str, float]  # method -> share of this creator (0 when another creator got it)
    credited_revenue: Decimal
    evidence: str | None  # "code" or "click" under the chosen method
    assisted: bool


@dataclass(frozen=True, slots=True)
class Drilldown:
    """The orders (and their clicks) behind a creator's or campaign's numbers under one method."""

    kind: str  # "creator" or "campaign"
    id: int
    name: str
    method: str
    rules: AttributionRules
    currency: str
    figures: Figures | None
    credited: list[OrderEvidence]
    assisted: list[OrderEvidence]
    methods: dict[str, str] = field(default_factory=lambda: dict(METHOD_LABELS))


def drilldown(
    session: Session, workspace_id: int, kind: str, key_id: int, method: str, rules: AttributionRules
) -> Drilldown:
    """The orders credited to (or assisted by) one creator or campaign; another workspace's id is a 404."""
    thing = session.get(Creator if kind == "creator" else Campaign, key_id)
    if not isinstance(thing, Creator | Campaign) or thing.workspace_id != workspace_id:
        raise NotFound(f"No such {kind}.")
    name = thing.display_name if isinstance(thing, Creator) else thing.name
    done = compute(session, workspace_id, rules)
    key = f"{kind}_id"
    mine = done.credited.filter(pl.col(key) == key_id)
    assisted = done.attribution.assisted.filter((pl.col(key) == key_id) & (pl.col("method") == method))
    table = roi(summarise(pair_totals(mine), Attribution(done.attribution.touches, done.attribution.credits, assisted),
                          done.frames.orders, key), done.frames.costs.filter(pl.col(key) == key_id).group_by(key)
                .agg(pl.col("cost").sum()), key).filter(pl.col("method") == method)  # fmt: skip
    figures = _figures(table.row(0, named=True)) if table.height else None
    chosen = mine.filter(pl.col("method") == method)
    evidence = _evidence(done, key, key_id, method, set(chosen["order_id"]) | set(assisted["order_id"]))
    credited = [evidence[o] for o in chosen.sort("created_at", descending=True)["order_id"].unique(maintain_order=True)]
    helped = [evidence[o] for o in assisted["order_id"].unique().sort()]
    return Drilldown(kind, key_id, name, method, rules, currency_of(done.frames.orders), figures, credited, helped)


def _evidence(done: Computed, key: str, key_id: int, method: str, order_ids: set[int]) -> dict[int, OrderEvidence]:
    """Evidence for each order in ``order_ids``: codes, the creator's/campaign's clicks, UTM, shares per method."""
    wanted = pl.Series("order_id", sorted(order_ids), dtype=pl.Int64).implode()
    orders = done.frames.orders.filter(pl.col("order_id").is_in(wanted))
    credits = done.credited.filter(pl.col("order_id").is_in(wanted) & (pl.col(key) == key_id))
    helped = done.attribution.assisted.filter((pl.col(key) == key_id) & (pl.col("method") == method))
    pairs = pl.concat([credits.select("order_id", "creator_id"), helped.select("order_id", "creator_id")]).unique()
    # The clicks of the creators this number credits: a campaign's drill-down shows each of its creators' clicks.
    touches = done.attribution.touches.join(pairs, on=["order_id", "creator_id"], how="semi").join(
        done.frames.clicks.select("click_id", "slug").unique("click_id"), on="click_id", how="left"
    )
    codes = done.frames.order_codes.filter(pl.col("order_id").is_in(wanted))
    carried = done.frames.order_clicks.filter(pl.col("order_id").is_in(wanted))
    assisted = set(helped["order_id"])
    by_order: dict[int, dict[str, Any]] = {
        o: {"codes": [], "clicks": [], "carried": [], "shares": {}} for o in order_ids
    }
    for c in codes.sort("code").iter_rows(named=True):
        by_order[c["order_id"]]["codes"].append(c["code"])
    for c in carried.sort("click_id").iter_rows(named=True):
        by_order[c["order_id"]]["carried"].append(c["click_id"])
    for t in touches.sort("at").iter_rows(named=True):
        by_order[t["order_id"]]["clicks"].append(ClickEvidence(t["click_id"], t["at"], t["slug"]))
    for c in credits.iter_rows(named=True):
        shares = by_order[c["order_id"]]["shares"]
        shares[c["method"]] = shares.get(c["method"], 0.0) + float(c["share"])
        if c["method"] == method:
            by_order[c["order_id"]].update(evidence=c["evidence"], revenue=c["revenue"], first=c["is_first"],
                                           self_purchase=c["self_purchase"])  # fmt: skip
    out = {}
    for o in orders.iter_rows(named=True):
        found = by_order[o["order_id"]]
        utm = {k: o[f"utm_{k}"] for k in ("source", "medium", "campaign", "content") if o[f"utm_{k}"]}
        out[o["order_id"]] = OrderEvidence(
            order_id=o["order_id"], number=o["number"], created_at=o["created_at"],
            net_total=money(o["net_total"]) or Decimal(0), refunded=money(o["refunded"]) or Decimal(0),
            reversed=bool(o["reversed"]), new_customer=bool(found.get("first", False)),
            self_purchase=bool(found.get("self_purchase", False)), codes=found["codes"], clicks=found["clicks"],
            carried_click_ids=found["carried"], utm=utm,
            shares={m: round(found["shares"].get(m, 0.0), 4) for m in METHODS},
            credited_revenue=money(found.get("revenue", 0.0)) or Decimal(0), evidence=found.get("evidence"),
            assisted=o["order_id"] in assisted,
        )  # fmt: skip
    return out
