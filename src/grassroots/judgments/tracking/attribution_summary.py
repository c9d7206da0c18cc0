"""Attribution totals per creator or campaign and method: credited orders and net revenue, new and returning
customers, reorders, assisted conversions, and the ROI against what the collaborations cost.

Frames in, frames out; no I/O. A reversed order (fully refunded or cancelled) keeps its credit rows for the
drill-down but adds nothing: refunds reverse attribution.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from grassroots.judgments.tracking.attribution import METHODS, Attribution, AttributionRules

SUMMARY_COLUMNS = (
    "method", "orders", "revenue", "new_customers", "returning_customers", "reorders", "reorder_customers",
    "assisted", "self_purchases",
)  # fmt: skip


def customer_firsts(orders: pl.DataFrame, reorder_days: int) -> pl.DataFrame:
    """Per order: is it the customer's first (kept) order, and how many kept orders followed within the window.

    An order without a customer key is its own customer: new, with no reorders."""
    kept = orders.filter(~pl.col("reversed"))
    known = kept.filter(pl.col("customer").is_not_null()).sort("created_at", "order_id")
    firsts = known.group_by("customer").agg(first_id=pl.col("order_id").first(), first_at=pl.col("created_at").first())
    limit = timedelta(days=reorder_days)
    follow = (
        known.join(firsts, on="customer")
        .filter(
            (pl.col("order_id") != pl.col("first_id"))
            & (pl.col("created_at") >= pl.col("first_at"))
            & (pl.col("created_at") <= pl.col("first_at") + limit)
        )
        .group_by("first_id")
        .agg(reorders=pl.len().cast(pl.Int64))
    )
    first_ids = firsts.select(pl.col("first_id").alias("order_id"), is_first=pl.lit(True))
    return (
        orders.select("order_id", "customer")
        .join(first_ids, on="order_id", how="left")
        .join(follow.rename({"first_id": "order_id"}), on="order_id", how="left")
        .with_columns(
            is_first=pl.col("is_first").fill_null(pl.col("customer").is_null()),
            reorders=pl.col("reorders").fill_null(0),
        )
        .select("order_id", "is_first", "reorders")
    )


def credited_orders(attribution: Attribution, orders: pl.DataFrame, rules: AttributionRules) -> pl.DataFrame:
    """Each credit with its order's net total, reversal, first-order flag and reorders: the drill-down's rows."""
    orders = orders.unique(subset="order_id", keep="first")  # a twice-delivered order counts once
    facts = orders.select("order_id", "created_at", "net_total", "reversed").join(
        customer_firsts(orders, rules.reorder_days), on="order_id", how="left"
    )
    return attribution.credits.join(facts, on="order_id").with_columns(
        revenue=pl.when(pl.col("reversed")).then(0.0).otherwise(pl.col("share") * pl.col("net_total")),
        counted=pl.when(pl.col("reversed")).then(0.0).otherwise(pl.col("share")),
    )


def pair_totals(credited: pl.DataFrame) -> pl.DataFrame:
    """``credited_orders``' rows summed per (creator, campaign, method): every figure but the assists adds up, so
    the per-creator and per-campaign totals both come from this small frame."""
    first = pl.col("is_first").cast(pl.Float64)
    return credited.group_by("creator_id", "campaign_id", "method").agg(
        orders=pl.col("counted").sum(),
        revenue=pl.col("revenue").sum(),
        new_customers=(pl.col("counted") * first).sum(),
        returning_customers=(pl.col("counted") * (1.0 - first)).sum(),
        reorders=(pl.col("counted") * first * pl.col("reorders")).sum(),
        reorder_customers=(pl.col("counted") * (pl.col("is_first") & (pl.col("reorders") > 0)).cast(pl.Float64)).sum(),
        self_purchases=(pl.col("self_purchase") & ~pl.col("reversed")).sum().cast(pl.Int64),
    )


def summarise(pairs: pl.DataFrame, attribution: Attribution, orders: pl.DataFrame, key: str) -> pl.DataFrame:
    """Totals per ``key`` ("creator_id" or "campaign_id") and method from ``pair_totals``; shares make fractional
    orders."""
    additive = [c for c in SUMMARY_COLUMNS[1:] if c != "assisted"]
    totals = pairs.filter(pl.col(key).is_not_null()).group_by(key, "method").agg(pl.col(c).sum() for c in additive)
    kept = orders.filter(~pl.col("reversed")).select("order_id")
    assists = (
        attribution.assisted.join(kept, on="order_id", how="semi")
        .filter(pl.col(key).is_not_null())
        .group_by(key, "method")
        .agg(assisted=pl.col("order_id").n_unique().cast(pl.Int64))
    )
    return (
        totals.join(assists, on=[key, "method"], how="full", coalesce=True)
        .with_columns(pl.col(c).fill_null(0) for c in SUMMARY_COLUMNS[1:])
        .select(key, *SUMMARY_COLUMNS)
        .sort(key, "method")
    )


def roi(summary: pl.DataFrame, costs: pl.DataFrame, key: str) -> pl.DataFrame:
    """Join ``costs`` (key, cost) to a summary: cost per order, per new customer, and ROAS (revenue / cost).

    A ratio whose divisor is zero is null (shown as "—"), never infinite."""

    def ratio(num: str, den: str) -> pl.Expr:
        return pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den)).otherwise(None)

    methods = pl.DataFrame({"method": list(METHODS)})
    keyed = costs.group_by(key).agg(pl.col("cost").sum()).join(methods, how="cross")
    return (
        summary.join(keyed, on=[key, "method"], how="full", coalesce=True)
        .with_columns(pl.col(c).fill_null(0) for c in (*SUMMARY_COLUMNS[1:], "cost"))
        .with_columns(
            cost_per_order=ratio("cost", "orders"),
            cost_per_new_customer=ratio("cost", "new_customers"),
            roas=ratio("revenue", "cost"),
        )
        .sort(key, "method")
    )
