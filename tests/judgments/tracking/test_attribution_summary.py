"""Totals per creator and campaign: refunds reverse credit, new vs returning, reorders, assists, ROI."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

from grassroots.judgments.tracking.attribution import AttributionRules, attribute
from grassroots.judgments.tracking.attribution_summary import (
    credited_orders,
    customer_firsts,
    pair_totals,
    roi,
    summarise,
)
from tests.judgments.tracking.test_attribution import A, B, T, clicks, frames, orders


def by_code(*rows: tuple[int, str | None, int, float, bool], codes: dict[str, int]) -> tuple[pl.DataFrame, ...]:
    """Orders (id, customer, days before T, net total, reversed) each using the code named by its customer key."""
    table = orders(*[(i, c, T - timedelta(days=d), net, rev) for i, c, d, net, rev in rows])
    used = pl.DataFrame({"order_id": [r[0] for r in rows], "code": [f"C{r[0]}" for r in rows]})
    owners = pl.DataFrame({"code": [f"C{r[0]}" for r in rows], "creator_id": [codes[f"C{r[0]}"] for r in rows],
                           "campaign_id": [7] * len(rows)})  # fmt: skip
    return table, used, owners


def totals(
    table: pl.DataFrame, used: pl.DataFrame, owners: pl.DataFrame, key: str = "creator_id"
) -> dict[int, dict[str, float]]:
    """creator (or campaign) -> figures under code_then_click."""
    rules = AttributionRules(reorder_days=30)
    result = attribute(**frames(orders=table, order_codes=used, codes=owners), rules=rules)
    summary = summarise(pair_totals(credited_orders(result, table, rules)), result, table, key)
    rows = summary.filter(pl.col("method") == "code_then_click").iter_rows(named=True)
    return {r[key]: {k: v for k, v in r.items() if k not in (key, "method")} for r in rows}


def test_refunds_reverse_the_credit_and_partial_refunds_count_the_net_total() -> None:
    # Order 1 paid 100 and kept 60 after a partial refund (net 60); order 2 was refunded in full (reversed).
    table, used, owners = by_code((1, "ann", 3, 60.0, False), (2, "bob", 2, 0.0, True), codes={"C1": A, "C2": A})
    got = totals(table, used, owners)[A]
    assert (got["orders"], got["revenue"], got["new_customers"]) == (1.0, 60.0, 1.0)


def test_new_returning_and_reorders_within_the_window() -> None:
    # Ann's first order (A's code) 50 days ago, again 40 days ago (B's code: within 30 days of the first) and
    # 5 days ago (outside). Cy ordered once through B.
    table, used, owners = by_code(
        (1, "ann", 50, 10.0, False), (2, "ann", 40, 20.0, False), (3, "ann", 5, 30.0, False), (4, "cy", 1, 5.0, False),
        codes={"C1": A, "C2": B, "C3": B, "C4": B},
    )  # fmt: skip
    got = totals(table, used, owners)
    assert (got[A]["new_customers"], got[A]["returning_customers"]) == (1.0, 0.0)
    assert (got[A]["reorders"], got[A]["reorder_customers"]) == (1.0, 1.0)
    assert (got[B]["orders"], got[B]["new_customers"], got[B]["returning_customers"]) == (3.0, 1.0, 2.0)
    assert got[B]["reorders"] == 0.0
    firsts = customer_firsts(table, 30).sort("order_id")
    assert firsts["is_first"].to_list() == [True, False, False, True]


def test_a_refunded_first_order_makes_the_next_one_the_first() -> None:
    table = orders((1, "ann", T - timedelta(days=9), 0.0, True), (2, "ann", T, 20.0, False), (3, None, T, 5.0, False))
    firsts = customer_firsts(table, 30).sort("order_id")
    assert firsts["is_first"].to_list() == [False, True, True]


def test_assisted_counts_and_campaign_totals() -> None:
    log = clicks(("a", A, 5, T - timedelta(days=2), "v", False), ("b", B, 6, T - timedelta(days=1), "v", False))
    table = orders((1, None, T, 40.0, False), (2, None, T, 10.0, True))
    oc = pl.DataFrame({"order_id": [1, 2], "click_id": ["a", "a"]})
    rules = AttributionRules()
    result = attribute(**frames(orders=table, clicks=log, order_clicks=oc), rules=rules)
    credited = pair_totals(credited_orders(result, table, rules))
    per_creator = summarise(credited, result, table, "creator_id").filter(pl.col("method") == "last_click")
    assert per_creator.select("creator_id", "orders", "revenue", "assisted").rows() == [
        (A, 0.0, 0.0, 1),
        (B, 1.0, 40.0, 0),
    ]
    per_campaign = summarise(credited, result, table, "campaign_id").filter(pl.col("method") == "linear")
    assert per_campaign.select("campaign_id", "orders", "revenue").rows() == [(5, 0.5, 20.0), (6, 0.5, 20.0)]


def test_roi_cost_per_order_per_new_customer_and_roas() -> None:
    table, used, owners = by_code((1, "ann", 3, 150.0, False), (2, "ann", 2, 100.0, False), codes={"C1": A, "C2": A})
    rules = AttributionRules()
    result = attribute(**frames(orders=table, order_codes=used, codes=owners), rules=rules)
    summary = summarise(pair_totals(credited_orders(result, table, rules)), result, table, "creator_id")
    costs = pl.DataFrame({"creator_id": [A, A, B], "cost": [60.0, 40.0, 30.0]})
    got = {(r["creator_id"], r["method"]): r for r in roi(summary, costs, "creator_id").iter_rows(named=True)}
    a = got[(A, "code_then_click")]
    assert (a["cost"], a["orders"], a["revenue"]) == (100.0, 2.0, 250.0)
    assert (a["cost_per_order"], a["cost_per_new_customer"], a["roas"]) == (50.0, 100.0, 2.5)
    # B cost 30 and sold nothing: no division by zero, ROAS 0; A by last click has no orders: ratios are empty.
    b = got[(B, "code_then_click")]
    assert (b["cost"], b["orders"], b["cost_per_order"], b["roas"]) == (30.0, 0.0, None, 0.0)
    assert got[(A, "last_click")]["cost_per_order"] is None


def test_rules_reject_non_positive_windows() -> None:
    with pytest.raises(ValueError, match="positive"):
        AttributionRules(window_days=0)


def test_an_order_delivered_twice_counts_once_in_the_totals() -> None:
    table, used, owners = by_code((1, "ann", 3, 70.0, False), codes={"C1": A})
    got = totals(pl.concat([table, table]), pl.concat([used, used]), pl.concat([owners, owners]))[A]
    assert (got["orders"], got["revenue"], got["new_customers"]) == (1.0, 70.0, 1.0)
