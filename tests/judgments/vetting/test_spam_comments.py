"""Spam comments: the shipped classifier, its hand-made signals, and the generic-praise rules."""

import polars as pl
import pytest

from grassroots.judgments.vetting.spam_comments import (
    SpamCommentModel,
    clean_texts,
    comment_signals,
    generic_praise,
    generic_praise_expr,
)


@pytest.fixture(scope="module")
def model() -> SpamCommentModel:
    return SpamCommentModel.load()


def test_shipped_model_flags_self_promotion_and_passes_real_comments(model: SpamCommentModel) -> None:
    spam = [
        "Check out my new channel!!! please subscribe http://bit.ly/xyz",
        "Hey guys share this video and like this comment so everyone can see, visit www.cheap-followers.com",
        "Subscribe to my channel for free giftcards!!!",
    ]
    real = [
        "The bridge at 2:10 gives me chills every single time",
        "My daughter has been singing this all week, thanks for the lyrics video",
        "Which camera did you use for the outdoor scenes?",
    ]
    p = model.predict_proba(spam + real)
    assert all(p[:3] > 0.8), p
    assert all(p[3:] < 0.3), p


def test_empty_input_scores_nothing(model: SpamCommentModel) -> None:
    assert model.predict_proba([]).shape == (0,)


def test_cleaning_unescapes_youtube_text() -> None:
    assert clean_texts(["Tom &amp; Jerry&#39;s <br />song\ufeff", ""]) == ["Tom & Jerry's  song", ""]


def test_signals_see_links_asks_and_shouting() -> None:
    signals = comment_signals(pl.Series(["CHECK OUT my channel www.x.com SUBSCRIBE!!!", "lovely melody"]))
    promo, plain = signals.row(0, named=True), signals.row(1, named=True)
    assert promo["link"] == promo["check_out"] == promo["subscribe"] == promo["my_channel"] == 1.0
    assert promo["upper_share"] > 0.5 > plain["upper_share"]
    assert plain["link"] == plain["subscribe"] == 0.0
    assert signals.row(0)[signals.columns.index("log_exclamations")] > 0


@pytest.mark.parametrize(
    "text",
    ["Great post!", "Nice pic 🔥", "❤️❤️❤️", "👍🏽", "love this", "Amazing", "sooo cute 😍", "This is so good",
     "wow, just wow", "<3", "Gorgeous shot babe", "keep up the good work!"],
)  # fmt: skip
def test_generic_praise_is_caught(text: str) -> None:
    assert generic_praise([text]) == [True]


@pytest.mark.parametrize(
    "text",
    ["Great post about vegan protein, the lentil tip worked", "Where did you buy this jacket?", "...", "10/10",
     "Check out my channel", "First!", "", "Nice pic but the filter hides the colour of the dress",
     "You are amazing and I love you so much"],
)  # fmt: skip
def test_specific_or_non_praise_comments_are_not_generic(text: str) -> None:
    assert generic_praise([text]) == [False]


def test_generic_praise_works_as_a_frame_expression() -> None:
    frame = pl.DataFrame({"text": ["Nice pic 🔥", "What lens is that?", None]})
    assert frame.select(generic_praise_expr(pl.col("text")))["text"].to_list() == [True, False, False]
