"""Every attribution method on small hand-computed frames: exact shares, windows, bots, duplicates, assists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
import pytest

from grassroots.judgments.tracking.attribution import METHODS, Attribution, AttributionRules, attribute

T = datetime(2026, 3, 31, 12, tzinfo=UTC)
TIME = pl.Datetime("us", "UTC")
A, B, C = 1, 2, 3  # creators


def orders(*rows: tuple[int, str | None, datetime, float, bool]) -> pl.DataFrame:
    """(order_id, customer, created_at, net_total, reversed) rows."""
    schema = pl.Schema({"order_id": pl.Int64(), "customer": pl.String(), "created_at": TIME, "net_total": pl.Float64(),
                        "reversed": pl.Boolean()})  # fmt: skip
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def clicks(*rows: tuple[str, int | None, int | None, datetime, str, bool]) -> pl.DataFrame:
    """(click_id, creator_id, campaign_id, at, visitor, is_bot) rows."""
    schema = pl.Schema({"click_id": pl.String(), "creator_id": pl.Int64(), "campaign_id": pl.Int64(), "at": TIME,
                        "visitor": pl.String(), "is_bot": pl.Boolean()})  # fmt: skip
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def frames(**given: Any) -> dict[str, pl.DataFrame]:
    """The inputs of ``attribute`` with empty defaults."""
    empty = {
        "order_codes": pl.DataFrame(schema={"order_id": pl.Int64, "code": pl.String}),
        "codes": pl.DataFrame(schema={"code": pl.String, "creator_id": pl.Int64, "campaign_id": pl.Int64}),
        "order_clicks": pl.DataFrame(schema={"order_id": pl.Int64, "click_id": pl.String}),
        "clicks": clicks(),
        "creator_customers": pl.DataFrame(schema={"customer": pl.String, "creator_id": pl.Int64}),
        "collaborations": pl.DataFrame(schema={"creator_id": pl.Int64, "campaign_id": pl.Int64, "started_at": TIME}),
    }
    return {**empty, **given}


def shares(result: Attribution, method: str, order_id: int = 1) -> dict[int, float]:
    """creator -> share of one order under one method."""
    rows = result.credits.filter((pl.col("method") == method) & (pl.col("order_id") == order_id))
    return {r["creator_id"]: round(r["share"], 6) for r in rows.iter_rows(named=True)}


def assisted(result: Attribution, method: str, order_id: int = 1) -> set[int]:
    """Creators assisting one order under one method."""
    rows = result.assisted.filter((pl.col("method") == method) & (pl.col("order_id") == order_id))
    return set(rows["creator_id"])


def journey(**rules: Any) -> Attribution:
    """Order 1 (visitor v, C's code) after clicks by A 14 days, B 7 days and B 1 day before."""
    log = clicks(("a14", A, 10, T - timedelta(days=14), "v", False), ("b7", B, 20, T - timedelta(days=7), "v", False),
                 ("b1", B, 20, T - timedelta(days=1), "v", False))  # fmt: skip
    return attribute(**frames(
        orders=orders((1, "cust", T, 100.0, False)),
        order_codes=pl.DataFrame({"order_id": [1], "code": ["CARA10"]}),
        codes=pl.DataFrame({"code": ["CARA10"], "creator_id": [C], "campaign_id": [30]}),
        order_clicks=pl.DataFrame({"order_id": [1], "click_id": ["b1"]}), clicks=log,
    ), rules=AttributionRules(**rules))  # fmt: skip


def test_each_method_gives_the_hand_computed_shares() -> None:
    result = journey()
    assert shares(result, "code_then_click") == {C: 1.0}
    assert shares(result, "last_click") == {B: 1.0}
    assert shares(result, "first_click") == {A: 1.0}
    assert shares(result, "linear") == {A: round(1 / 3, 6), B: round(2 / 3, 6)}
    # Half-life 7 days: weights 2^-2 (A, 14 days), 2^-1 and 2^(-1/7) (B): A = 0.25 / (0.75 + 2^(-1/7)).
    a = 0.25 / (0.75 + 2 ** (-1 / 7))
    assert shares(result, "time_decay") == {A: round(a, 6), B: round(1 - a, 6)}
    assert shares(result, "time_decay") == {A: 0.150991, B: 0.849009}
    for method in METHODS:
        assert sum(shares(result, method).values()) == pytest.approx(1.0)


def test_half_life_and_priority_are_configurable() -> None:
    result = journey(half_life_days=14, priority=("click", "code"))
    a = 0.5 / (0.5 + 2 ** (-7 / 14) + 2 ** (-1 / 14))
    assert shares(result, "time_decay")[A] == round(a, 6)
    assert shares(result, "code_then_click") == {B: 1.0}  # the last click now wins over C's code
    with pytest.raises(ValueError, match="priority"):
        AttributionRules(priority=("code", "code"))


def test_assisted_conversions_are_the_clicking_creators_without_credit() -> None:
    result = journey()
    assert assisted(result, "code_then_click") == {A, B}
    assert assisted(result, "last_click") == {A}
    assert assisted(result, "first_click") == {B}
    assert assisted(result, "linear") == assisted(result, "time_decay") == set()


@pytest.mark.parametrize(
    ("offset", "counts"),
    [
        (timedelta(days=30), True),
        (timedelta(days=30, microseconds=1), False),
        (timedelta(0), True),
        (-timedelta(seconds=1), False),
    ],
)
def test_window_edges_are_inclusive(offset: timedelta, counts: bool) -> None:
    result = attribute(**frames(
        orders=orders((1, None, T, 50.0, False)), clicks=clicks(("c1", A, None, T - offset, "v", False)),
        order_clicks=pl.DataFrame({"order_id": [1], "click_id": ["c1"]}),
    ))  # fmt: skip
    assert shares(result, "last_click") == ({A: 1.0} if counts else {})


def test_a_shorter_window_drops_the_older_clicks() -> None:
    result = journey(window_days=10)
    assert shares(result, "first_click") == {B: 1.0} and shares(result, "linear") == {B: 1.0}


def test_bots_and_clicks_without_a_creator_are_excluded() -> None:
    result = attribute(**frames(
        orders=orders((1, None, T, 50.0, False)),
        clicks=clicks(("h", A, None, T - timedelta(days=2), "v", False), ("bot", B, None, T - timedelta(days=1), "v", True),
                      ("brand", None, None, T - timedelta(hours=1), "v", False)),
        order_clicks=pl.DataFrame({"order_id": [1], "click_id": ["h"]}),
    ))  # fmt: skip
    assert shares(result, "last_click") == {A: 1.0} and shares(result, "linear") == {A: 1.0}
    assert set(result.touches["click_id"]) == {"h"}


def test_duplicate_deliveries_never_double_count() -> None:
    result = attribute(**frames(
        orders=orders((1, None, T, 50.0, False), (1, None, T, 50.0, False)),
        clicks=clicks(("a", A, None, T - timedelta(days=2), "v", False), ("a", A, None, T - timedelta(days=2), "v", False),
                      ("b", B, None, T - timedelta(days=1), "v", False)),
        order_clicks=pl.DataFrame({"order_id": [1, 1], "click_id": ["b", "b"]}),
        order_codes=pl.DataFrame({"order_id": [1, 1], "code": ["X", "X"]}),
        codes=pl.DataFrame({"code": ["X", "X"], "creator_id": [C, C], "campaign_id": [None, None]}),
    ))  # fmt: skip
    assert shares(result, "linear") == {A: 0.5, B: 0.5}
    assert shares(result, "code_then_click") == {C: 1.0}
    assert result.credits.filter(pl.col("method") == "last_click").height == 1


def test_codes_of_two_creators_split_the_order() -> None:
    result = attribute(**frames(
        orders=orders((1, None, T, 80.0, False)),
        order_codes=pl.DataFrame({"order_id": [1, 1, 1], "code": ["AX", "BX", "STORE"]}),
        codes=pl.DataFrame({"code": ["AX", "BX", "STORE"], "creator_id": [A, B, None], "campaign_id": [None, None, None]}),
    ))  # fmt: skip
    assert shares(result, "code_then_click") == {A: 0.5, B: 0.5}
    assert shares(result, "last_click") == {}  # no click: the click methods credit nobody


def test_the_customers_identity_ties_an_order_without_a_click_id_to_their_clicks() -> None:
    # Order 2 carries no click id, but the same customer's order 1 did: the visitor's later click counts for 2.
    result = attribute(**frames(
        orders=orders((1, "ann", T - timedelta(days=5), 20.0, False), (2, "ann", T, 30.0, False),
                      (3, "bob", T, 30.0, False)),
        clicks=clicks(("a", A, None, T - timedelta(days=6), "v", False), ("b", B, None, T - timedelta(days=1), "v", False)),
        order_clicks=pl.DataFrame({"order_id": [1], "click_id": ["a"]}),
    ))  # fmt: skip
    assert shares(result, "last_click", 1) == {A: 1.0}
    assert shares(result, "last_click", 2) == {B: 1.0} and shares(result, "first_click", 2) == {A: 1.0}
    assert shares(result, "last_click", 3) == {}


def test_self_purchases_are_flagged_and_campaigns_filled_from_the_collaboration_at_the_time() -> None:
    result = attribute(**frames(
        orders=orders((1, "c9", T, 20.0, False), (2, "c8", T - timedelta(days=40), 20.0, False)),
        order_codes=pl.DataFrame({"order_id": [1, 2], "code": ["AX", "AX"]}),
        codes=pl.DataFrame({"code": ["AX"], "creator_id": [A], "campaign_id": [None]}, schema_overrides={"campaign_id": pl.Int64}),
        creator_customers=pl.DataFrame({"customer": ["c9"], "creator_id": [A]}),
        collaborations=pl.DataFrame({"creator_id": [A, A], "campaign_id": [10, 11],
                                     "started_at": [T - timedelta(days=60), T - timedelta(days=20)]}),
    ))  # fmt: skip
    rows = result.credits.filter(pl.col("method") == "code_then_click").sort("order_id")
    assert rows["self_purchase"].to_list() == [True, False]
    assert rows["campaign_id"].to_list() == [11, 10]
