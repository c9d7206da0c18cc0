"""Order → creator credit by every method at once: code first then last click, last click, first click, linear,
time-decay, plus assisted conversions (docs/attribution.md).

Frames in, frames out; no I/O. The input frames and their columns:

- ``orders``: order_id, customer (a stable key: the customer id or the email; null when unknown), created_at
  (aware UTC), net_total (what the order is worth now, refunds taken off), reversed (fully refunded or cancelled).
- ``order_codes``: order_id, code (normalised: trimmed, upper case) — every discount code the order used.
- ``codes``: code, creator_id (null for a store code nobody owns), campaign_id (null when the code is not tied to
  one campaign). A referral code whose owner is a customer is passed here with the creator the customer *is*
  (see ``creator_customers``), or left out: only creators are credited.
- ``order_clicks``: order_id, click_id — the first-party click ids the order carried (``gr_click=`` in the landing
  site, its ref or a note attribute).
- ``clicks``: click_id, creator_id, campaign_id, at, visitor, is_bot — the click log joined to its link's owner.
- ``creator_customers``: customer, creator_id — a creator who is also a customer of the store (self-purchases).
- ``collaborations``: creator_id, campaign_id, started_at — gives a credit without a campaign the creator's
  campaign running at the time of the order.

A click counts for an order when it is not a bot, belongs to a creator, happened within ``window_days`` before
the order (both edges included) and was made by a visitor the order is tied to: the visitor of a click id the
order carried, or of one any order of the same customer carried (the customer's identity across devices).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import polars as pl

METHODS = ("code_then_click", "last_click", "first_click", "linear", "time_decay")
METHOD_LABELS = {
    "code_then_click": "Code first, then last click",
    "last_click": "Last click",
    "first_click": "First click",
    "linear": "Linear",
    "time_decay": "Time-decay",
}
EVIDENCE = ("code", "click")
CREDIT_COLUMNS = ("order_id", "method", "creator_id", "campaign_id", "share", "evidence")


@dataclass(frozen=True, slots=True)
class AttributionRules:
    """The windows and the priority every method uses; the defaults are the documented ones."""

    window_days: float = 30.0
    half_life_days: float = 7.0
    # "code" then "click": a creator's code on the order wins over the last click (the seeds' rule of thumb: a code
    # is a deliberate act); ("click", "code") puts the last click first.
    priority: tuple[str, ...] = ("code", "click")
    reorder_days: int = 60

    def __post_init__(self) -> None:
        if self.window_days <= 0 or self.half_life_days <= 0 or self.reorder_days <= 0:
            raise ValueError("windows and the half-life must be positive")
        if sorted(self.priority) != sorted(EVIDENCE):
            raise ValueError("priority must name 'code' and 'click' once each")


@dataclass(frozen=True, slots=True)
class Attribution:
    """Everything the methods found: touches (the qualifying clicks), code credits, credits and assists."""

    touches: pl.DataFrame  # order_id, click_id, creator_id, campaign_id, at
    credits: pl.DataFrame  # order_id, method, creator_id, campaign_id, share, evidence, self_purchase
    assisted: pl.DataFrame  # order_id, method, creator_id, campaign_id


def qualifying_touches(
    orders: pl.DataFrame, order_clicks: pl.DataFrame, clicks: pl.DataFrame, rules: AttributionRules
) -> pl.DataFrame:
    """Each order's qualifying clicks (see the module docstring), one row per (order, click)."""
    log = clicks.lazy()
    o = orders.lazy().select("order_id", "customer", "created_at")
    # Duplicate deliveries of a click only repeat its visitor here; the pairs are made unique below.
    carried = (
        order_clicks.lazy()
        .join(log.select("click_id", "visitor"), on="click_id")
        .join(o.select("order_id", "customer"), on="order_id")
    )
    by_customer = (
        carried.filter(pl.col("customer").is_not_null())
        .select("customer", "visitor")
        .unique()
        .join(o.filter(pl.col("customer").is_not_null()).select("order_id", "customer"), on="customer")
    )
    visitors = pl.concat([carried.select("order_id", "visitor"), by_customer.select("order_id", "visitor")]).unique()
    human = log.filter(~pl.col("is_bot") & pl.col("creator_id").is_not_null()).select(
        "click_id", "creator_id", "campaign_id", "at", "visitor"
    )
    window = timedelta(days=rules.window_days)
    # A click delivered twice by the log appears twice after the join: one row per (order, click) is kept.
    return (
        visitors.join(o.select("order_id", "created_at"), on="order_id")
        .join(human, on="visitor")
        .filter((pl.col("at") <= pl.col("created_at")) & (pl.col("at") >= pl.col("created_at") - window))
        .unique(subset=["order_id", "click_id"], keep="first")
        .select("order_id", "click_id", "creator_id", "campaign_id", "at", "created_at")
        .collect(engine="streaming")
    )


