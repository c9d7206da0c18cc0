"""What the pages and the API show about comments in a scope: labels summarised, over time, and themes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.comments.service import Scope, count_in_scope, labelled_comments
from grassroots.judgments.language.gold import qualitative_gold, tone_over_time
from grassroots.judgments.language.themes import find_themes

THEME_COMMENTS = 5_000  # the newest comments a themes panel clusters (cached embeddings make reruns cheap)


def language_report(session: Session, scope: Scope) -> dict[str, Any]:
    """Qualitative gold, tone over time and how many comments still wait for labels."""
    comments = labelled_comments(session, scope)
    report = qualitative_gold(comments)
    weekly = tone_over_time(comments)
    report["over_time"] = {
        "week": [w.date().isoformat() for w in weekly["week"].to_list()],
        **{c: weekly[c].to_list() for c in ("comments", "positive", "negative", "intent", "questions")},
    }
    report["unlabelled"] = count_in_scope(session, scope, redo=False)
    return report


def themes_report(session: Session, scope: Scope, *, limit: int = THEME_COMMENTS) -> list[dict[str, Any]]:
    """Themes of the newest labelled comments in scope, each with its average sentiment."""
    comments = labelled_comments(session, scope, limit=limit)
    if comments.is_empty():
        return []
    themes = find_themes(comments["text"].to_list())
    scores = comments.group_by(pl.col("text").str.strip_chars()).agg(pl.col("sentiment_score").mean())
    by_text = dict(scores.iter_rows())
    out = []
    for theme in themes:
        row = asdict(theme)
        known = [by_text[e] for e in theme.examples if e in by_text]
        row["sentiment_score"] = sum(known) / len(known) if known else None
        out.append(row)
    return out


def fit_report(session: Session, workspace_id: int, creator_id: int, *, posts: int = 24) -> dict[str, Any]:
    """Brand fit of one creator against the workspace's profile; ``profile`` is False until one is set."""
    from grassroots.creators.models import Post, SocialAccount
    from grassroots.judgments.language.embeddings import shared_embedder
    from grassroots.judgments.language.fit import brand_fit, profile_text
    from grassroots.workspaces.models import Workspace

    workspace = session.get(Workspace, workspace_id)
    text = profile_text(workspace.niche, workspace.values, workspace.tone) if workspace else ""
    if not workspace or not text:
        return {"profile": False}
    rows = session.execute(
        select(Post.id, Post.caption, Post.posted_at)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(SocialAccount.creator_id == creator_id, Post.workspace_id == workspace_id)
        .order_by(Post.posted_at.desc())
        .limit(posts)
    ).all()
    frame = pl.DataFrame(rows, schema={"id": pl.Int64, "caption": pl.String, "posted_at": pl.Datetime("us", "UTC")},
                         orient="row")  # fmt: skip
    embedder = shared_embedder()
    captions = [c or "" for c in frame["caption"].to_list()]
    fit = brand_fit(frame, embedder.embed(captions), embedder.embed([text])[0], workspace.banned_categories or [])
    return {"profile": True, "profile_text": text, "banned": workspace.banned_categories or [], **asdict(fit)}
