"""Natural advocates from hand-made frames: matching customers, brand comments and mentions, the score and reasons."""

from __future__ import annotations

import math
from datetime import datetime

import polars as pl
import pytest

from grassroots.judgments.discovery.advocate_reasons import money
from grassroots.judgments.discovery.advocates import (
    ACCOUNTS,
    COMMENTS,
    CREATORS,
    CUSTOMERS,
    POSTS,
    brand_comments,
    clean_handles,
    match_customers,
    mentions_expr,
    rank_advocates,
)

TODAY = datetime(2026, 12, 1)
BRAND = ["@Dewdrop.Skin "]


def creators() -> pl.DataFrame:
    rows = [
        (1, "Ana Glow", " Ana@Example.com", "ana.glow", 1500),
        (2, "Bea Stone", None, "bea.skin", 5000),
        (3, "Cy Park", None, "cy.park", 50_000),
        (4, "Dewdrop", None, "dewdrop.skin", 3000),  # the brand's own account
        (5, "Eve Moss", None, "eve.moss", 800),
        (6, "Maria Garcia", None, "mg1", 900),
        (7, "Maria Garcia", None, "mg2", 900),
    ]
    return pl.DataFrame(rows, schema=CREATORS, orient="row")


def accounts() -> pl.DataFrame:
    rows = [(1, "ana.glow"), (2, "bea.skin"), (3, "cy.park"), (3, "cy.tok"), (4, "dewdrop.skin"), (5, "eve.moss")]
    return pl.DataFrame([*rows, (6, "mg1"), (7, "mg2")], schema=ACCOUNTS, orient="row")


def customers() -> pl.DataFrame:
    rows = [
        ("c1", "ana@example.com", "Ana G", 3, 142.0, "EUR", datetime(2026, 11, 2)),
        ("c2", "Cy.Tok@mail.com", None, 1, 30.0, "EUR", datetime(2026, 6, 1)),
        ("c3", "x@y.com", "eve  MOSS", 1, 20.0, "EUR", datetime(2026, 11, 1)),
        ("c4", "z@y.com", "Maria Garcia", 2, 1234.5, "USD", datetime(2026, 9, 1)),  # two creators by that name
        ("c5", "solo@y.com", "Solo", 1, 10.0, "EUR", datetime(2026, 9, 1)),  # one-off, unmatched
    ]
    return pl.DataFrame(rows, schema=CUSTOMERS, orient="row")


def posts() -> pl.DataFrame:
    rows = [
        (1, 2, "bea.skin", "morning routine", ["Dewdrop.Skin"], False, datetime(2026, 11, 20)),
        (2, 2, "bea.skin", "love @dewdrop.skin.", [], False, datetime(2026, 10, 1)),
        (3, 2, "bea.skin", "#ad my @dewdrop.skin haul", ["dewdrop.skin"], True, datetime(2026, 11, 25)),
        (4, 4, "dewdrop.skin", "new drop", [], False, datetime(2026, 11, 1)),
        (5, 3, "cy.park", "my routine", [], False, datetime(2026, 11, 1)),
        (6, 1, "ana.glow", "thanks @dewdrop.skincare", [], False, datetime(2026, 11, 1)),
    ]
    return pl.DataFrame(rows, schema=POSTS, orient="row")


def comments() -> pl.DataFrame:
    rows = [
        (1, 4, "Ana.Glow", "so good", datetime(2026, 11, 25), "positive"),
        (2, 4, "ana.glow", "restocked yet?", datetime(2026, 11, 3), None),
        (3, 4, "fanatic", "need this", datetime(2026, 11, 2), None),
        (4, 4, "fanatic", "obsessed", datetime(2026, 11, 4), "positive"),
        (5, 4, "dewdrop.skin", "thank you!", datetime(2026, 11, 5), "positive"),  # the brand replying
        (6, 1, "bea.skin", "link in bio", datetime(2026, 11, 21), "neutral"),  # the post's own author
        (7, 1, "cy.park", "broke me out", datetime(2026, 11, 22), "negative"),
        (8, 5, "eve.moss", "@dewdrop.skin is the best", datetime(2026, 11, 10), "positive"),
        (9, 5, "random", "nice", datetime(2026, 11, 10), "positive"),
        (10, 5, "onceonly", "@dewdrop.skin hi", datetime(2026, 11, 10), None),
    ]
    return pl.DataFrame(rows, schema=COMMENTS, orient="row")


def ranked() -> pl.DataFrame:
    return rank_advocates(customers(), creators(), accounts(), comments(), posts(), BRAND, today=TODAY)


def test_clean_handles_and_mentions() -> None:
    assert clean_handles([" @Dewdrop.Skin", "dewdrop.skin", "", "Lumen"]) == ["dewdrop.skin", "lumen"]
    texts = pl.Series(
        ["hi @dewdrop.skin", "@DEWDROP.SKIN.", "@dewdrop.skincare", "dewdrop.skin", "@dewdrop.skin.co", None]
    )
    found = pl.select(mentions_expr(pl.lit(texts), ["dewdrop.skin"])).to_series().to_list()
    assert found == [True, True, False, False, False, False]
    assert pl.select(mentions_expr(pl.lit("@x"), [])).item() is False


