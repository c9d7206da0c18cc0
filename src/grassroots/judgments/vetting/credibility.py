"""Credibility 0–100 from graded evidence and red flags, with a ranked list of reasons and their evidence.

Two kinds of points (weights documented, with the reasons for them, in docs/vetting.md):

* **graded evidence** (``GRADED``, 100 points in all): each signal is a grade from 0 to 1 (the share of
  commenters who look real, the share of substantive comments, engagement as a percentile of the tier and
  platform's peers, growth steadiness, sponsored restraint); an account earns ``weight × grade``. Only an
  account at the top of every grade earns 100, so 100 is rare and genuine creators are ranked.
* **red flags** (``RED_FLAGS``): penalties for what fakes and pods leave behind (bought follower jumps,
  engagement far outside the tier's range, hollow comments, a pod, an automated profile).

Comment shares are shrunk towards 50 % by ``PRIOR_COMMENTS`` pseudo-comments, so a handful of comments
cannot earn full marks. Every point lost comes with a sentence and the evidence behind it.
"""

from __future__ import annotations

import polars as pl

from grassroots.judgments.vetting.confidence import confidence_columns

GRADED: dict[str, float] = {
    "real_commenters": 25,
    "substantive_comments": 20,
    "peer_engagement": 25,
    "growth_steadiness": 15,
    "sponsored_restraint": 15,
}
RED_FLAGS: dict[str, float] = {
    "low_engagement": 30,
    "high_engagement": 10,
    "growth_spikes": 25,
    "follower_drops": 6,
    "inauthentic_comments": 25,
    "engagement_pod": 30,
    "automated_profile": 15,
    "paid_underperforms": 6,
}
WEIGHTS = GRADED | RED_FLAGS
PRIOR_COMMENTS = 10
MIN_REASON_POINTS = 0.5  # smaller losses are rounding, not a reason
REASON = pl.Struct({"code": pl.String, "penalty": pl.Float64, "text": pl.String, "evidence": pl.List(pl.String)})


def _pct(col: str) -> pl.Expr:
    return (pl.col(col) * 100).round(1).cast(pl.String)


def _clip01(expr: pl.Expr) -> pl.Expr:
    return expr.clip(0.0, 1.0).fill_null(0.0).fill_nan(0.0)


def _shrunk(hits: str, total: str) -> pl.Expr:
    """hits / total with ``PRIOR_COMMENTS`` pseudo-observations at one half (none seen: one half)."""
    n = pl.col(total).fill_null(0).cast(pl.Float64)
    return (pl.col(hits).fill_null(0).cast(pl.Float64) + PRIOR_COMMENTS / 2) / (n + PRIOR_COMMENTS)


def grades() -> dict[str, pl.Expr]:
    """One expression per graded signal: its grade from 0 (worst) to 1 (best)."""
    return {
        # Real audiences have a few faceless lurkers; from half of the commenters faceless or bot-named, none.
        "real_commenters": _clip01((_shrunk("real_commenters", "commenters") - 0.5) / 0.5),
        # Questions, buying intent and specific remarks; 80 % substantive is full marks (people also just cheer).
        "substantive_comments": _clip01(_shrunk("substantive_comments", "comments_seen") / 0.8),
        # Where the account sits among its tier-and-platform peers; unknown (no peers) is the middle.
        "peer_engagement": _clip01(pl.col("er_percentile").fill_null(50.0) / 100),
        # Day-to-day follower changes: steady (variation about their mean of 1 or less) is full marks, 5+ none.
        "growth_steadiness": _clip01((5 - pl.col("growth_cv").fill_null(1.0)) / 4),
        # Up to 10 % sponsored posts costs nothing; 60 % or more costs all of it.
        "sponsored_restraint": _clip01(1 - (pl.col("sponsored_share").fill_null(0.0) - 0.1) / 0.5),
    }


