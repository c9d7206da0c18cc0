"""What the audience says and whether paid posts are disclosed, for one creator (pages and API)."""

from __future__ import annotations

from typing import Any

import polars as pl

from grassroots.judgments.language.disclosure import disclosure
from grassroots.judgments.language.intent import annotate_comments


def disclosure_checks(posts: list[tuple[int, str, bool]]) -> dict[int, tuple[str, str]]:
    """Disclosure status and reason per post id (see language.disclosure)."""
    if not posts:
        return {}
    frame = disclosure(pl.DataFrame(posts, schema=["id", "caption", "sponsored"], orient="row"))
    return {r["id"]: (r["disclosure"], r["disclosure_reason"]) for r in frame.to_dicts()}


def comment_voice(comments: list[Any]) -> dict[str, Any]:
    """What the audience says under recent posts: purchase intent counts, product questions, buyers."""
    if not comments:
        return {"total": 0}
    frame = annotate_comments(
        pl.DataFrame({"text": [c.text for c in comments], "author": [c.author_handle for c in comments]})
    )
    intent = frame.filter(pl.col("purchase_intent") != "none")
    counts = dict(intent.group_by("purchase_intent").len().iter_rows())
    questions = frame.filter(pl.col("question_type") == "product").unique("text", keep="first", maintain_order=True)
    return {
        "total": frame.height,
        "intent_share": intent.height / frame.height,
        "counts": counts,
        "questions": questions.head(8).to_dicts(),
        "buyers": frame.filter(pl.col("purchase_intent") == "bought").head(5).to_dicts(),
    }
