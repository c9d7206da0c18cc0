"""What the audience says and who says it: real-looking commenters and substantive comments, graded.

A creator whose audience asks questions ("what mic do you use?"), says it will buy ("just ordered") or
remarks on something specific is worth more to a brand than one whose comments are "Nice pic 🔥", even
when neither is fake. These shares feed the graded part of the credibility score (``credibility.py``).
Pure frame functions: the comments frame carries ``spam_prob`` and ``generic`` (see ``annotate``).
"""

from __future__ import annotations

import polars as pl

from grassroots.judgments.vetting.authenticity import BOT_HANDLE, SPAM_THRESHOLD

QUESTION = r"\?|(?i)^\W*(how|what|where|which|when|who|why|is|are|does|do|can|could|would|will)\b"
# Buying words as people write them under posts (ordering, asking for the link, the price or a code).
PURCHASE_INTENT = (
    r"(?i)\b(ordered|bought|buy|buying|booked|link|price|pricey|cost|code|discount|cart|ship|shipping|"
    r"where can i (get|find)|need (this|these|it)|getting (this|one)|purchas\w*)\b"
)
SPECIFIC_MIN_WORDS = 5
EXAMPLES = 3
BUYING_SPAM_CERTAIN = 0.95


def comment_kinds(comments: pl.DataFrame) -> pl.DataFrame:
    """Add ``question``, ``intent``, ``specific``, ``substantive`` and ``hollow`` (spam or generic praise) per comment.

    Spam and praise are never substantive. Texts repeat a lot, so the patterns run once per distinct text.
    """
    text = pl.col("text")
    spam = pl.col("spam_prob").fill_null(0.0)
    # A buying question ("where can I get this?") is what a brand wants to see: it is hollow only when the spam
    # model is all but certain, never for looking generic.
    buying = text.str.contains(PURCHASE_INTENT)
    hollow = ((spam >= SPAM_THRESHOLD) & ~(buying & (spam < BUYING_SPAM_CERTAIN))) | (
        pl.col("generic").fill_null(False) & ~buying
    )
    words = text.str.count_matches(r"[\p{L}\p{N}']+")
    flags = (
        comments.select(text.fill_null(""), "spam_prob", "generic")
        .unique("text")
        .with_columns(hollow.alias("hollow"))
        .select(
            "text",
            "hollow",
            (text.str.contains(QUESTION) & ~pl.col("hollow")).alias("question"),
            (text.str.contains(PURCHASE_INTENT) & ~pl.col("hollow")).alias("intent"),
            ((words >= SPECIFIC_MIN_WORDS) & ~pl.col("hollow")).alias("specific"),
        )
        .with_columns(pl.any_horizontal("question", "intent", "specific").alias("substantive"))
    )
    return comments.with_columns(text.fill_null("")).join(flags, on="text", how="left", maintain_order="left")


def _commenters(comments: pl.DataFrame) -> pl.DataFrame:
    """Per account: distinct commenters, and those that look real (picture, ordinary handle, never spam).

    A commenter is real unless one of its comments is not, so real = all − those with a comment that is not.
    """
    handle = pl.col("author_handle").fill_null("")
    handles = comments.select(handle.unique())
    bot = handles.with_columns(handle.str.to_lowercase().str.contains(BOT_HANDLE).alias("_bot"))
    unreal = (
        ~pl.col("author_has_avatar").fill_null(False)
        | (pl.col("spam_prob").fill_null(0.0) >= SPAM_THRESHOLD)
        | pl.col("_bot").fill_null(False)
    )
    return (
        comments.select("account_id", handle, "author_has_avatar", "spam_prob")
        .join(bot, on="author_handle", how="left", maintain_order="left")
        .group_by("account_id")
        .agg(
            pl.col("author_handle").n_unique().alias("commenters"),
            pl.col("author_handle").filter(unreal).n_unique().alias("_unreal"),
        )
        .select("account_id", "commenters", (pl.col("commenters") - pl.col("_unreal")).alias("real_commenters"))
    )


def audience_quality(comments: pl.DataFrame) -> pl.DataFrame:
    """Per account: distinct commenters, the share that look real, and the shares of substantive comments.

    A commenter looks real with a profile picture, a handle that is not digit-heavy, and no spam comment.
    """
    kinds = comment_kinds(comments)
    commenters = _commenters(comments)
    shares = kinds.group_by("account_id").agg(
        pl.col("substantive").sum().alias("substantive_comments"),
        pl.col("question").mean().alias("question_share"),
        pl.col("intent").mean().alias("intent_share"),
    )
    good = (
        kinds.filter(pl.col("substantive"))
        .unique(["account_id", "text"], keep="first", maintain_order=True)
        .group_by("account_id", maintain_order=True)
        .agg(_on_post(pl.col("text"), kinds).head(EXAMPLES).alias("good_examples"))
    )
    return (
        commenters.join(shares, on="account_id", how="full", coalesce=True)
        .join(good, on="account_id", how="left")
        .join(hollow_examples(kinds), on="account_id", how="left")
        .with_columns(
            pl.col("commenters", "real_commenters", "substantive_comments").fill_null(0),
            pl.col("good_examples", "hollow_examples").fill_null([]),
        )
    )


def hollow_examples(kinds: pl.DataFrame) -> pl.DataFrame:
    """Per account: the most repeated spam or generic-praise texts, each once with its count ("Nice pic" ×5)."""
    first_post = [pl.col("post_id").first()] if "post_id" in kinds.columns else []
    counted = (
        kinds.filter(pl.col("hollow"))
        .group_by("account_id", "text")
        .agg(pl.len().alias("_n"), *first_post)
        .sort(["account_id", "_n", "text"], descending=[False, True, False])
    )
    line = pl.when(pl.col("_n") > 1).then(pl.format("“{}” ×{}", "text", "_n")).otherwise(pl.format("“{}”", "text"))
    return counted.group_by("account_id", maintain_order=True).agg(
        _on_post(line, counted).head(EXAMPLES + 2).alias("hollow_examples")
    )


def _on_post(line: pl.Expr, frame: pl.DataFrame) -> pl.Expr:
    """The example with the post it was left on, "(post 152)", which the vetting page turns into a link."""
    return pl.format("{} (post {})", line, pl.col("post_id")) if "post_id" in frame.columns else line