def penalties() -> dict[str, pl.Expr]:
    """One expression per red flag giving its penalty in points (0 up to its weight)."""
    ratio = pl.col("er_median") / pl.col("tier_er_low")
    return {
        # Full penalty at 5 % of the tier's typical low end (20k followers, 10 likes), none from half of it.
        "low_engagement": _clip01((0.5 - ratio) / 0.45) * RED_FLAGS["low_engagement"],
        "high_engagement": _clip01(pl.col("er_median") / (3 * pl.col("tier_er_high")) - 1)
        * RED_FLAGS["high_engagement"]
        * 2,
        "growth_spikes": _clip01(pl.col("unexplained_spikes").cast(pl.Float64) * 0.4 + pl.col("spike_share"))
        * RED_FLAGS["growth_spikes"],
        "follower_drops": _clip01(pl.col("drops").cast(pl.Float64) / 2) * RED_FLAGS["follower_drops"],
        # Real audiences leave plenty of short praise; only a clear majority of hollow comments costs points.
        "inauthentic_comments": _clip01((0.8 - pl.col("authentic_share")) / 0.5) * RED_FLAGS["inauthentic_comments"],
        "engagement_pod": pl.col("pod_id").is_not_null().cast(pl.Float64) * RED_FLAGS["engagement_pod"],
        "automated_profile": _clip01((pl.col("fake_prob") - 0.5) * 2) * RED_FLAGS["automated_profile"],
        "paid_underperforms": _clip01((0.6 - pl.col("paid_vs_organic")) / 0.4) * RED_FLAGS["paid_underperforms"],
    }


def points_lost() -> dict[str, pl.Expr]:
    """Points each signal costs: ``weight × (1 − grade)`` for graded evidence, the penalty for a red flag."""
    lost = {code: (1 - grade) * GRADED[code] for code, grade in grades().items()}
    return lost | penalties()


def _texts() -> dict[str, tuple[pl.Expr, pl.Expr]]:
    """Sentence and evidence per signal."""
    empty = pl.lit([], dtype=pl.List(pl.String))
    growth_evidence = pl.concat_list(pl.col("spike_evidence"), pl.col("drop_evidence"))
    weakest = (
        pl.when(pl.col("weakest_post").is_not_null()).then(pl.concat_list(pl.col("weakest_post"))).otherwise(empty)
    )
    return {
        "real_commenters": (
            pl.format(
                "{} of {} distinct commenters look real (a profile picture, an ordinary handle, no spam)",
                pl.col("real_commenters"),
                pl.col("commenters"),
            ),
            pl.col("suspicious_authors"),
        ),
        "substantive_comments": (
            pl.format(
                "{} of {} comments are substantive (questions {} %, buying intent {} %); the rest is praise or spam",
                pl.col("substantive_comments"),
                pl.col("comments_seen"),
                _pct("question_share"),
                _pct("intent_share"),
            ),
            pl.col("hollow_examples"),
        ),
        "peer_engagement": (
            pl.format(
                "Engagement {} % is above {} % of {} {} {} peers",
                _pct("er_median"),
                pl.col("er_percentile").round(0).cast(pl.Int64),
                pl.col("peers"),
                pl.col("tier"),
                pl.col("platform"),
            ),
            weakest,
        ),
        "growth_steadiness": (
            pl.format(
                "Day-to-day follower changes are uneven (variation {}× their mean over {} days)",
                pl.col("growth_cv").round(1).cast(pl.String),
                pl.col("days"),
            ),
            growth_evidence,
        ),
        "sponsored_restraint": (
            pl.format("{} % of the last {} posts are sponsored", _pct("sponsored_share"), pl.col("recent_posts")),
            empty,
        ),
        "low_engagement": (
            pl.format(
                "Median engagement {} % over {} recent posts (about {} likes a post) vs {} % typical for {} creators",
                _pct("er_median"),
                pl.col("posts_used"),
                pl.col("likes_median").round(0).cast(pl.Int64),
                pl.format("{}–{}", _pct("tier_er_low"), _pct("tier_er_high")),
                pl.col("tier"),
            ),
            weakest,
        ),
        "high_engagement": (
            pl.format(
                "Engagement {} % is implausibly high for a {} account (typical {}–{} %)",
                _pct("er_median"),
                pl.col("tier"),
                _pct("tier_er_low"),
                _pct("tier_er_high"),
            ),
            empty,
        ),
        "growth_spikes": (
            pl.format(
                "{} follower jump(s) with no post to explain them; {} % of the period's growth came from them",
                pl.col("unexplained_spikes"),
                _pct("spike_share"),
            ),
            pl.col("spike_evidence"),
        ),
        "follower_drops": (
            pl.format("{} sudden follower drop(s), as after a platform purge of fake followers", pl.col("drops")),
            pl.col("drop_evidence"),
        ),
        "inauthentic_comments": (
            pl.format(
                "Only {} % of {} comments look authentic (generic {} %, spam {} %, copy-paste {} %)",
                _pct("authentic_share"),
                pl.col("comments_seen"),
                _pct("generic_share"),
                _pct("spam_share"),
                _pct("duplicate_share"),
            ),
            pl.when(pl.col("hollow_examples").list.len() > 0)
            .then(pl.col("hollow_examples"))
            .otherwise(pl.col("worst_examples")),
        ),
        "engagement_pod": (
            pl.format(
                "Part of an engagement pod of {} accounts that share commenters ({} % comment within 15 min)",
                pl.col("pod_size"),
                _pct("quick_share"),
            ),
            pl.col("pod_evidence"),
        ),
        "automated_profile": (
            pl.format("The profile itself looks automated (model score {} of 100)", _pct("fake_prob")),
            empty,
        ),
        "paid_underperforms": (
            pl.format(
                "Sponsored posts get {}× the engagement of organic ones",
                pl.col("paid_vs_organic").round(2).cast(pl.String),
            ),
            empty,
        ),
    }


