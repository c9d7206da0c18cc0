"""Natural advocates: the brand's own customers, commenters and fans, ranked by affinity × reach.

Pure functions over Polars frames (no I/O). Candidates come from three places, all the brand's own data:

- store customers, matched to a creator by email (trimmed, case-insensitive), else by handle (the email's
  local part or the customer's name equals one of the creator's handles), else by name (the normalised full
  name equals exactly one creator's display name and exactly one customer's name). Unmatched customers with
  repeat purchases are kept, marked "no social account found";
- people who comment about the brand: a comment that tags a brand handle, or any comment under a post that
  mentions one (or under the brand's own posts), matched to a creator by the author's handle;
- creators whose own unpaid posts mention the brand (a paid post is not a sign of love).

The score, in words: how much a person already cares (affinity, fading with time since they last showed it)
times how far their voice carries, with a bonus for small creators, who are the point::

    score     = 10 × affinity × reach
    affinity  = (purchases + comments + mentions) × recency
    purchases = 2·ln(1 + orders) + 1.5·[orders ≥ 2] + ln(1 + spent / 50)
    comments  = 1.5·ln(1 + positive + 0.5·unlabelled + 0.25·neutral)      (negative comments count 0)
    mentions  = 3·ln(1 + unpaid posts mentioning the brand)
    recency   = 0.3 + 0.7 · 0.5^(days since the last signal / 90)
    reach     = tier bonus × clip(log10(1 + followers) / 4, 0.25, 1)       (0.3 without a social account)
    tier bonus: micro-micro 1.3, nano 1.2, micro 1.0, macro 0.7, mega 0.5

Logs keep one large order or one chatty fan from burying everyone else; the recency floor keeps last
year's loyal customer on the list. People matched to a creator come first; those without one (a repeat buyer,
a commenter not among the creators) follow, by the same score, since the page is for finding creators.
``docs/discovery.md`` explains the same in prose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import polars as pl

from grassroots.judgments.discovery.advocate_reasons import brand_label, money, reasons
from grassroots.judgments.vetting.engagement import DEFAULT_BOUNDS, tier_expr

HALF_LIFE_DAYS = 90.0
RECENCY_FLOOR = 0.3
NO_ACCOUNT_REACH = 0.3
TIER_BONUS = {"micro-micro": 1.3, "nano": 1.2, "micro": 1.0, "macro": 0.7, "mega": 0.5}
MIN_UNMATCHED_ORDERS = 2  # an unmatched one-off buyer is not yet an advocate
MIN_UNMATCHED_COMMENTS = 2  # nor is someone who commented once about the brand
SENTIMENT_WEIGHT = {"positive": 1.0, "neutral": 0.25, "negative": 0.0}
UNLABELLED_WEIGHT = 0.5

CUSTOMERS: dict[str, pl.DataType] = {
    "customer_key": pl.String(), "email": pl.String(), "name": pl.String(), "orders": pl.Int64(),
    "spent": pl.Float64(), "currency": pl.String(), "last_order_at": pl.Datetime("us"),
}  # fmt: skip
CREATORS: dict[str, pl.DataType] = {
    "creator_id": pl.Int64(), "display_name": pl.String(), "email": pl.String(), "handle": pl.String(),
    "followers": pl.Int64(),
}  # fmt: skip
ACCOUNTS: dict[str, pl.DataType] = {"creator_id": pl.Int64(), "handle": pl.String()}
POSTS: dict[str, pl.DataType] = {
    "post_id": pl.Int64(), "creator_id": pl.Int64(), "account_handle": pl.String(), "caption": pl.String(),
    "mentions": pl.List(pl.String()), "sponsored": pl.Boolean(), "posted_at": pl.Datetime("us"),
}  # fmt: skip
COMMENTS: dict[str, pl.DataType] = {
    "comment_id": pl.Int64(), "post_id": pl.Int64(), "author_handle": pl.String(), "text": pl.String(),
    "posted_at": pl.Datetime("us"), "sentiment": pl.String(),
}  # fmt: skip
_SIGNALS: dict[str, pl.DataType] = {
    "orders": pl.Int64(), "spent": pl.Float64(), "currency": pl.String(), "last_order_at": pl.Datetime("us"),
    "positive": pl.Int64(), "neutral": pl.Int64(), "negative": pl.Int64(), "unlabelled": pl.Int64(),
    "last_comment_at": pl.Datetime("us"), "unpaid_mentions": pl.Int64(), "paid_mentions": pl.Int64(),
    "last_mention_at": pl.Datetime("us"),
}  # fmt: skip


def clean_handles(handles: Sequence[str] | None) -> list[str]:
    """Brand handles as compared: trimmed, without '@', lowercased, distinct, in the given order."""
    out: list[str] = []
    for h in handles or ():
        key = h.strip().lstrip("@").lower()
        if key and key not in out:
            out.append(key)
    return out


def mentions_expr(text: pl.Expr, handles: Sequence[str]) -> pl.Expr:
    """True where ``text`` tags one of ``handles`` ("@dewdrop.skin", also before a full stop; not "@dewdrop.skincare")."""
    if not handles:
        return pl.lit(False)
    names = "|".join(re.escape(h) for h in handles)
    return text.fill_null("").str.contains(rf"(?i)@(?:{names})(?:\.?(?:[^\w.]|$))")


def _normalised_name(name: pl.Expr) -> pl.Expr:
    return name.str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars()


def _unique_keys(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """``key`` -> creator_id where the key names exactly one creator."""
    return (
        frame.drop_nulls(key)
        .filter(pl.col(key) != "")
        .group_by(key)
        .agg(pl.col("creator_id").unique())
        .filter(pl.col("creator_id").list.len() == 1)
        .with_columns(pl.col("creator_id").list.first())
    )


def _handle_owners(creators: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """``k`` (a handle, lowercased, without '@') -> creator_id, for handles of exactly one creator."""
    handles = pl.concat(
        [accounts.select("creator_id", "handle"), creators.select("creator_id", "handle")], how="vertical_relaxed"
    )
    return _unique_keys(handles.select("creator_id", k=pl.col("handle").str.strip_chars("@ ").str.to_lowercase()), "k")


def match_customers(customers: pl.DataFrame, creators: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """Each customer with ``creator_id`` and ``matched_by`` ("email", "handle", "name" or null), best match first."""
    by_email = _unique_keys(creators.select("creator_id", k=pl.col("email").str.strip_chars().str.to_lowercase()), "k")
    by_handle = _handle_owners(creators, accounts)
    names = creators.select("creator_id", k=_normalised_name(pl.col("display_name")))
    by_name = _unique_keys(names.filter(pl.col("k").str.contains(" ")), "k")  # first and last name, never "Ana"
    email = pl.col("email").str.strip_chars().str.to_lowercase()
    name = _normalised_name(pl.col("name"))
    out = customers.with_columns(
        _email=email,
        _local=email.str.extract(r"^([^@]+)@", 1),
        _name_handle=pl.col("name").str.strip_chars("@ ").str.to_lowercase(),
        _name=pl.when(name.is_first_distinct() & name.is_last_distinct()).then(name),
    )
    for column, table, label in (
        ("_email", by_email, "email"),
        ("_local", by_handle, "handle"),
        ("_name_handle", by_handle, "handle"),
        ("_name", by_name, "name"),
    ):
        found = table.rename({"k": column, "creator_id": f"_id{column}"})
        out = out.join(found, on=column, how="left").with_columns(pl.lit(label).alias(f"_by{column}"))
    order = ("_email", "_local", "_name_handle", "_name")
    return out.with_columns(
        creator_id=pl.coalesce([pl.col(f"_id{c}") for c in order]),
        matched_by=pl.coalesce([pl.when(pl.col(f"_id{c}").is_not_null()).then(pl.col(f"_by{c}")) for c in order]),
    ).select(*customers.columns, "creator_id", "matched_by")


def brand_posts(posts: pl.DataFrame, brand: Sequence[str]) -> pl.DataFrame:
    """Posts that mention a brand handle (in ``mentions`` or the caption) or are the brand's own, flagged."""
    mentioned = pl.col("mentions").list.eval(pl.element().str.strip_chars_start("@").str.to_lowercase().is_in(brand))
    own = pl.col("account_handle").str.to_lowercase().is_in(brand)
    return posts.with_columns(
        own=own, mentions_brand=(mentioned.list.any().fill_null(False) | mentions_expr(pl.col("caption"), brand)) & ~own
    ).filter(pl.col("own") | pl.col("mentions_brand"))


