"""Bulk-load a generated demo world into one workspace.

Creators, accounts and posts get explicit ids (``max(id) + 1 + key``) so children can point at them
without a round trip; comments, snapshots and truth rows let the database number them. On PostgreSQL
the sequences of the explicitly numbered tables are moved past the new ids afterwards. Ids are global,
so nothing else may insert creators, accounts or posts while a world loads (the CLI loads it alone).

Summary columns are computed in Python before insert with the very functions the app uses
(``creators.service.account_engagement`` and ``summarise``) on transient, never-added ORM objects. The store's
orders go through ``tracking.service.store_orders``, the path every store's orders take.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from grassroots.creators.models import Comment, Creator, FollowerSnapshot, Post, SocialAccount
from grassroots.creators.service import account_engagement, summarise
from grassroots.db.base import Base
from grassroots.demo.models import DemoTruth
from grassroots.demo.world import Row, World
from grassroots.tracking.models import Customer, Order, OrderLine
from grassroots.tracking.service import store_orders

CHUNK = 5_000
POST_KEY_LISTS = ("posts", "commented_on")  # truth details that list posts by local key
Progress = Callable[[str, int], None]


def load_world(session: Session, workspace_id: int, world: World, progress: Progress | None = None) -> dict[str, int]:
    """Insert every row of ``world`` into the workspace; returns rows inserted per table."""
    start = {model: _next_id(session, model) for model in (Creator, SocialAccount, Post)}
    now = datetime.now(UTC)
    accounts = _account_rows(world, workspace_id, start, now)
    posts = _post_rows(world, workspace_id, start)
    creators = _creator_rows(world, workspace_id, start[Creator], accounts, posts, now)
    post_id, account_id = start[Post], start[SocialAccount]
    stages: list[tuple[str, type[Base], Iterable[Row]]] = [
        ("creators", Creator, creators),
        ("accounts", SocialAccount, accounts),
        ("posts", Post, posts),
        ("comments", Comment, _children(world.comments, workspace_id, "post_key", "post_id", post_id)),
        ("snapshots", FollowerSnapshot, _children(world.snapshots, workspace_id, "account_key", "account_id",
                                                  account_id)),
        ("truth", DemoTruth, _truth_rows(world, workspace_id, start, post_id)),
    ]  # fmt: skip
    counts = {model.__tablename__: _insert(session, model, rows, stage, progress) for stage, model, rows in stages}
    counts |= _load_store(session, workspace_id, world, progress)
    if session.get_bind().dialect.name == "postgresql":
        _reset_sequences(session, (Creator, SocialAccount, Post))
    return counts


def _next_id(session: Session, model: type[Creator] | type[SocialAccount] | type[Post]) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def _insert(session: Session, model: type[Base], rows: Iterable[Row], stage: str, progress: Progress | None) -> int:
    done, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            done = _flush_chunk(session, model, chunk, stage, done, progress)
            chunk = []
    if chunk or not done:
        done = _flush_chunk(session, model, chunk, stage, done, progress)
    return done


def _flush_chunk(session: Session, model: type[Base], chunk: list[Row], stage: str, done: int,
                 progress: Progress | None) -> int:  # fmt: skip
    if chunk:
        session.execute(insert(model).execution_options(render_nulls=True), chunk)
    done += len(chunk)
    if progress is not None:
        progress(stage, done)
    return done


def _reset_sequences(session: Session, models: Iterable[type[Base]]) -> None:
    for model in models:
        table = model.__tablename__
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def _account_rows(world: World, workspace_id: int, start: dict[Any, int], now: datetime) -> list[Row]:
    """Account rows with ids, creator ids and the engagement rate the app would compute."""
    posts_by_account: dict[int, list[Post]] = defaultdict(list)
    for p in world.posts:
        posts_by_account[p["account_key"]].append(
            Post(kind=p["kind"], likes=p["likes"], comments=p["comments"], views=p["views"], posted_at=p["posted_at"])
        )
    rows = []
    for a in world.accounts:
        row = {k: v for k, v in a.items() if k not in ("key", "creator_key")}
        row |= {"id": start[SocialAccount] + a["key"], "creator_id": start[Creator] + a["creator_key"],
                "workspace_id": workspace_id, "created_at": now, "updated_at": now}  # fmt: skip
        transient = SocialAccount(followers=a["followers"])
        row["engagement_rate"] = account_engagement(transient, posts_by_account[a["key"]])
        rows.append(row)
    return rows


def _post_rows(world: World, workspace_id: int, start: dict[Any, int]) -> list[Row]:
    rows = []
    for p in world.posts:
        row = {k: v for k, v in p.items() if k not in ("key", "account_key")}
        row["url"] = row["url"] or _permalink(world.accounts[p["account_key"]], p["external_id"])
        row |= {"id": start[Post] + p["key"], "account_id": start[SocialAccount] + p["account_key"],
                "workspace_id": workspace_id}  # fmt: skip
        rows.append(row)
    return rows


def _permalink(account: Row, external_id: str) -> str:
    """A post link in the platform's own shape (outreach cites a creator's post by its link)."""
    platform = str(getattr(account["platform"], "value", account["platform"]))
    if platform == "tiktok":
        return f"https://www.tiktok.com/@{account['handle']}/video/{external_id}"
    if platform == "youtube":
        return f"https://www.youtube.com/watch?v={external_id}"
    return f"https://www.instagram.com/p/{external_id}/"


def _creator_rows(world: World, workspace_id: int, first_id: int, accounts: list[Row], posts: list[Row],
                  now: datetime) -> list[Row]:  # fmt: skip
    """Creator rows with the summary columns filled exactly as ``creators.service.summarise`` does."""
    by_creator: dict[int, list[SocialAccount]] = defaultdict(list)
    for a in accounts:
        by_creator[a["creator_id"]].append(
            SocialAccount(id=a["id"], platform=a["platform"], handle=a["handle"], display_name=a["display_name"],
                          bio=a["bio"], location=a["location"], followers=a["followers"],
                          engagement_rate=a["engagement_rate"])
        )  # fmt: skip
    posts_by_account: dict[int, list[Post]] = defaultdict(list)
    for p in posts:
        posts_by_account[p["account_id"]].append(Post(caption=p["caption"], posted_at=p["posted_at"]))
    rows = []
    for c in world.creators:
        row = {k: v for k, v in c.items() if k != "key"}
        row |= {
            "id": first_id + c["key"],
            "workspace_id": workspace_id,
            "created_at": now,
            "updated_at": now,
            "credibility": -1,
        }
        creator = Creator(display_name=row["display_name"], location=row["location"])
        summarise(creator, by_creator[row["id"]], posts_by_account)
        for column in ("location", "location_key", "primary_platform", "primary_handle", "followers", "engagement_rate",
                       "platforms", "search_text"):  # fmt: skip
            row[column] = getattr(creator, column)
        rows.append(row)
    return rows


def _children(rows: list[Row], workspace_id: int, key: str, column: str, first_id: int) -> Iterable[Row]:
    """Rows pointing at a parent by local key, re-pointed at the parent's database id."""
    for r in rows:
        row = {k: v for k, v in r.items() if k != key}
        row[column] = first_id + r[key]
        row["workspace_id"] = workspace_id
        yield row


def _load_store(session: Session, workspace_id: int, world: World, progress: Progress | None) -> dict[str, int]:
    """The synthetic store's customers, orders and lines, stored like any store's; rows per table."""
    store_orders(session, workspace_id, world.orders)
    if progress is not None:
        progress("store", len(world.orders))
    return {
        model.__tablename__: session.scalar(
            select(func.count()).select_from(model).where(model.workspace_id == workspace_id)
        )
        or 0
        for model in (Customer, Order, OrderLine)
    }


def _truth_rows(world: World, workspace_id: int, start: dict[Any, int], first_post: int) -> Iterable[Row]:
    """Truth rows; post keys in a detail become post ids and a ``creator_key`` a ``creator_id``."""
    for r in world.truths:
        detail = dict(r["detail"])
        for name in POST_KEY_LISTS:
            if name in detail:
                detail[name] = [first_post + key for key in detail[name]]
        if "creator_key" in detail:
            detail["creator_id"] = start[Creator] + detail.pop("creator_key")
        yield {"account_id": start[SocialAccount] + r["account_key"], "label": r["label"], "detail": detail,
               "workspace_id": workspace_id}  # fmt: skip
