"""Fake-account features and the shipped model: ratios and flags from hand-made profiles, scores, reasons."""

import math
from pathlib import Path

import joblib
import numpy as np
import polars as pl
import pytest

from grassroots.judgments.vetting.fake_accounts import (
    FEATURES,
    THRESHOLD_GRID,
    FakeAccountModel,
    account_features,
    contributions,
    feature_matrix,
    features_from_accounts,
)


def profile(**overrides: object) -> dict[str, object]:
    """An ordinary real-looking InstaFake row; tests override what they are about."""
    row: dict[str, object] = {
        "followers": 350, "following": 420, "biography_length": 40, "media_count": 60, "has_profile_pic": 1,
        "is_private": 0, "username_digit_count": 0, "username_length": 10,
    }  # fmt: skip
    row.update(overrides)
    return row


def ours(**overrides: object) -> dict[str, object]:
    """A SocialAccount-like row as the store holds it."""
    row: dict[str, object] = {
        "handle": "anna.bakes", "display_name": "Anna", "bio": "Sourdough and slow mornings in Leeds.",
        "url": "https://anna.example", "followers": 1_800, "following": 410, "posts_count": 230,
        "has_profile_picture": True,
    }  # fmt: skip
    row.update(overrides)
    return row


@pytest.fixture(scope="module")
def model() -> FakeAccountModel:
    return FakeAccountModel.load()


def test_features_compute_ratios_digits_and_flags() -> None:
    frame = account_features(
        pl.DataFrame([profile(followers=40, following=7_500, username_digit_count=4, username_length=10,
                              has_profile_pic=0, biography_length=0, media_count=0)])
    )  # fmt: skip
    row = frame.row(0, named=True)
    assert row["username_digit_ratio"] == pytest.approx(0.4)
    assert row["follow_ratio_log"] == pytest.approx(math.log(7_501 / 41))
    assert row["posts_per_follower_log"] == pytest.approx(math.log(1 / 41))
    assert row["log_followers"] == pytest.approx(math.log(41))
    assert (row["has_picture"], row["empty_bio"], row["username_has_digits"]) == (0.0, 1.0, 1.0)
    assert set(FEATURES) <= set(frame.columns)
    assert row["followers"] == 40  # the raw columns stay, for the reasons


def test_missing_counts_are_neutral_not_evidence() -> None:
    frame = account_features(
        pl.DataFrame(
            [profile(following=None, media_count=None, has_profile_pic=None)],
            schema_overrides={"following": pl.Int64, "media_count": pl.Int64, "has_profile_pic": pl.Int64},
        )
    )
    row = frame.row(0, named=True)
    assert row["follow_ratio_log"] == pytest.approx(0.0)  # unknown follows = as many as followers
    assert row["has_picture"] == 1.0
    assert row["log_posts"] == pytest.approx(math.log(21))


def test_our_account_columns_map_to_the_same_features() -> None:
    mapped = features_from_accounts(
        pl.DataFrame([ours(handle="@jo_1988", bio="", has_profile_picture=False, is_private=True)])
    )
    row = mapped.row(0, named=True)
    assert (row["username_digit_count"], row["username_length"]) == (4, 7)  # the @ is not part of the name
    assert (row["biography_length"], row["media_count"], row["has_profile_pic"], row["is_private"]) == (0, 230, 0, 1)
    direct = account_features(
        pl.DataFrame([profile(followers=1_800, following=410, biography_length=0, media_count=230, has_profile_pic=0,
                              is_private=1, username_digit_count=4, username_length=7)])
    )  # fmt: skip
    assert feature_matrix(mapped) == pytest.approx(feature_matrix(direct))


def test_our_accounts_without_optional_columns_still_score(model: FakeAccountModel) -> None:
    frame = pl.DataFrame({"handle": ["x1", "plainname"], "followers": [10, 900]})
    assert model.predict_proba(features_from_accounts(frame)).shape == (2,)


