"""Fake / automated account detection from public profile fields, with reasons in plain words.

The model is trained on InstaFake (fcakyon/instafake-dataset, CC BY-NC 4.0): profile counts only, so
it sees followers, follows, posts, bio length, picture, privacy and the username's digits and length.
Display names and links are not in that data set, so they cannot be learned from it and are not used.

The classifier is additive (one spline curve per feature summed into a logistic regression), which
is what lets ``explain`` say how much each fact about an account moved the score. Its decision
threshold is chosen for F1 by an inner 5-fold CV on the training accounts, and the score is shifted
in log-odds so that 0.5 is that threshold (one constant: the per-feature pushes are unchanged).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import polars as pl
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import SplineTransformer

from grassroots.judgments.vetting.files import SEED, TRAINED_DIR

# Columns of a profile as InstaFake names them; the evaluate command reads files in this format.
PROFILE_COLUMNS = (
    "followers", "following", "biography_length", "media_count", "has_profile_pic", "is_private",
    "username_digit_count", "username_length",
)  # fmt: skip
FEATURES = (
    "log_followers", "log_following", "log_posts", "follow_ratio_log", "posts_per_follower_log",
    "username_digit_ratio", "username_len", "bio_length_log", "has_picture", "private", "empty_bio",
    "username_has_digits",
)  # fmt: skip
# Missing inputs take the InstaFake medians (or, for follows, the account's own followers: a ratio of
# one is typical of real accounts), so that an unknown never counts as evidence; explain skips them.
NEUTRAL = {"media_count": 20, "biography_length": 8, "has_profile_pic": 1, "is_private": 0}
MODEL_FILE = "fake_accounts.joblib"
SPLINE_KNOTS = 5
# C=3 and C=10 tied on mean F1 over five 5-fold CV seeds (C in {3, 10, 30, 100}); the stronger
# regularisation is kept because creators lie outside the training range (docs/accuracy.md).
REGULARISATION_C = 3.0
# Candidate decision thresholds on the GAM's probability; fakes are 17 % of InstaFake, so F1 usually
# peaks below 0.5. The pick is made by inner CV on the training part only (benchmarks/fake_accounts_models.py).
THRESHOLD_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))
INNER_FOLDS = 5


def _num(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.Float64)


def account_features(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the model's feature columns to a frame of InstaFake-style profile columns (kept as they are)."""
    followers = _num("followers").fill_null(300.0)
    following = _num("following").fill_null(followers)
    posts = _num("media_count").fill_null(NEUTRAL["media_count"])
    bio = _num("biography_length").fill_null(NEUTRAL["biography_length"])
    digits = _num("username_digit_count").fill_null(0.0)
    length = _num("username_length").fill_null(10.0).clip(lower_bound=1.0)
    return frame.with_columns(
        (followers + 1).log().alias("log_followers"),
        (following + 1).log().alias("log_following"),
        (posts + 1).log().alias("log_posts"),
        ((following + 1) / (followers + 1)).log().alias("follow_ratio_log"),
        ((posts + 1) / (followers + 1)).log().alias("posts_per_follower_log"),
        (digits / length).alias("username_digit_ratio"),
        length.alias("username_len"),
        (bio + 1).log().alias("bio_length_log"),
        _num("has_profile_pic").fill_null(NEUTRAL["has_profile_pic"]).alias("has_picture"),
        _num("is_private").fill_null(NEUTRAL["is_private"]).alias("private"),
        (bio == 0).cast(pl.Float64).alias("empty_bio"),
        (digits > 0).cast(pl.Float64).alias("username_has_digits"),
    )