def credibility(signals: pl.DataFrame) -> pl.DataFrame:
    """Add ``credibility`` (0–100), ``confidence`` (0–100), ``enough_data`` and ``reasons``.

    ``reasons`` is the ranked list of (code, penalty = points lost, text, evidence).
    """
    lost = points_lost()
    with_pen = signals.with_columns([expr.round(1).alias(f"pen_{code}") for code, expr in lost.items()])
    total = pl.sum_horizontal([pl.col(f"pen_{code}") for code in lost])
    scored = with_pen.with_columns(
        (100 - total).clip(0, 100).round(0).cast(pl.Int64).alias("credibility"), *confidence_columns()
    )
    # Long form: one row per (account, signal that cost points), built only where it did, then ranked and
    # gathered into a list; far cheaper than a list of a dozen nullable structs per account.
    applied = [
        with_pen.filter(pl.col(f"pen_{code}") >= MIN_REASON_POINTS).select(
            "account_id",
            pl.lit(order).alias("_order"),
            pl.struct(
                pl.lit(code).alias("code"),
                pl.col(f"pen_{code}").alias("penalty"),
                text.fill_null("").alias("text"),
                evidence.fill_null([]).alias("evidence"),
            ).alias("reason"),
        )
        for order, (code, (text, evidence)) in enumerate(_texts().items())
    ]
    reasons = (
        pl.concat(applied)
        .sort(
            ["account_id", pl.col("reason").struct.field("penalty"), "_order"],
            descending=[False, True, False],
        )
        .group_by("account_id", maintain_order=True)
        .agg(pl.col("reason").alias("reasons"))
    )
    return (
        scored.join(reasons, on="account_id", how="left", maintain_order="left")
        .with_columns(pl.col("reasons").fill_null(pl.lit([], dtype=pl.List(REASON))))
        .drop([f"pen_{code}" for code in lost])
    )