def test_customers_match_by_email_then_handle_then_unique_full_name() -> None:
    matched = match_customers(customers(), creators(), accounts()).sort("customer_key")
    assert matched["creator_id"].to_list() == [1, 3, 5, None, None]
    assert matched["matched_by"].to_list() == ["email", "handle", "name", None, None]


def test_brand_comments_skip_the_brand_and_the_posts_own_author() -> None:
    said = brand_comments(comments(), posts(), clean_handles(BRAND))
    assert sorted(said["comment_id"].to_list()) == [1, 2, 3, 4, 7, 8, 10]
    assert set(said["author_handle"]) == {"ana.glow", "fanatic", "cy.park", "eve.moss", "onceonly"}


def test_rank_lists_each_advocate_once_and_never_the_brand_itself() -> None:
    frame = ranked()
    assert set(frame["key"]) == {"creator:1", "creator:2", "creator:3", "creator:5", "customer:c4", "handle:fanatic"}
    assert frame["key"].to_list()[-2:] == ["customer:c4", "handle:fanatic"]  # the unmatched come last
    matched = frame.filter(pl.col("creator_id").is_not_null())["score"].to_list()
    assert len(matched) == 4 and matched == sorted(matched, reverse=True)
    assert frame["key"][0] == "creator:1"  # buys, comments, small and recent


def test_score_follows_the_documented_formula() -> None:
    ana = ranked().filter(pl.col("key") == "creator:1").row(0, named=True)
    purchases = 2 * math.log(4) + 1.5 + math.log(1 + 142 / 50)
    said = 1.5 * math.log(1 + 1 + 0.5)  # one positive, one not labelled yet
    recency = 0.3 + 0.7 * 0.5 ** (6 / 90)  # last signal: the comment of 25 Nov
    reach = 1.3 * math.log10(1501) / 4  # micro-micro bonus
    assert ana["affinity"] == pytest.approx((purchases + said) * recency)
    assert ana["reach"] == pytest.approx(reach)
    assert ana["score"] == round(10 * (purchases + said) * recency * reach, 1)
    buyer = ranked().filter(pl.col("key") == "customer:c4").row(0, named=True)
    assert buyer["reach"] == pytest.approx(0.3) and buyer["creator_id"] is None and buyer["tier"] is None


def test_reasons_say_why_with_evidence() -> None:
    rows = {r["key"]: r for r in ranked().iter_rows(named=True)}
    assert rows["creator:1"]["reasons"] == [
        "Store customer, matched to this creator by email",
        "3 orders, €142 spent, last on 2 Nov 2026",
        "2 comments about @dewdrop.skin (1 positive, 1 not analysed yet), last on 25 Nov 2026",
        "Micro-micro creator, 1,500 followers: small creators get a reach bonus",
    ]
    assert rows["creator:1"]["signals"] == ["orders", "comments"] and rows["creator:1"]["matched_by"] == "email"
    bea = rows["creator:2"]
    assert (
        "Mentioned @dewdrop.skin in 2 unpaid posts, last on 20 Nov 2026 (and in 1 paid post, not counted)"
        in bea["reasons"]
    )
    assert bea["signals"] == ["mentions"] and bea["unpaid_mentions"] == 2
    assert (
        "1 comment about @dewdrop.skin (1 negative, not counted), last on 22 Nov 2026" in rows["creator:3"]["reasons"]
    )
    assert "Store customer, matched by name (the only creator with this name)" in rows["creator:5"]["reasons"]
    assert "1 positive comment about @dewdrop.skin, last on 10 Nov 2026" in rows["creator:5"]["reasons"]
    assert rows["customer:c4"]["reasons"] == [
        "Store customer, no social account found",
        "2 orders, $1,235 spent, last on 1 Sep 2026",
    ]
    fan = rows["handle:fanatic"]["reasons"]
    assert fan[-1] == "Comments as @fanatic, not among your creators yet: add them to see their reach"


def test_without_brand_handles_only_customers_count() -> None:
    frame = rank_advocates(customers(), creators(), accounts(), comments(), posts(), [], today=TODAY)
    assert set(frame["key"]) == {"creator:1", "creator:3", "creator:5", "customer:c4"}
    assert all("comment" not in " ".join(r) for r in frame["reasons"])


def test_empty_inputs_give_an_empty_ranking() -> None:
    empty = [pl.DataFrame(schema=s) for s in (CUSTOMERS, CREATORS, ACCOUNTS, COMMENTS, POSTS)]
    frame = rank_advocates(*empty, BRAND, today=TODAY)
    assert frame.is_empty() and {"key", "score", "reasons", "signals"} <= set(frame.columns)


def test_money_keeps_unknown_currencies_as_codes() -> None:
    amounts = pl.DataFrame({"a": [1234567.4, 12.0, 5.0], "c": ["GBP", "CHF", None]})
    assert amounts.select(money(pl.col("a"), pl.col("c"))).to_series().to_list() == ["£1,234,567", "12 CHF", "5"]
