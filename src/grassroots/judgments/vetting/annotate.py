"""Add the shipped models' outputs to the frames: fake-profile probability, spam probability, generic praise.

Comments repeat ("Great post!" thousands of times), so each distinct text is scored once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from grassroots.judgments.vetting.fake_accounts import FakeAccountModel
    from grassroots.judgments.vetting.spam_comments import SpamCommentModel


# Models load on first use, so the web process starts without importing scikit-learn.
@lru_cache(maxsize=1)
def _fake_model() -> FakeAccountModel:
    from grassroots.judgments.vetting.fake_accounts import FakeAccountModel

    return FakeAccountModel.load()


@lru_cache(maxsize=1)
def _spam_model() -> SpamCommentModel:
    from grassroots.judgments.vetting.spam_comments import SpamCommentModel

    return SpamCommentModel.load()


def annotate(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Frames with ``fake_prob`` on accounts and ``spam_prob`` and ``generic`` on comments."""
    from grassroots.judgments.vetting.fake_accounts import features_from_accounts

    accounts, comments = frames["accounts"], frames["comments"]
    if accounts.height:
        probs = _fake_model().predict_proba(features_from_accounts(accounts))
        accounts = accounts.with_columns(pl.Series("fake_prob", probs, dtype=pl.Float64))
    else:
        accounts = accounts.with_columns(pl.lit(None, dtype=pl.Float64).alias("fake_prob"))
    return {**frames, "accounts": accounts, "comments": annotate_comments(comments)}


def annotate_comments(comments: pl.DataFrame) -> pl.DataFrame:
    """Comments with ``spam_prob`` (the shipped spam model) and ``generic`` (generic praise), per distinct text."""
    from grassroots.judgments.vetting.spam_comments import generic_praise

    texts = comments.select(pl.col("text").fill_null("")).unique()
    if texts.height:
        values = texts["text"].to_list()
        texts = texts.with_columns(
            pl.Series("spam_prob", _spam_model().predict_proba(values), dtype=pl.Float64),
            pl.Series("generic", generic_praise(values), dtype=pl.Boolean),
        )
    else:
        texts = texts.with_columns(pl.lit(None, dtype=pl.Float64).alias("spam_prob"),
                                   pl.lit(None, dtype=pl.Boolean).alias("generic"))  # fmt: skip
    return comments.with_columns(pl.col("text").fill_null("")).join(texts, on="text", how="left")