def test_shipped_model_separates_obvious_fakes_from_real_accounts(model: FakeAccountModel) -> None:
    frame = pl.DataFrame(
        [
            ours(),
            ours(handle="maya.runs", followers=420, following=380, posts_count=95),
            ours(handle="xk_29384756", display_name=None, bio="", url=None, followers=40, following=7_500,
                 posts_count=0, has_profile_picture=False),
            ours(handle="user84920", bio=None, followers=12, following=2_900, posts_count=1, has_profile_picture=False),
        ]
    )  # fmt: skip
    p = model.predict_proba(features_from_accounts(frame))
    assert p[0] < 0.2 and p[1] < 0.2
    assert p[2] > 0.9 and p[3] > 0.9


def test_reasons_name_what_made_an_account_look_fake(model: FakeAccountModel) -> None:
    frame = features_from_accounts(
        pl.DataFrame([ours(handle="xk_29384756", bio="", followers=40, following=7_500, posts_count=0,
                           has_profile_picture=False), ours()])
    )  # fmt: skip
    fake, real = model.explain(frame, top=3)
    assert "follows 7,500 accounts but has 40 followers" in fake
    assert "no profile picture" in fake or "has never posted" in fake
    assert len(fake) == 3
    assert "no profile picture" not in real and not any("follows" in r for r in real)


def test_contributions_add_up_to_the_model_score(model: FakeAccountModel) -> None:
    frame = account_features(pl.DataFrame([profile(), profile(followers=5, following=3_000, has_profile_pic=0)]))
    matrix = feature_matrix(frame)
    intercept = model.estimator.named_steps["logit"].intercept_[0]
    total = contributions(model.estimator, matrix).sum(axis=1) + intercept
    assert np.allclose(total, model.estimator.decision_function(matrix))
    # The threshold shift is one constant: the score is still the pushes plus a constant, nothing else.
    shift = math.log(model.threshold / (1 - model.threshold))
    assert np.allclose(model.decision(frame), total - shift)


def test_the_shipped_threshold_was_picked_from_the_grid_and_0_5_is_the_cut(model: FakeAccountModel) -> None:
    assert model.threshold in THRESHOLD_GRID
    frame = account_features(
        pl.DataFrame([profile(followers=f, following=g, media_count=m, has_profile_pic=pic)
                      for f, g, m, pic in ((350, 420, 60, 1), (80, 700, 2, 1), (40, 900, 1, 0), (150, 160, 3, 1))])
    )  # fmt: skip
    gam = model.estimator.predict_proba(feature_matrix(frame))[:, 1]
    score = model.predict_proba(frame)
    assert ((score >= 0.5) == (gam >= model.threshold)).all()
    assert (np.argsort(score) == np.argsort(gam)).all()  # a monotone shift: the ranking is the GAM's


def test_a_model_file_written_before_thresholds_loads_with_the_plain_cut(
    model: FakeAccountModel, tmp_path: Path
) -> None:
    old = tmp_path / "old.joblib"
    joblib.dump({"estimator": model.estimator, "reference": model.reference}, old)
    loaded = FakeAccountModel.load(old)
    assert loaded.threshold == 0.5
    frame = account_features(pl.DataFrame([profile()]))
    assert loaded.predict_proba(frame) == pytest.approx(model.estimator.predict_proba(feature_matrix(frame))[:, 1])


def test_fitting_picks_a_threshold_by_inner_cv_and_round_trips(tmp_path: Path) -> None:
    rows = [profile(followers=300 + i, media_count=40 + i % 7, username_length=8 + i % 5) for i in range(60)]
    rows += [profile(followers=20 + i, following=1_500 + 40 * i, media_count=i % 3, has_profile_pic=i % 2,
                     biography_length=0, username_digit_count=3 + i % 3) for i in range(20)]  # fmt: skip
    labels = np.array([0] * 60 + [1] * 20)
    fitted = FakeAccountModel.fit(account_features(pl.DataFrame(rows)), labels, seed=3)
    assert fitted.threshold in THRESHOLD_GRID
    fitted.save(tmp_path / "m.joblib")
    again = FakeAccountModel.load(tmp_path / "m.joblib")
    assert again.threshold == fitted.threshold
    frame = account_features(pl.DataFrame(rows[:3] + rows[-3:]))
    assert again.predict_proba(frame) == pytest.approx(fitted.predict_proba(frame))
    assert (fitted.predict_proba(frame) >= 0.5).tolist() == [False] * 3 + [True] * 3
