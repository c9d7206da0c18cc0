"""The voice panels speak for real people: spam, copy-paste and bot-like authors are left out, buying questions stay."""

from __future__ import annotations

import polars as pl

from grassroots.comments.reports import genuine_voices


def frame(rows: list[tuple[str, str, bool | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(i, text, author, avatar, 1, intent) for i, (text, author, avatar, intent) in enumerate(rows)],
        schema={"id": pl.Int64, "text": pl.String, "author": pl.String, "author_has_avatar": pl.Boolean,
                "account_id": pl.Int64, "purchase_intent": pl.String},
        orient="row",
    )  # fmt: skip


def test_bot_praise_and_spam_are_left_out_and_buying_questions_stay() -> None:
    bots = [("great post", f"user{84712 + i}", False, "none") for i in range(6)]
    spam = [("check my page for free followers 🔥 dm me", "promo.king", True, "none")]
    real = [
        ("link please!", "ana.k", True, "ask_where"),
        ("mine came out a bit bland, more salt next time?", "ben", True, "none"),
        ("love this so much", "cara", True, "none"),
    ]
    comments = frame(bots + spam + real)
    kept, left_out = genuine_voices(comments)
    assert left_out == 7
    assert kept["text"].to_list() == [text for text, *_ in real]
    assert kept.columns == comments.columns


def test_nothing_to_judge_is_nothing_left_out() -> None:
    kept, left_out = genuine_voices(frame([]))
    assert kept.is_empty() and left_out == 0
