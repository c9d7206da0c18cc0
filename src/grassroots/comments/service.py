"""Use cases: label the comments of a workspace, a creator or a campaign, and read them back as frames."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl
from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign
from grassroots.campaigns.scope import restrict_to_campaign
from grassroots.campaigns.service import require_campaign
from grassroots.comments.models import CommentLabel
from grassroots.creators import service as creators
from grassroots.creators.models import Comment, Post, SocialAccount
from grassroots.errors import NotFound
from grassroots.judgments.language.judge import LABEL_COLUMNS, LABEL_SCHEMA, Mode, ToneModels, judge_texts

BATCH = 5_000  # comments per transaction: a crash loses at most one batch of work, never labels already stored
KNOWN_TEXTS = 500_000  # distinct texts whose labels an analysis run keeps at hand (a few hundred MB at most)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Scope:
    """Which comments: a whole workspace, one creator's, or one campaign's."""

    workspace_id: int
    creator_id: int | None = None
    campaign_id: int | None = None


@dataclass
class AnalyzeRun:
    """What an analysis run did."""

    comments: int = 0
    distinct_texts: int = 0  # texts that went through the models (each distinct text once per run)
    seconds: float = 0.0
    mode: str = "full"


def scoped(session: Session, query: Select, scope: Scope) -> Select:
    """Restrict a query over Comment joined to Post and SocialAccount to the scope."""
    return posts_in_scope(session, query.where(Comment.workspace_id == scope.workspace_id), scope)


def posts_in_scope(session: Session, query: Select, scope: Scope) -> Select:
    """Restrict a query over Post joined to SocialAccount to the scope's creator, or the campaign's content."""
    if scope.creator_id is not None:
        query = query.where(SocialAccount.creator_id == scope.creator_id)
    if scope.campaign_id is not None:
        # The campaign's own content only: its roster and dates, and a mention of the brand, a hashtag or a code.
        query = restrict_to_campaign(session, query, require_campaign(session, scope.workspace_id, scope.campaign_id))
    return query


def _joined(query: Select) -> Select:
    return (
        query.select_from(Comment)
        .join(Post, Post.id == Comment.post_id)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
    )


def pending_comments(session: Session, scope: Scope, *, redo: bool, after: int, limit: int) -> list[tuple[int, str]]:
    """The next batch of (comment id, text) in scope, by id; without ``redo`` only comments not yet labelled."""
    query = _joined(select(Comment.id, Comment.text)).where(Comment.id > after)
    if not redo:
        query = query.outerjoin(CommentLabel, CommentLabel.comment_id == Comment.id).where(
            CommentLabel.comment_id.is_(None)
        )
    rows = session.execute(scoped(session, query, scope).order_by(Comment.id).limit(limit)).all()
    return [(i, t) for i, t in rows]


def count_in_scope(session: Session, scope: Scope, *, redo: bool) -> int:
    """How many comments an analysis of this scope will label."""
    query = _joined(select(func.count(Comment.id)))
    if not redo:
        query = query.outerjoin(CommentLabel, CommentLabel.comment_id == Comment.id).where(
            CommentLabel.comment_id.is_(None)
        )
    return int(session.scalar(scoped(session, query, scope)) or 0)


def store_labels(session: Session, workspace_id: int, labelled: pl.DataFrame, mode: Mode) -> None:
    """Replace the labels of these comments (delete + insert: the same on SQLite and PostgreSQL)."""
    ids = labelled["id"].to_list()
    session.execute(delete(CommentLabel).where(CommentLabel.comment_id.in_(ids)))
    now = datetime.now(UTC)
    rows = labelled.select(pl.col("id").alias("comment_id"), *LABEL_COLUMNS).to_dicts()
    for row in rows:
        row.update(workspace_id=workspace_id, mode=mode, labelled_at=now)
    session.execute(insert(CommentLabel), rows)


def analyze_comments(
    session: Session,
    scope: Scope,
    *,
    mode: Mode = "full",
    redo: bool = False,
    models: ToneModels | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> AnalyzeRun:
    """Label every comment in scope (only unlabelled ones unless ``redo``); commits after each batch."""
    started = time.perf_counter()
    run = AnalyzeRun(mode=mode)
    total = count_in_scope(session, scope, redo=redo)
    if progress:
        progress(0, total)
    models = models or (ToneModels.load() if total else None)
    after = 0
    # Labels of texts already judged in this run: "love this 😍" in batch 40 costs a join, not a model.
    known = pl.DataFrame(schema={"text": pl.String, **LABEL_SCHEMA})
    while total and models is not None:
        rows = pending_comments(session, scope, redo=redo, after=after, limit=batch)
        if not rows:
            break
        frame = pl.DataFrame(rows, schema={"id": pl.Int64, "text": pl.String}, orient="row")
        if known.height > KNOWN_TEXTS:
            known = known.clear()
        fresh = frame.select("text").unique(maintain_order=True).join(known, on="text", how="anti")
        known = pl.concat([known, judge_texts(fresh, models, mode=mode)])
        labelled = frame.join(known, on="text", how="left", maintain_order="left")
        store_labels(session, scope.workspace_id, labelled, mode)
        session.commit()
        run.comments += frame.height
        run.distinct_texts += fresh.height
        after = rows[-1][0]
        if progress:
            progress(run.comments, total)
    run.seconds = time.perf_counter() - started
    return run


def labelled_comments(session: Session, scope: Scope, *, limit: int = 20_000) -> pl.DataFrame:
    """The newest labelled comments in scope with their post, author, likes and labels (for panels)."""
    query = _joined(
        select(
            Comment.id,
            Comment.text,
            Comment.author_handle.label("author"),
            Comment.author_has_avatar,
            Comment.likes,
            Comment.posted_at,
            Post.id.label("post_id"),
            Post.posted_at.label("post_posted_at"),
            SocialAccount.handle,
            SocialAccount.id.label("account_id"),
            *(getattr(CommentLabel, c) for c in LABEL_COLUMNS),
        )
    ).join(CommentLabel, CommentLabel.comment_id == Comment.id)
    rows = session.execute(scoped(session, query, scope).order_by(Comment.id.desc()).limit(limit)).all()
    schema: dict[str, Any] = {
        "id": pl.Int64, "text": pl.String, "author": pl.String, "author_has_avatar": pl.Boolean, "likes": pl.Int64,
        "posted_at": pl.Datetime("us", "UTC"), "post_id": pl.Int64, "post_posted_at": pl.Datetime("us", "UTC"),
        "handle": pl.String, "account_id": pl.Int64, **LABEL_SCHEMA,
    }  # fmt: skip
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def resolve_scope(
    session: Session, workspace: str, *, creator: str | None = None, campaign: str | None = None
) -> Scope:
    """The scope named on the command line: a workspace by name, a creator by handle, a campaign by name or id."""
    from grassroots.workspaces.models import Workspace

    ws = session.scalar(select(Workspace).where(Workspace.name == workspace))
    if ws is None:
        raise NotFound(f"no workspace named {workspace!r}")
    if creator:
        handle = creator.lstrip("@").lower()
        creator_id = session.scalar(
            select(SocialAccount.creator_id).where(SocialAccount.workspace_id == ws.id, SocialAccount.handle == handle)
        )
        if creator_id is None:
            raise NotFound(f"no creator with handle @{handle} in {ws.name}")
        return Scope(ws.id, creator_id=creator_id)
    if campaign:
        match = Campaign.id == int(campaign) if campaign.isdigit() else Campaign.name == campaign
        campaign_id = session.scalar(select(Campaign.id).where(Campaign.workspace_id == ws.id, match))
        if campaign_id is None:
            raise NotFound(f"no campaign {campaign!r} in {ws.name}")
        return Scope(ws.id, campaign_id=campaign_id)
    return Scope(ws.id)


def label_summary(session: Session, scope: Scope) -> dict[str, int]:
    """Counts of the main labels over the labelled comments in scope (for the CLI's closing table)."""
    out: dict[str, int] = {}
    for column in (CommentLabel.sentiment, CommentLabel.purchase_intent, CommentLabel.question_type):
        query = _joined(select(column, func.count())).join(CommentLabel, CommentLabel.comment_id == Comment.id)
        for value, count in session.execute(scoped(session, query, scope).group_by(column)).all():
            if value != "none":
                out[f"{column.key}: {value}"] = int(count)
    return out


def sponsored_posts(session: Session, scope: Scope, *, limit: int = 200) -> list[tuple[Post, str]]:
    """The scope's sponsored posts, newest first, with the account handle (for disclosure checks)."""
    query = (
        select(Post, SocialAccount.handle)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == scope.workspace_id, Post.sponsored.is_(True))
    )
    query = posts_in_scope(session, query, scope)
    return [(p, h) for p, h in session.execute(query.order_by(Post.posted_at.desc()).limit(limit)).all()]


def creator_scope(session: Session, workspace_id: int, creator_id: int) -> Scope:
    """The scope of one creator of the workspace (404 when not found)."""
    return Scope(workspace_id, creator_id=creators.require_creator(session, workspace_id, creator_id).id)


def campaign_scope(session: Session, workspace_id: int, campaign_id: int) -> Scope:
    """The scope of one campaign of the workspace (404 when not found)."""
    return Scope(workspace_id, campaign_id=require_campaign(session, workspace_id, campaign_id).id)
