"""The sentences that say why an advocate was suggested, with their evidence, built as Polars expressions.

Kept apart from the ranking (``advocates.py``) so the wording can change without touching the score.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}
TIER_LABELS = {"micro-micro": "Micro-micro", "nano": "Nano", "micro": "Micro", "macro": "Macro", "mega": "Mega"}


def _thousands(n: pl.Expr) -> pl.Expr:
    """12345 -> "12,345" (up to billions)."""
    part = [((n // 10**k) % 1000).cast(pl.String).str.zfill(3) for k in (0, 3, 6)]
    return (
        pl.when(n >= 1_000_000)
        .then(pl.format("{},{},{}", n // 1_000_000, part[1], part[0]))
        .when(n >= 1000)
        .then(pl.format("{},{}", n // 1000, part[0]))
        .otherwise(n.cast(pl.String))
    )


def money(amount: pl.Expr, currency: pl.Expr) -> pl.Expr:
    """142.3, "EUR" -> "€142"; an unknown currency keeps its code ("142 CHF"); none, the bare figure."""
    whole = _thousands(amount.fill_null(0).round(0, mode="half_away_from_zero").cast(pl.Int64))
    symbol = currency.replace_strict(SYMBOLS, default=None, return_dtype=pl.String)
    return (
        pl.when(symbol.is_not_null())
        .then(pl.concat_str(symbol, whole))
        .when(currency.is_not_null())
        .then(pl.format("{} {}", whole, currency))
        .otherwise(whole)
    )


def brand_label(brand: Sequence[str]) -> str:
    """How reasons name the brand: its handle when it has one, else "the brand"."""
    return f"@{brand[0]}" if len(brand) == 1 else "the brand"


def _day(ts: pl.Expr) -> pl.Expr:
    return ts.dt.strftime("%-d %b %Y")


def _n(count: pl.Expr, one: str, many: str) -> pl.Expr:
    return pl.format("{} {}", count, pl.when(count == 1).then(pl.lit(one)).otherwise(pl.lit(many)))


def _match_reason() -> pl.Expr:
    by = pl.col("matched_by")
    return (
        pl.when(by == "email")
        .then(pl.lit("Store customer, matched to this creator by email"))
        .when(by == "handle")
        .then(pl.lit("Store customer, matched by handle (the customer's email or name is this creator's handle)"))
        .when(by == "name")
        .then(pl.lit("Store customer, matched by name (the only creator with this name)"))
        .when(pl.col("key").str.starts_with("customer:"))
        .then(pl.lit("Store customer, no social account found"))
    )


def _orders_reason(spent: pl.Expr) -> pl.Expr:
    orders = pl.col("orders").fill_null(0)
    last = pl.when(pl.col("last_order_at").is_not_null()).then(pl.format(", last on {}", _day(pl.col("last_order_at"))))
    text = pl.concat_str(_n(orders, "order", "orders"), pl.lit(", "), spent, pl.lit(" spent"), last.fill_null(""))
    return pl.when(orders > 0).then(text)


def _comments_reason(brand: str) -> pl.Expr:
    pos, neu, neg, unl = (pl.col(c).fill_null(0) for c in ("positive", "neutral", "negative", "unlabelled"))
    total = pos + neu + neg + unl
    kinds = [(pos, "positive"), (neu, "neutral"), (unl, "not analysed yet"), (neg, "negative, not counted")]
    mix = pl.concat_list([pl.when(n > 0).then(pl.format("{} {}", n, pl.lit(w))) for n, w in kinds])
    about = f" about {brand}"
    text = (
        pl.when(pos == total)
        .then(pl.concat_str(_n(pos, "positive comment", "positive comments"), pl.lit(about)))
        .when(unl == total)
        .then(pl.concat_str(_n(unl, "comment", "comments"), pl.lit(about + " (tone not analysed yet)")))
        .otherwise(
            pl.format(
                "{}{} ({})", _n(total, "comment", "comments"), pl.lit(about), mix.list.drop_nulls().list.join(", ")
            )
        )
    )
    last = pl.format(", last on {}", _day(pl.col("last_comment_at")))
    return pl.when(total > 0).then(pl.concat_str(text, last.fill_null("")))


def _mentions_reason(brand: str) -> pl.Expr:
    unpaid, paid = pl.col("unpaid_mentions").fill_null(0), pl.col("paid_mentions").fill_null(0)
    paid_note = pl.when(paid > 0).then(
        pl.concat_str(pl.lit(" (and in "), _n(paid, "paid post", "paid posts"), pl.lit(", not counted)"))
    )
    text = pl.concat_str(
        pl.lit(f"Mentioned {brand} in "), _n(unpaid, "unpaid post", "unpaid posts"),
        pl.format(", last on {}", _day(pl.col("last_mention_at"))).fill_null(""), paid_note.fill_null(""),
    )  # fmt: skip
    return pl.when(unpaid > 0).then(text)


def _reach_reason() -> pl.Expr:
    tier = pl.col("tier").replace_strict(TIER_LABELS, default=None, return_dtype=pl.String)
    small = pl.when(pl.col("tier").is_in(["micro-micro", "nano"])).then(pl.lit(": small creators get a reach bonus"))
    creator = pl.concat_str(
        tier,
        pl.lit(" creator, "),
        _thousands(pl.col("followers").fill_null(0)),
        pl.lit(" followers"),
        small.fill_null(""),
    )
    fan = pl.format("Comments as @{}, not among your creators yet: add them to see their reach", pl.col("handle"))
    return pl.when(pl.col("tier").is_not_null()).then(creator).when(pl.col("key").str.starts_with("handle:")).then(fan)


def reasons(brand: str, spent: pl.Expr) -> pl.Expr:
    """The sentences that say why a row was suggested, with its evidence, in the order a person reads them."""
    parts = [_match_reason(), _orders_reason(spent), _comments_reason(brand), _mentions_reason(brand), _reach_reason()]
    return pl.concat_list(parts).list.drop_nulls()
