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
from grassroots.judgments.vetting.annotate import annotate_comments
from grassroots.judgments.vetting.authenticity import mark_comments
from grassroots.judgments.vetting.conversation import BUYING_SPAM_CERTAIN

THEME_COMMENTS = 5_000  # the newest comments a themes panel clusters (cached embeddings make reruns cheap)


def genuine_voices(comments: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """The comments the panels speak for, and how many were left out: spam, copy-paste, bot-like authors and
    generic praise from faceless accounts (the vetting page's own flags), so a bought audience does not become
    "what people say"."""
    if comments.is_empty():
        return comments, 0
    marked = mark_comments(annotate_comments(comments.with_columns(pl.col("author").alias("author_handle"))))
    # A buying question the spam model dislikes ("link please!") stays, unless the model is all but certain or the
    # author looks like a bot: it is the comment a brand most wants to hear.
    buying = (pl.col("purchase_intent") != "none") & (pl.col("spam_prob") < BUYING_SPAM_CERTAIN)
    keep = ~pl.col("inauthentic") | (buying & ~pl.col("suspicious_author") & ~pl.col("duplicate"))
    kept = marked.filter(keep).select(comments.columns)
    return kept, comments.height - kept.height


def language_report(session: Session, scope: Scope) -> dict[str, Any]:
    """Qualitative gold, tone over time and how many comments still wait for labels."""
    every = labelled_comments(session, scope)
    comments, flagged = genuine_voices(every)
    report = qualitative_gold(comments)
    report["flagged_out"] = flagged
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
    from grassroots.discovery.profiles import niche_field
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
    vectors, profile = embedder.embed(captions), embedder.embed([text])[0]
    fit = brand_fit(frame, vectors, profile, workspace.banned_categories or [], niche_field())
    return {"profile": True, "profile_text": text, "banned": workspace.banned_categories or [], **asdict(fit)}