def code_credits(order_codes: pl.DataFrame, codes: pl.DataFrame) -> pl.DataFrame:
    """Orders credited through a creator's code: split equally when codes of several creators were used."""
    owned = codes.lazy().filter(pl.col("creator_id").is_not_null()).unique(subset="code", keep="first")
    found = (
        order_codes.lazy()
        .unique()
        .join(owned, on="code")
        .group_by("order_id", "creator_id")
        .agg(pl.col("campaign_id").drop_nulls().first())
    )
    return (
        found.with_columns(share=1.0 / pl.len().over("order_id"), evidence=pl.lit("code"))
        .select("order_id", "creator_id", "campaign_id", "share", "evidence")
        .collect()
    )


def click_credits(touches: pl.DataFrame, rules: AttributionRules) -> dict[str, pl.DataFrame]:
    """The four click methods over the qualifying touches (one sort and one grouping serve them all)."""
    # Ties at the same instant are broken by the click id, so the answer never depends on row order.
    ordered = touches.sort("order_id", "at", "click_id")
    single = ["order_id", "creator_id", "campaign_id", pl.lit(1.0).alias("share"), pl.lit("click").alias("evidence")]
    half_life_us = rules.half_life_days * 86_400_000_000
    age_us = (pl.col("created_at") - pl.col("at")).dt.total_microseconds().cast(pl.Float64)
    weighted = (
        touches.with_columns(decay=pl.lit(0.5).pow(age_us / half_life_us))
        .group_by("order_id", "creator_id", "campaign_id")
        .agg(linear=pl.len().cast(pl.Float64), time_decay=pl.col("decay").sum())
        .with_columns(
            pl.col("linear") / pl.col("linear").sum().over("order_id"),
            pl.col("time_decay") / pl.col("time_decay").sum().over("order_id"),
            evidence=pl.lit("click"),
        )
    )
    return {
        "last_click": ordered.unique(subset="order_id", keep="last").select(single),
        "first_click": ordered.unique(subset="order_id", keep="first").select(single),
        "linear": weighted.select("order_id", "creator_id", "campaign_id", share="linear", evidence="evidence"),
        "time_decay": weighted.select("order_id", "creator_id", "campaign_id", share="time_decay", evidence="evidence"),
    }


def code_then_click(codes: pl.DataFrame, last_click: pl.DataFrame, priority: tuple[str, ...]) -> pl.DataFrame:
    """The first kind of evidence in ``priority`` an order has wins all of its credit."""
    first, second = (codes, last_click) if priority[0] == "code" else (last_click, codes)
    rest = second.join(first.select("order_id").unique(), on="order_id", how="anti")
    return pl.concat([first, rest], how="vertical_relaxed")