def features_from_accounts(frame: pl.DataFrame) -> pl.DataFrame:
    """Feature frame from our SocialAccount columns (handle, bio, followers, following, posts_count, ...)."""
    handle = pl.col("handle").fill_null("").str.strip_prefix("@")
    optional = {
        "is_private": pl.col("is_private") if "is_private" in frame.columns else pl.lit(None, pl.Boolean),
        "bio": pl.col("bio") if "bio" in frame.columns else pl.lit(None, pl.String),
        "following": pl.col("following") if "following" in frame.columns else pl.lit(None, pl.Int64),
        "posts_count": pl.col("posts_count") if "posts_count" in frame.columns else pl.lit(None, pl.Int64),
        "has_profile_picture": (
            pl.col("has_profile_picture") if "has_profile_picture" in frame.columns else pl.lit(None, pl.Boolean)
        ),
    }
    profile = frame.with_columns(
        pl.col("followers").alias("followers"),
        optional["following"].alias("following"),
        optional["bio"].str.len_chars().alias("biography_length"),
        optional["posts_count"].alias("media_count"),
        optional["has_profile_picture"].cast(pl.Int8).alias("has_profile_pic"),
        optional["is_private"].cast(pl.Int8).alias("is_private"),
        handle.str.count_matches(r"\d").alias("username_digit_count"),
        handle.str.len_chars().alias("username_length"),
    )
    return account_features(profile)


def build_estimator() -> Pipeline:
    """The untrained classifier: a cubic spline per feature, then an L2 logistic regression (a GAM)."""
    return Pipeline(
        [
            ("splines", SplineTransformer(n_knots=SPLINE_KNOTS, degree=3)),
            ("logit", LogisticRegression(C=REGULARISATION_C, max_iter=10_000)),
        ]
    )


def build_classifier(seed: int = SEED) -> TunedThresholdClassifierCV:
    """The GAM wrapped so that fitting also picks its F1-best threshold from THRESHOLD_GRID by inner CV."""
    return TunedThresholdClassifierCV(
        build_estimator(),
        scoring="f1",
        thresholds=list(THRESHOLD_GRID),
        cv=StratifiedKFold(n_splits=INNER_FOLDS, shuffle=True, random_state=seed),
    )


def feature_matrix(features: pl.DataFrame) -> np.ndarray:
    """The model's input matrix, in FEATURES order."""
    return features.select(FEATURES).to_numpy().astype(np.float64)


def contributions(estimator: Pipeline, matrix: np.ndarray) -> np.ndarray:
    """Each feature's additive share of the log-odds of being fake (rows x FEATURES)."""
    basis = estimator.named_steps["splines"].transform(matrix)
    coef = estimator.named_steps["logit"].coef_[0]
    per_feature = basis.shape[1] // matrix.shape[1]
    weighted = (basis * coef).reshape(matrix.shape[0], matrix.shape[1], per_feature)
    return np.asarray(weighted.sum(axis=2))


@dataclass(frozen=True)
class FakeAccountModel:
    """The trained fake-account classifier and what explaining its scores needs."""

    estimator: Pipeline
    reference: np.ndarray  # mean contribution of each feature over the training accounts
    threshold: float = 0.5  # the GAM probability at which an account is called fake (inner-CV pick)

    @classmethod
    def fit(cls, features: pl.DataFrame, labels: np.ndarray, seed: int = SEED) -> FakeAccountModel:
        """Train on a feature frame and 0/1 labels (1 = fake); the threshold is picked by inner CV."""
        matrix = feature_matrix(features)
        tuned = build_classifier(seed).fit(matrix, labels)
        estimator: Pipeline = tuned.estimator_
        return cls(estimator, contributions(estimator, matrix).mean(axis=0), float(tuned.best_threshold_))

    @classmethod
    def load(cls, path: Path | None = None) -> FakeAccountModel:
        """Load the model shipped in the package (or one written by ``grassroots train``)."""
        source = path or TRAINED_DIR / MODEL_FILE
        payload: dict[str, Any] = joblib.load(source)
        return cls(payload["estimator"], np.asarray(payload["reference"]), float(payload.get("threshold", 0.5)))

    def save(self, path: Path) -> None:
        """Write the model file (compressed; a few kB)."""
        payload = {"estimator": self.estimator, "reference": self.reference, "threshold": self.threshold}
        joblib.dump(payload, path, compress=3)

    def decision(self, features: pl.DataFrame) -> np.ndarray:
        """Log-odds of being fake, shifted so that 0 is the decision threshold (sum of the pushes + a constant)."""
        shift = math.log(self.threshold / (1 - self.threshold))
        return np.asarray(self.estimator.decision_function(feature_matrix(features)) - shift)

    def predict_proba(self, features: pl.DataFrame) -> np.ndarray:
        """Fake score in [0, 1] per account (>= 0.5 means called fake), from account_features/features_from_accounts.

        It is the GAM's probability moved in log-odds so that 0.5 sits at the chosen threshold: ordering and
        reasons are the GAM's, and the 0.5 cut used elsewhere (credibility, evaluate) is the F1-tuned one.
        """
        return np.asarray(1 / (1 + np.exp(-self.decision(features))))

    def explain(self, features: pl.DataFrame, top: int = 3) -> list[list[str]]:
        """Up to ``top`` plain-word reasons per account that pushed it towards fake, strongest first."""
        pushes = contributions(self.estimator, feature_matrix(features)) - self.reference
        index = {name: i for i, name in enumerate(FEATURES)}
        out: list[list[str]] = []
        for row, push in zip(features.iter_rows(named=True), pushes, strict=True):
            scored = [(sum(push[index[f]] for f in family), family_name) for family_name, family in FAMILIES.items()]
            words = [_REASONS[name](row) for weight, name in sorted(scored, reverse=True) if weight > REASON_MIN]
            out.append([w for w in words if w][:top])
        return out


