"""Comment authenticity per account: spam, generic praise, bot-like authors and copy-paste comments.

The caller adds ``spam_prob`` (the shipped spam model) and ``generic`` (the generic-praise rules) to
the comments frame; this module only aggregates, so it stays a pure frame function.
"""

from __future__ import annotations

import polars as pl

SPAM_THRESHOLD = 0.5
DUPLICATE_MIN = 3  # the same words three times under one creator is a script, not a fan
DUPLICATE_MIN_WORDS = 4
BOT_HANDLE = r"^[a-z._]*\d{4,}[a-z._\d]*$|^[a-z]{1,3}\d{3,}$"
WORST_EXAMPLES = 5


def _text_features(texts: pl.Series) -> pl.DataFrame:
    """Per distinct text: a key for its normalised words (copy-paste detection) and whether it is long enough."""
    norm = pl.col("_t").str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}\s]", "").str.strip_chars()
    return (
        texts.fill_null("")
        .alias("_t")
        .unique()
        .to_frame()
        .with_columns(norm.alias("_norm"))
        .with_columns(
            pl.col("_norm").rank("dense").alias("_norm_id"),
            (pl.col("_norm").str.count_matches(r"\S+") >= DUPLICATE_MIN_WORDS).alias("_long"),
        )
        .drop("_norm")
    )


def _account_text_key(comments: pl.DataFrame, texts: int) -> list[pl.Expr] | list[str]:
    """One integer per (account, normalised text) when it fits in 62 bits (faster to group), else both columns."""
    top = comments.select(pl.col("account_id").abs().max()).item() or 0
    if top * (texts + 1) < 2**62:
        return [(pl.col("account_id") * (texts + 1) + pl.col("_norm_id").cast(pl.Int64)).alias("_account_text")]
    return ["account_id", "_norm_id"]


def mark_comments(comments: pl.DataFrame) -> pl.DataFrame:
    """Add per-comment flags: spam, generic, bot-like author, duplicate text, and ``inauthentic``."""
    # Texts repeat a lot, so their string work is done once per distinct text.
    texts = _text_features(comments["text"])
    marked = (
        comments.with_columns(pl.col("text").fill_null("").alias("_t"))
        .join(texts, on="_t", how="left", maintain_order="left")
        .with_columns(
            (pl.col("spam_prob") >= SPAM_THRESHOLD).alias("is_spam"),
            pl.col("author_handle").str.to_lowercase().str.contains(BOT_HANDLE).alias("bot_handle"),
            (pl.col("author_has_avatar") == False).fill_null(False).alias("no_avatar"),  # noqa: E712
            # Short reactions ("wow", "love this!") repeat naturally among real fans and are judged as generic
            # praise; copy-paste means a longer scripted text (>= 4 words) seen again and again.
            ((pl.len().over(_account_text_key(comments, texts.height)) >= DUPLICATE_MIN) & pl.col("_long")).alias(
                "duplicate"
            ),
        )
    )
    suspicious_author = pl.col("bot_handle") & pl.col("no_avatar")
    # Short praise from a real-looking fan is still a fan; from a faceless or bot-named account it is not.
    hollow = pl.col("generic") & (pl.col("no_avatar") | pl.col("bot_handle"))
    inauthentic = pl.col("is_spam") | pl.col("duplicate") | suspicious_author | hollow
    return marked.with_columns(suspicious_author.alias("suspicious_author"), inauthentic.alias("inauthentic")).drop(
        "_t", "_norm_id", "_long"
    )


def comment_authenticity(comments: pl.DataFrame) -> pl.DataFrame:
    """Per account: shares of authentic, spam, generic, duplicate comments and suspicious authors, with examples."""
    marked = mark_comments(comments)
    badness = (
        pl.col("is_spam").cast(pl.Int8) * 3
        + pl.col("suspicious_author").cast(pl.Int8) * 2
        + pl.col("generic").cast(pl.Int8)
        + pl.col("duplicate").cast(pl.Int8)
    )
    shares = marked.group_by("account_id").agg(
        pl.len().alias("comments_seen"),
        (~pl.col("inauthentic")).mean().alias("authentic_share"),
        pl.col("is_spam").mean().alias("spam_share"),
        pl.col("generic").mean().alias("generic_share"),
        pl.col("duplicate").mean().alias("duplicate_share"),
        pl.col("suspicious_author").mean().alias("suspicious_author_share"),
    )
    # Examples come from the few flagged rows only (filtering keeps each account's rows in order).
    worst = (
        marked.filter(pl.col("inauthentic"))
        .group_by("account_id")
        .agg(pl.col("text").sort_by(badness, descending=True).head(WORST_EXAMPLES).alias("worst_examples"))
    )
    suspicious = (
        marked.filter(pl.col("suspicious_author"))
        .group_by("account_id")
        .agg(pl.col("author_handle").unique().sort().head(WORST_EXAMPLES).alias("suspicious_authors"))
    )
    return (
        shares.join(worst, on="account_id", how="left")
        .join(suspicious, on="account_id", how="left")
        .with_columns(pl.col("worst_examples", "suspicious_authors").fill_null([]))
    )
