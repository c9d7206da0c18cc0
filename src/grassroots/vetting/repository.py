"""Read the store into the frames the vetting judgment takes (the only place that knows both)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from sqlalchemy import Executable, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from grassroots.creators.models import Comment, FollowerSnapshot, Post, SocialAccount
from grassroots.creators.schemas import http_url


def _read(conn: Connection, stmt: Executable, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    # Raw driver rows skip SQLAlchemy's per-value type processing, 3-4x faster on 200k comments.
    # Literal binds are safe here: the only parameters are integer ids.
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]
    rows = conn.exec_driver_sql(sql).fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pl.DataFrame(
        [_column(name, values, dtype) for (name, dtype), values in zip(schema.items(), columns, strict=True)]
    )


def _column(name: str, values: tuple[Any, ...], dtype: pl.DataType) -> pl.Series:
    """Raw values to a typed column: SQLite gives text timestamps and 0/1 booleans, PostgreSQL real types."""
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, str) and isinstance(dtype, pl.Datetime):
        return pl.Series(name, values, dtype=pl.String).str.to_datetime(time_zone="UTC", time_unit="us")
    if isinstance(sample, str) and isinstance(dtype, pl.Date):
        return pl.Series(name, values, dtype=pl.String).str.to_date()
    if isinstance(dtype, pl.Datetime):
        series = pl.Series(name, values, dtype=pl.Datetime("us", "UTC"), strict=False)
        return series
    return pl.Series(name, values, strict=False).cast(dtype, strict=False)


ACCOUNT_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.Int64(), "creator_id": pl.Int64(), "platform": pl.String(), "handle": pl.String(),
    "display_name": pl.String(), "bio": pl.String(), "url": pl.String(), "followers": pl.Int64(),
    "following": pl.Int64(), "posts_count": pl.Int64(), "has_profile_picture": pl.Boolean(),
}  # fmt: skip
POST_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.Int64(), "post_id": pl.Int64(), "kind": pl.String(), "caption": pl.String(),
    "sponsored": pl.Boolean(), "likes": pl.Int64(), "comments": pl.Int64(), "views": pl.Int64(),
    "posted_at": pl.Datetime("us", "UTC"),
}  # fmt: skip
SNAPSHOT_SCHEMA: dict[str, pl.DataType] = {"account_id": pl.Int64(), "day": pl.Date(), "followers": pl.Int64()}
COMMENT_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.Int64(), "post_id": pl.Int64(), "author_handle": pl.String(), "author_has_avatar": pl.Boolean(),
    "text": pl.String(), "posted_at": pl.Datetime("us", "UTC"), "post_posted_at": pl.Datetime("us", "UTC"),
}  # fmt: skip


def load_frames(
    conn: Connection,
    workspace_id: int,
    account_ids: Sequence[int] | None = None,
    only: Sequence[str] = ("accounts", "posts", "snapshots", "comments"),
) -> dict[str, pl.DataFrame]:
    """The accounts, posts, snapshots and comments of a workspace (optionally only some accounts)."""
    a, p, s, c = SocialAccount, Post, FollowerSnapshot, Comment
    accounts = select(
        a.id, a.creator_id, a.platform, a.handle, a.display_name, a.bio, a.url, a.followers, a.following,
        a.posts_count, a.has_profile_picture,
    ).where(a.workspace_id == workspace_id)  # fmt: skip
    posts = select(p.account_id, p.id, p.kind, p.caption, p.sponsored, p.likes, p.comments, p.views, p.posted_at).where(
        p.workspace_id == workspace_id
    )
    snaps = select(s.account_id, s.day, s.followers).where(s.workspace_id == workspace_id)
    comments = (
        select(p.account_id, c.post_id, c.author_handle, c.author_has_avatar, c.text, c.posted_at, p.posted_at)
        .join(p, p.id == c.post_id)
        .where(c.workspace_id == workspace_id)
    )
    if account_ids is not None:
        ids = list(account_ids)
        accounts, posts = accounts.where(a.id.in_(ids)), posts.where(p.account_id.in_(ids))
        snaps, comments = snaps.where(s.account_id.in_(ids)), comments.where(p.account_id.in_(ids))
    queries = {
        "accounts": (accounts, ACCOUNT_SCHEMA),
        "posts": (posts, POST_SCHEMA),
        "snapshots": (snaps, SNAPSHOT_SCHEMA),
        "comments": (comments, COMMENT_SCHEMA),
    }
    frames = {name: _read(conn, stmt, schema) for name, (stmt, schema) in queries.items() if name in only}
    if "accounts" in frames:
        frames["accounts"] = frames["accounts"].with_columns(pl.col("platform").str.to_lowercase())
    if "posts" in frames:
        frames["posts"] = frames["posts"].with_columns(pl.col("kind").str.to_lowercase())
    return frames


def load_neighbourhood(
    conn: Connection, workspace_id: int, account_ids: Sequence[int]
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Comments and handles of every account sharing a commenter with these, and the commenter count overall.

    Pod detection needs the other side of each shared commenter; this is the smallest exact input for it.
    """
    c, p = Comment, Post
    their_commenters = (
        select(c.author_handle).join(p, p.id == c.post_id).where(p.account_id.in_(list(account_ids))).distinct()
    )
    related = (
        select(p.account_id)
        .join(c, c.post_id == p.id)
        .where(c.workspace_id == workspace_id, c.author_handle.in_(their_commenters))
        .distinct()
    )
    related_ids = sorted(set(conn.execute(related).scalars()) | set(account_ids))
    frames = load_frames(conn, workspace_id, related_ids, only=("accounts", "comments"))
    universe = conn.execute(
        select(func.count(func.distinct(c.author_handle))).where(c.workspace_id == workspace_id)
    ).scalar_one()
    accounts = frames["accounts"].select("account_id", "handle")
    return frames["comments"], accounts, int(universe)


POST_REF = re.compile(r"\bpost (\d+)\b")


def evidence_post_links(
    session: Session, account_ids: list[int], texts: Iterable[str], creator_id: int
) -> dict[int, str]:
    """The posts that evidence lines name ("weakest post: … (post 152)"), limited to these accounts: post id -> the
    post on its platform (http(s) only), else its row on the creator's profile."""
    ids = {int(m) for text in texts for m in POST_REF.findall(str(text))}
    if not ids or not account_ids:
        return {}
    rows = session.execute(select(Post.id, Post.url).where(Post.id.in_(ids), Post.account_id.in_(account_ids)))
    return {pid: http_url(url) or f"/creators/{creator_id}#post-{pid}" for pid, url in rows}
