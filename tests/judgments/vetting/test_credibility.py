"""The credibility score: graded evidence ranks genuine accounts, red flags sink fakes, confidence says how sure."""

from typing import Any

import polars as pl

from grassroots.judgments.vetting.conversation import audience_quality, comment_kinds
from grassroots.judgments.vetting.credibility import GRADED, credibility

GOOD: dict[str, Any] = {
    "account_id": 1, "tier": "nano", "platform": "instagram", "er_median": 0.11, "er_percentile": 99.0,
    "peers": 40, "tier_er_low": 0.08, "tier_er_high": 0.14, "posts_used": 12, "likes_median": 400.0,
    "weakest_post_id": 7, "weakest_post": "weakest post: 2026-11-02 image", "recent_posts": 12, "authentic_share": 0.95, "comments_seen": 200, "spam_share": 0.0,
    "generic_share": 0.05, "duplicate_share": 0.0, "suspicious_author_share": 0.0, "suspicious_authors": [],
    "worst_examples": [], "hollow_examples": [], "commenters": 150, "real_commenters": 150, "substantive_comments": 180,
    "question_share": 0.4, "intent_share": 0.2, "unexplained_spikes": 0, "drops": 0, "spike_share": 0.0,
    "spike_evidence": [], "drop_evidence": [], "growth_cv": 0.8, "days": 90, "pod_id": None, "pod_size": None,
    "quick_share": None, "pod_evidence": [], "fake_prob": 0.05, "sponsored_share": 0.0, "paid_vs_organic": None,
}  # fmt: skip
SCHEMA = {"pod_id": pl.Int64, "pod_size": pl.UInt32, "quick_share": pl.Float64, "paid_vs_organic": pl.Float64,
          "suspicious_authors": pl.List(pl.String), "worst_examples": pl.List(pl.String),
          "hollow_examples": pl.List(pl.String),
          "spike_evidence": pl.List(pl.String), "drop_evidence": pl.List(pl.String),
          "pod_evidence": pl.List(pl.String)}  # fmt: skip


def _score(*rows: dict[str, Any]) -> pl.DataFrame:
    frame = pl.DataFrame([GOOD | {"account_id": i + 1} | r for i, r in enumerate(rows)], schema_overrides=SCHEMA)
    return credibility(frame)


def test_graded_weights_sum_to_100() -> None:
    assert sum(GRADED.values()) == 100


def test_better_evidence_ranks_higher_among_genuine_accounts() -> None:
    scored = _score(
        {},
        {"er_percentile": 60.0},
        {"er_percentile": 60.0, "substantive_comments": 60},
        {"er_percentile": 60.0, "substantive_comments": 60, "real_commenters": 110},
    )
    values = scored["credibility"].to_list()
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
    assert values[0] >= 95


def test_each_lost_point_is_a_reason_with_a_sentence() -> None:
    reasons = _score({"er_percentile": 20.0, "sponsored_share": 0.5})["reasons"][0]
    codes = [r["code"] for r in reasons]
    assert codes[0] == "peer_engagement" and "sponsored_restraint" in codes
    assert "above 20 % of 40 nano instagram peers" in reasons[0]["text"]
    assert reasons[0]["penalty"] == 20.0


def test_red_flags_sink_a_fake_below_any_genuine_account() -> None:
    fake = {"er_median": 0.002, "er_percentile": 0.0, "unexplained_spikes": 2, "spike_share": 0.8,
            "authentic_share": 0.2, "real_commenters": 10, "substantive_comments": 5, "growth_cv": 6.0}  # fmt: skip
    scored = _score({"er_percentile": 10.0, "substantive_comments": 80}, fake)
    assert scored["credibility"][1] == 0 < scored["credibility"][0]


def test_little_evidence_lowers_confidence_and_says_not_enough_data() -> None:
    thin = {"posts_used": 2, "comments_seen": 4, "commenters": 4, "real_commenters": 4, "substantive_comments": 4}
    scored = _score({}, thin)
    assert scored["enough_data"].to_list() == [True, False]
    assert scored["confidence"][0] == 100 and scored["confidence"][1] < 60
    # Four perfect comments are shrunk towards one half: they cannot earn what 200 comments earn.
    assert scored["credibility"][1] < scored["credibility"][0]


def test_comment_kinds_and_audience_quality() -> None:
    comments = pl.DataFrame({
        "account_id": [1, 1, 1, 1, 1],
        "author_handle": ["ana.cooks", "ben", "user84712", "ana.cooks", "cara.k"],
        "author_has_avatar": [True, True, False, True, True],
        "text": ["what mic do you use?", "just ordered 🙌", "Nice pic", "the lighting in the second shot is great",
                 "Follow me for more!"],
        "spam_prob": [0.0, 0.0, 0.1, 0.0, 0.9],
        "generic": [False, False, True, False, False],
    })  # fmt: skip
    kinds = comment_kinds(comments)
    assert kinds["substantive"].to_list() == [True, True, False, True, False]
    row = audience_quality(comments).row(0, named=True)
    assert (row["commenters"], row["real_commenters"], row["substantive_comments"]) == (4, 2, 3)
    assert row["good_examples"][0] == "what mic do you use?"


def test_hollow_comments_are_shown_once_with_a_count() -> None:
    comments = pl.DataFrame({
        "account_id": [1] * 7,
        "author_handle": [f"bot{i:05d}" for i in range(6)] + ["ana"],
        "author_has_avatar": [False] * 6 + [True],
        "text": ["Follow me for more!"] * 5 + ["Nice pic", "where can I get this?"],
        "spam_prob": [0.9] * 5 + [0.1, 0.0],
        "generic": [False] * 5 + [True, False],
    })  # fmt: skip
    row = audience_quality(comments).row(0, named=True)
    assert row["hollow_examples"] == ["“Follow me for more!” ×5", "“Nice pic”"]


def test_examples_name_their_post_and_buying_questions_are_never_hollow() -> None:
    comments = pl.DataFrame({
        "account_id": [1] * 4,
        "post_id": [7, 8, 8, 9],
        "author_handle": ["bot1", "bot2", "ana", "cara"],
        "author_has_avatar": [False, False, True, True],
        "text": ["Nice pic", "Nice pic", "where can I buy this?", "what lens did you use for the second shot?"],
        "spam_prob": [0.1, 0.1, 0.8, 0.0],
        "generic": [True, True, False, False],
    })  # fmt: skip
    row = audience_quality(comments).row(0, named=True)
    assert row["hollow_examples"] == ["“Nice pic” ×2 (post 7)"]
    assert row["good_examples"] == [
        "where can I buy this? (post 8)",
        "what lens did you use for the second shot? (post 9)",
    ]