def brand_comments(comments: pl.DataFrame, posts: pl.DataFrame, brand: Sequence[str]) -> pl.DataFrame:
    """Comments about the brand: tagging a brand handle, or under a brand post; not by the brand or the post's author."""
    about = brand_posts(posts, brand).select("post_id", post_author=pl.col("account_handle").str.to_lowercase())
    author = pl.col("author_handle").str.strip_chars("@ ").str.to_lowercase()
    return (
        comments.with_columns(author_handle=author)
        .join(about, on="post_id", how="left")
        .filter(
            (pl.col("post_author").is_not_null() | mentions_expr(pl.col("text"), brand))
            & ~pl.col("author_handle").is_in(brand)
            & (pl.col("author_handle") != pl.col("post_author").fill_null(""))
        )
        .select("comment_id", "author_handle", "sentiment", "posted_at")
    )


def _purchases(matched: pl.DataFrame) -> pl.DataFrame:
    return matched.group_by("creator_id").agg(
        pl.col("matched_by")
        .sort_by(pl.col("matched_by").replace_strict(["email", "handle", "name"], [0, 1, 2]))
        .first(),
        pl.col("orders").sum(),
        pl.col("spent").sum(),
        pl.col("currency").drop_nulls().mode().first(),
        pl.col("last_order_at").max(),
    )