def _campaign_at_order(credits: pl.DataFrame, orders: pl.DataFrame, collaborations: pl.DataFrame) -> pl.DataFrame:
    """A credit without a campaign takes the creator's latest collaboration started by the order's time."""
    known = credits.filter(pl.col("campaign_id").is_not_null())
    unknown = credits.filter(pl.col("campaign_id").is_null()).join(
        orders.select("order_id", "created_at"), on="order_id"
    )
    if unknown.is_empty() or collaborations.is_empty():
        return credits
    timeline = collaborations.select(
        "creator_id", pl.col("campaign_id").alias("collab_campaign"), pl.col("started_at").alias("created_at")
    ).sort("creator_id", "created_at")
    found = unknown.sort("creator_id", "created_at").join_asof(
        timeline, on="created_at", by="creator_id", strategy="backward", check_sortedness=False
    )
    filled = found.with_columns(campaign_id=pl.coalesce("campaign_id", "collab_campaign")).select(credits.columns)
    return pl.concat([known, filled], how="vertical_relaxed")


def attribute(
    orders: pl.DataFrame,
    order_codes: pl.DataFrame,
    codes: pl.DataFrame,
    order_clicks: pl.DataFrame,
    clicks: pl.DataFrame,
    creator_customers: pl.DataFrame,
    collaborations: pl.DataFrame,
    rules: AttributionRules | None = None,
) -> Attribution:
    """Credit every order to creators by each method in ``METHODS``; shares of one order sum to 1 per method."""
    rules = rules or AttributionRules()
    orders = orders.unique(subset="order_id", keep="first")
    touches = qualifying_touches(orders, order_clicks, clicks, rules)
    by_code = code_credits(order_codes.join(orders.select("order_id"), on="order_id", how="semi"), codes)
    per_method = click_credits(touches, rules)
    per_method = {"code_then_click": code_then_click(by_code, per_method["last_click"], rules.priority), **per_method}
    credits = pl.concat(
        [frame.with_columns(method=pl.lit(name)).select(CREDIT_COLUMNS) for name, frame in per_method.items()],
        how="vertical_relaxed",
    ).with_columns(pl.col("creator_id").cast(pl.Int64), pl.col("campaign_id").cast(pl.Int64))
    credits = _campaign_at_order(credits, orders, collaborations)
    selves = orders.select("order_id", "customer").join(
        creator_customers.select("customer", "creator_id").unique(), on="customer"
    )
    credits = credits.join(
        selves.select("order_id", "creator_id", self_purchase=pl.lit(True)), on=["order_id", "creator_id"], how="left"
    ).with_columns(pl.col("self_purchase").fill_null(False))
    return Attribution(touches.drop("created_at"), credits, _assisted(credits))


def _assisted(credits: pl.DataFrame) -> pl.DataFrame:
    """Per method: creators with a qualifying click who got none of the order's credit.

    Linear and time-decay give every touching creator a positive share, so only the single-winner methods can
    leave a creator assisting."""
    # Linear credits every touching creator: its rows are the touched (order, creator) pairs.
    touched = credits.filter(pl.col("method") == "linear").unique(subset=["order_id", "creator_id"], keep="first")
    touched = touched.select("order_id", "creator_id", "campaign_id")
    several = touched.filter(pl.len().over("order_id") > 1)
    coded = credits.filter((pl.col("method") == "code_then_click") & (pl.col("evidence") == "code"))
    per_method = [
        several.join(credits.filter(pl.col("method") == m).select("order_id", "creator_id"),
                     on=["order_id", "creator_id"], how="anti").with_columns(method=pl.lit(m))
        for m in ("code_then_click", "last_click", "first_click")
    ]  # fmt: skip
    # An order a code won: every creator who only clicked assisted, even when one creator clicked.
    by_code = touched.join(coded.select("order_id").unique(), on="order_id", how="semi").join(
        coded.select("order_id", "creator_id"), on=["order_id", "creator_id"], how="anti"
    )
    per_method.append(by_code.with_columns(method=pl.lit("code_then_click")))
    return (
        pl.concat(per_method)
        .unique(subset=["order_id", "method", "creator_id"])
        .select("order_id", "method", "creator_id", "campaign_id")
    )