# Features that describe the same fact are summed so a reason is said once ("follows many, few follow back").
FAMILIES = {
    "picture": ("has_picture",),
    "follows": ("log_followers", "log_following", "follow_ratio_log"),
    "posts": ("log_posts", "posts_per_follower_log"),
    "username": ("username_digit_ratio", "username_len", "username_has_digits"),
    "bio": ("bio_length_log", "empty_bio"),
    "private": ("private",),
}
# A push below a quarter of a log-odds unit is noise next to the other reasons; do not say it.
REASON_MIN = 0.25
# The curves are not forced to be monotone; these keep a reason from calling 400 posts "only".
FEW_POSTS = 10
SHORT_BIO = 20
FEW_FOLLOWERS = 50
FOLLOW_BACK_GAP = 2
MANY_FOLLOWS = 100
DIGITS_WORTH_SAYING = 2


def _count(value: Any, noun: str) -> str:
    return f"{int(value):,} {noun}{'' if int(value) == 1 else 's'}"


def _picture(row: dict[str, Any]) -> str | None:
    return "no profile picture" if row.get("has_profile_pic") == 0 else None


def _follows(row: dict[str, Any]) -> str | None:
    followers, following = row.get("followers"), row.get("following")
    if followers is None or following is None:
        return None
    if following >= FOLLOW_BACK_GAP * max(followers, 1) and following >= MANY_FOLLOWS:
        return f"follows {_count(following, 'account')} but has {_count(followers, 'follower')}"
    return f"only {_count(followers, 'follower')}" if followers < FEW_FOLLOWERS else None


def _posts(row: dict[str, Any]) -> str | None:
    posts = row.get("media_count")
    if posts is None:
        return None
    if posts >= FEW_POSTS:
        return None
    return "has never posted" if posts == 0 else f"has posted only {_count(posts, 'time')}"


def _username(row: dict[str, Any]) -> str | None:
    digits, length = row.get("username_digit_count"), row.get("username_length")
    if not digits or not length or digits < DIGITS_WORTH_SAYING:
        return None
    return f"username is {digits / length:.0%} digits ({digits} of {length} characters)"


def _bio(row: dict[str, Any]) -> str | None:
    bio = row.get("biography_length")
    if bio is None:
        return None
    if bio >= SHORT_BIO:
        return None
    return "empty bio" if bio == 0 else f"bio of only {_count(bio, 'character')}"


def _private(row: dict[str, Any]) -> str | None:
    # Public is the norm for creators, so only "private" is worth saying.
    return "private account" if row.get("is_private") == 1 else None


_REASONS = {
    "picture": _picture,
    "follows": _follows,
    "posts": _posts,
    "username": _username,
    "bio": _bio,
    "private": _private,
}