def _comment_counts(comments: pl.DataFrame, key: str) -> pl.DataFrame:
    sentiment = pl.col("sentiment").str.to_lowercase()
    return comments.group_by(key).agg(
        positive=(sentiment == "positive").sum().cast(pl.Int64),
        neutral=(sentiment == "neutral").sum().cast(pl.Int64),
        negative=(sentiment == "negative").sum().cast(pl.Int64),
        unlabelled=sentiment.is_null().sum().cast(pl.Int64),
        last_comment_at=pl.col("posted_at").max(),
    )


def _mention_counts(posts: pl.DataFrame, brand: Sequence[str]) -> pl.DataFrame:
    mentions = brand_posts(posts, brand).filter("mentions_brand")
    return mentions.group_by("creator_id").agg(
        unpaid_mentions=(~pl.col("sponsored")).sum().cast(pl.Int64),
        paid_mentions=pl.col("sponsored").sum().cast(pl.Int64),
        last_mention_at=pl.col("posted_at").filter(~pl.col("sponsored")).max(),
    )


def _with_all_signals(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [pl.lit(None, dtype).alias(c) for c, dtype in _SIGNALS.items() if c not in frame.columns]
    return frame.with_columns(missing).with_columns(pl.col(c).cast(t) for c, t in _SIGNALS.items())


def candidates(
    customers: pl.DataFrame, creators: pl.DataFrame, accounts: pl.DataFrame, comments: pl.DataFrame,
    posts: pl.DataFrame, brand: Sequence[str],
) -> pl.DataFrame:  # fmt: skip
    """One row per candidate with every signal's counts: matched creators, unmatched repeat buyers and commenters."""
    brand = clean_handles(brand)
    matched = match_customers(customers, creators, accounts)
    said = brand_comments(comments, posts, brand)
    owners = _handle_owners(creators, accounts)
    said = said.join(owners.rename({"k": "author_handle"}), on="author_handle", how="left")
    own = owners.filter(pl.col("k").is_in(brand))["creator_id"]
    signals = (
        _purchases(matched.drop_nulls("creator_id"))
        .join(_comment_counts(said.drop_nulls("creator_id"), "creator_id"), on="creator_id", how="full", coalesce=True)
        .join(_mention_counts(posts, brand), on="creator_id", how="full", coalesce=True)
        .filter(~pl.col("creator_id").is_in(own.implode()))
    )
    people = creators.select("creator_id", "followers", handle=pl.col("handle"), name=pl.col("display_name"))
    found = _with_all_signals(signals.join(people, on="creator_id", how="inner")).with_columns(
        key=pl.format("creator:{}", "creator_id")
    )
    buyers = (
        matched.filter(pl.col("creator_id").is_null() & (pl.col("orders") >= MIN_UNMATCHED_ORDERS))
        .select(
            "orders",
            "spent",
            "currency",
            "last_order_at",
            key=pl.format("customer:{}", "customer_key"),
            name=pl.coalesce("name", "email", pl.lit("customer")),
            matched_by=pl.lit(None, pl.String),
        )
        .pipe(_with_all_signals)
    )
    fans = (
        _comment_counts(said.filter(pl.col("creator_id").is_null()), "author_handle")
        .filter(pl.col("positive") + pl.col("neutral") + pl.col("unlabelled") >= MIN_UNMATCHED_COMMENTS)
        .with_columns(key=pl.format("handle:{}", "author_handle"), name=pl.format("@{}", "author_handle"))
        .rename({"author_handle": "handle"})
        .pipe(_with_all_signals)
    )
    return pl.concat([found, buyers, fans], how="diagonal_relaxed")


def score(frame: pl.DataFrame, today: datetime, bounds: Sequence[int] = DEFAULT_BOUNDS) -> pl.DataFrame:
    """Adds ``tier``, ``affinity``, ``reach``, ``recency``, ``last_signal_at`` and ``score`` (see the module doc)."""
    orders, spent = pl.col("orders").fill_null(0), pl.col("spent").fill_null(0.0)
    said = pl.sum_horizontal(
        pl.col("positive").fill_null(0) * SENTIMENT_WEIGHT["positive"],
        pl.col("neutral").fill_null(0) * SENTIMENT_WEIGHT["neutral"],
        pl.col("unlabelled").fill_null(0) * UNLABELLED_WEIGHT,
    )
    purchases = 2 * (1 + orders).log() + 1.5 * (orders >= 2).cast(pl.Float64) + (1 + spent / 50).log()
    last = pl.max_horizontal("last_order_at", "last_comment_at", "last_mention_at")
    days = ((pl.lit(today) - last).dt.total_seconds() / 86_400).clip(lower_bound=0)
    recency = (RECENCY_FLOOR + (1 - RECENCY_FLOOR) * (0.5 ** (days / HALF_LIFE_DAYS))).fill_null(RECENCY_FLOOR)
    tier = pl.when(pl.col("creator_id").is_not_null()).then(tier_expr(pl.col("followers").fill_null(0), bounds))
    size = ((1 + pl.col("followers").fill_null(0)).log10() / 4).clip(0.25, 1.0)
    reach = pl.when(tier.is_not_null()).then(tier.replace_strict(TIER_BONUS, default=1.0) * size)
    affinity = (purchases + 1.5 * (1 + said).log() + 3 * (1 + pl.col("unpaid_mentions").fill_null(0)).log()) * recency
    return (
        frame.with_columns(tier=tier, last_signal_at=last, recency=recency, affinity=affinity)
        .with_columns(reach=reach.fill_null(NO_ACCOUNT_REACH))
        .with_columns(score=(10 * pl.col("affinity") * pl.col("reach")).round(1))
    )


def signals_expr() -> pl.Expr:
    """The list of signals behind a row: "orders", "comments", "mentions"."""
    parts = [
        pl.when(pl.col("orders").fill_null(0) > 0).then(pl.lit("orders")),
        pl.when(pl.sum_horizontal("positive", "neutral", "negative", "unlabelled") > 0).then(pl.lit("comments")),
        pl.when(pl.col("unpaid_mentions").fill_null(0) > 0).then(pl.lit("mentions")),
    ]
    return pl.concat_list(parts).list.drop_nulls()


def rank_advocates(
    customers: pl.DataFrame, creators: pl.DataFrame, accounts: pl.DataFrame, comments: pl.DataFrame,
    posts: pl.DataFrame, brand_handles: Sequence[str], *, today: datetime, bounds: Sequence[int] = DEFAULT_BOUNDS,
) -> pl.DataFrame:  # fmt: skip
    """Every advocate, best first (matched creators, then the unmatched), with its score, signals and reasons.

    Inputs follow ``CUSTOMERS``, ``CREATORS``, ``ACCOUNTS``, ``COMMENTS`` (``sentiment`` null when not labelled)
    and ``POSTS``; the result has ``key``, ``creator_id`` (null when unmatched), ``name``, ``handle``,
    ``followers``, ``tier``, ``matched_by``, ``signals``, the counts, ``score`` and ``reasons``.
    """
    brand = clean_handles(brand_handles)
    frame = score(candidates(customers, creators, accounts, comments, posts, brand), today, bounds)
    frame = frame.filter(pl.col("affinity") > 0).with_columns(
        signals=signals_expr(), reasons=reasons(brand_label(brand), money(pl.col("spent"), pl.col("currency")))
    )
    unmatched = pl.col("creator_id").is_null()
    return frame.sort([unmatched, pl.col("score"), pl.col("key")], descending=[False, True, False])
