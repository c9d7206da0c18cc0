"""Bulk upserts of export rows: a batch of thousands of accounts in a handful of statements.

Per batch: one SELECT finds the accounts already stored (the unique workspace/platform/handle key); new
creators and accounts get ids reserved up front and go in by executemany (SQLite) or COPY (PostgreSQL), with
their summary columns computed from the batch; stored accounts are updated by one executemany whose
``COALESCE(new, old)`` keeps what the file does not give; posts are matched on their platform id (the unique
account/external_id key) and inserted or updated the same way. Re-importing a file therefore creates nothing
new. ORM objects appear only for creators whose summaries need rows already stored (``creators.service``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ARRAY, Table, any_, bindparam, case, exists, func, select, text, update
from sqlalchemy.orm import Session

from grassroots.connectors.exports.mapping import ExportRow
from grassroots.creators.models import Creator, Platform, Post, PostKind, SocialAccount
from grassroots.creators.service import CAPTIONS_IN_SEARCH, refresh_summaries, summarise
from grassroots.creators.stats import RECENT_POSTS, median_engagement, post_engagement
from grassroots.db.base import utcnow

ACCOUNT_COLUMNS = ("display_name", "bio", "location", "language", "followers", "following", "posts_count",
                   "verified", "is_business", "external_id", "url")  # fmt: skip
POST_COLUMNS = ("kind", "caption", "hashtags", "mentions", "sponsored", "likes", "comments", "views", "saves",
                "shares", "posted_at", "url")  # fmt: skip
_ACCOUNT_DEFAULTS: dict[str, Any] = {"followers": 0, "verified": False, "is_business": False}
_POST_DEFAULTS: dict[str, Any] = {"kind": PostKind.other, "caption": "", "hashtags": [], "mentions": [],
                                  "sponsored": False, "likes": 0, "comments": 0}  # fmt: skip
# Post columns with few distinct values (tag lists are mostly short and repeated): processed once per value.
_FEW_VALUES = ("kind", "sponsored", "hashtags", "mentions")
# Both SQLite (32,766) and PostgreSQL (65,535) accept this many bound values in one IN list.
IN_CHUNK = 10_000
CREATOR = cast(Table, Creator.__table__)
ACCOUNT = cast(Table, SocialAccount.__table__)
POST = cast(Table, Post.__table__)


@dataclass
class BulkCounts:
    """Rows written so far by an import."""

    creators_new: int = 0
    accounts_new: int = 0
    accounts_updated: int = 0
    posts_new: int = 0
    posts_updated: int = 0


def merge_rows(rows: Iterable[ExportRow]) -> list[ExportRow]:
    """One row per account: later rows fill in and override earlier ones, posts are unioned by platform id."""
    merged: dict[tuple[str, str], ExportRow] = {}
    for row in rows:
        key = (row.platform, row.handle)
        first = merged.get(key)
        if first is None:
            merged[key] = row
            continue
        first.account.update(row.account)
        first.posts.extend(row.posts)
        first.creator_name = row.creator_name or first.creator_name
        first.email = row.email or first.email
    for row in merged.values():
        if len(row.posts) > 1:
            row.posts = list({p["external_id"]: p for p in row.posts}.values())
    return list(merged.values())


def fast_insert(session: Session, table: Table, rows: list[dict[str, Any]], constants: dict[str, Any]) -> None:
    """Insert rows (all with the same keys) plus ``constants`` (the same in every row); values go through each
    column type's bind processor, so they are stored exactly as the ORM would store them."""
    if not rows:
        return
    dialect = session.connection().dialect
    columns = list(rows[0])
    procs = [table.c[c].type._cached_bind_processor(dialect) for c in columns]
    if any(procs):
        plan = list(zip(columns, procs, strict=True))
        tuples = [tuple(p(r[c]) if p is not None and r[c] is not None else r[c] for c, p in plan) for r in rows]
    else:
        tuples = [tuple(r.values()) for r in rows]
    insert_rows(session, table, columns, tuples, constants)


def _processed(session: Session, table: Table, constants: dict[str, Any]) -> dict[str, Any]:
    dialect = session.connection().dialect
    out = {}
    for column, value in constants.items():
        process = table.c[column].type._cached_bind_processor(dialect)
        out[column] = process(value) if process is not None and value is not None else value
    return out


def insert_rows(session: Session, table: Table, columns: list[str], tuples: Iterable[tuple[Any, ...]],
                constants: dict[str, Any]) -> None:  # fmt: skip
    """Insert value tuples already in database form, plus processed ``constants``: COPY on PostgreSQL,
    executemany on SQLite (a few µs a row instead of the ORM's hundreds)."""
    conn = session.connection()
    fixed = tuple(_processed(session, table, constants).values())
    rows = (values + fixed for values in tuples) if fixed else tuples
    names = ", ".join(f'"{c}"' for c in (*columns, *constants))
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for values in rows:
                copy.write_row(values)
        return
    marks = ", ".join("?" for _ in (*columns, *constants))
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', list(rows))


def _processed_few(process: Any, values: list[Any]) -> list[Any]:
    """Values of a column with few distinct ones (kinds, flags, tag lists) in database form, each distinct value
    processed once: the same value always gives the same output."""
    done: dict[tuple[type, Any], Any] = {}
    out: list[Any] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        key = (type(value), tuple(value) if type(value) is list else value)
        processed = done.get(key)
        if processed is None:
            processed = done[key] = process(value)
        out.append(processed)
    return out


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


class BulkWriter:
    """Writes batches of export rows into one workspace inside the caller's transaction."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.counts = BulkCounts()
        # Rows naming the same creator (a list's "creator" column) join one Creator across batches.
        self._creator_by_name: dict[str, int] = {}
        self._analyzed_at = 0

    def write(self, rows: list[ExportRow]) -> None:
        """Upsert a batch of rows (accounts, their creators and posts) and refresh the touched summaries."""
        rows = merge_rows(rows)
        now = utcnow()
        self._keep_statistics_fresh()
        stored = self.stored_accounts((r.platform, r.handle) for r in rows)
        new_rows = [r for r in rows if (r.platform, r.handle) not in stored]
        old_rows = [r for r in rows if (r.platform, r.handle) in stored]
        for row in new_rows:
            if row.posts:  # a new account's posts are all in this batch: no need to read them back (the ORM refresh)
                row.account["engagement_rate"] = engagement_of(row)
        regroup = self._insert_new(new_rows, stored, now)
        self._update_old(old_rows, stored, now)
        with_posts = [r for r in rows if r.posts]
        created = {stored[(r.platform, r.handle)][0] for r in new_rows}
        self._upsert_posts(with_posts, stored, created)
        from_posts = {stored[(r.platform, r.handle)][1] for r in old_rows if r.posts}
        resummarise = ({stored[(r.platform, r.handle)][1] for r in old_rows} | regroup) - from_posts
        self._refresh(sorted(from_posts), sorted(resummarise))

    def stored_accounts(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
        """(platform, handle) → (account id, creator id) of the accounts already stored."""
        t = ACCOUNT.c
        found: dict[tuple[str, str], tuple[int, int]] = {}
        by_platform: dict[str, set[str]] = {}
        for platform, handle in keys:
            by_platform.setdefault(platform, set()).add(handle)
        # Equality on workspace and platform lets the unique (workspace, platform, handle) index answer the IN list.
        for platform, handles in by_platform.items():
            for chunk in _chunks(sorted(handles)):
                query = select(t.id, t.creator_id, t.handle).where(
                    t.workspace_id == self.workspace_id, t.platform == Platform(platform), self._among(t.handle, chunk)
                )
                found.update({(platform, h): (a, c) for a, c, h in self.session.execute(query)})
        return found

    def _among(self, column: Any, values: list[Any]) -> Any:
        """column IN values; on PostgreSQL one array parameter (= ANY) instead of thousands of bound values."""
        if self.session.get_bind().dialect.name == "postgresql":
            return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
        return column.in_(values)

    def _insert_new(
        self, rows: list[ExportRow], stored: dict[tuple[str, str], tuple[int, int]], now: datetime
    ) -> set[int]:
        """Insert creators and accounts; returns creators whose summary needs all their accounts."""
        groups: dict[str, list[ExportRow]] = {}
        for row in rows:
            groups.setdefault(row.creator_name or f"\0{row.platform}:{row.handle}", []).append(row)
        fresh = [name for name in groups if name not in self._creator_by_name]
        if fresh:
            ids = self._reserve_ids(CREATOR, len(fresh))
            values = [_creator_values(i, groups[n]) for n, i in zip(fresh, ids, strict=True)]
            fast_insert(self.session, CREATOR, values, self._constants(now, credibility=-1))
            self.counts.creators_new += len(ids)
            named = {name: creator_id for name, creator_id in zip(fresh, ids, strict=True)}
            self._creator_by_name.update({k: i for k, i in named.items() if not k.startswith("\0")})
        else:
            named = {}
        regroup = {self._creator_by_name[n] for n in groups if n not in named}
        regroup |= {named[n] for n in fresh if len(groups[n]) > 1}
        ordered = [(row, named.get(name) or self._creator_by_name[name]) for name in groups for row in groups[name]]
        if ordered:
            ids = self._reserve_ids(ACCOUNT, len(ordered))
            values = [_account_values(account_id, row, creator_id)
                      for (row, creator_id), account_id in zip(ordered, ids, strict=True)]  # fmt: skip
            fast_insert(self.session, ACCOUNT, values, self._constants(now, has_profile_picture=None))
            for (row, creator_id), account_id in zip(ordered, ids, strict=True):
                stored[(row.platform, row.handle)] = (account_id, creator_id)
            self.counts.accounts_new += len(ids)
        return regroup

    def _keep_statistics_fresh(self) -> None:
        """PostgreSQL plans the lookups with the statistics of the tables before the import: once they have grown
        a lot inside this transaction it would scan them whole per batch (measured: 12 s of 20 s for 50k rows).
        ANALYZE whenever the rows we added double; ANALYZE counts our own uncommitted rows."""
        written = self.counts.accounts_new + self.counts.posts_new
        if self.session.get_bind().dialect.name != "postgresql" or written < max(2 * self._analyzed_at, 5_000):
            return
        self.session.execute(text("ANALYZE social_account"))
        self.session.execute(text("ANALYZE post"))
        self._analyzed_at = written

    def _constants(self, now: datetime, **extra: Any) -> dict[str, Any]:
        return {"workspace_id": self.workspace_id, "created_at": now, "updated_at": now, **extra}

    def _reserve_ids(self, table: Table, n: int) -> list[int]:
        """Ids for ``n`` new rows, so children can point at them without RETURNING (row-at-a-time when ordered).

        PostgreSQL hands out sequence values (safe with concurrent writers). SQLite has one writer at a time: if
        another one commits between our max(id) and our first write, SQLite refuses that write (busy snapshot), so
        ids never collide silently.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            query = text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :n)")
            return [int(i) for i in self.session.scalars(query, {"n": n})]
        start = (self.session.scalar(select(func.max(table.c.id))) or 0) + 1
        return list(range(start, start + n))

    def _update_old(self, rows: list[ExportRow], stored: dict[tuple[str, str], tuple[int, int]], now: datetime) -> None:
        """COALESCE(file value, stored value) for every column; a list's ER only where we have no posts."""
        if not rows:
            return
        t = ACCOUNT
        has_posts = exists().where(POST.c.account_id == t.c.id)
        er = case(
            (has_posts, t.c.engagement_rate), else_=func.coalesce(bindparam("engagement_rate"), t.c.engagement_rate)
        )
        assignments: dict[str, Any] = {
            name: func.coalesce(bindparam(name, type_=t.c[name].type), t.c[name]) for name in ACCOUNT_COLUMNS
        }
        stmt = (
            update(t)
            .where(t.c.id == bindparam("account_id"))
            .values(**assignments, engagement_rate=er, updated_at=bindparam("now", type_=t.c.updated_at.type))
        )
        params = [
            {"account_id": stored[(r.platform, r.handle)][0], "now": now, "engagement_rate": r.account.get("engagement_rate"),
             **{name: r.account.get(name) for name in ACCOUNT_COLUMNS}}
            for r in rows
        ]  # fmt: skip
        self.session.connection().execute(stmt, params)
        self.counts.accounts_updated += len(rows)

    def _insert_posts(self, new: list[tuple[int, dict[str, Any]]]) -> None:
        """Insert posts column by column: defaults filled and bind processors applied per column, not per value."""
        dialect = self.session.connection().dialect
        columns: list[list[Any]] = [[a for a, _ in new], [p["external_id"] for _, p in new]]
        for name in POST_COLUMNS:
            values = [p.get(name) for _, p in new]
            default = _POST_DEFAULTS.get(name)
            if default is not None:
                values = [default if v is None else v for v in values]
            process = POST.c[name].type._cached_bind_processor(dialect)
            if process is not None and name in _FEW_VALUES:
                values = _processed_few(process, values)
            elif process is not None:
                values = [None if v is None else process(v) for v in values]
            columns.append(values)
        names = ["account_id", "external_id", *POST_COLUMNS]
        insert_rows(self.session, POST, names, zip(*columns, strict=True), {"workspace_id": self.workspace_id})

    def _upsert_posts(self, rows: list[ExportRow], stored: dict[tuple[str, str], tuple[int, int]],
                      created: set[int]) -> None:  # fmt: skip
        """Insert posts not stored yet, update the others in place (matched on account and platform id)."""
        if not rows:
            return
        wanted = [(stored[(r.platform, r.handle)][0], p) for r in rows for p in r.posts]
        # An account created by this batch has no stored posts: look up only the others' (most of a new export).
        looked_up = [(a, p) for a, p in wanted if a not in created]
        known = self._stored_posts(sorted({a for a, _ in looked_up}), sorted({p["external_id"] for _, p in looked_up}))
        new = [(a, p) for a, p in wanted if (a, p["external_id"]) not in known]
        if new:
            self._insert_posts(new)
        old = [{"post_id": known[(a, p["external_id"])], **{k: p.get(k) for k in POST_COLUMNS}}
               for a, p in wanted if (a, p["external_id"]) in known]  # fmt: skip
        if old:
            t = POST
            assignments = {
                name: func.coalesce(bindparam(name, type_=t.c[name].type), t.c[name]) for name in POST_COLUMNS
            }
            stmt = update(t).where(t.c.id == bindparam("post_id")).values(**assignments)
            self.session.connection().execute(stmt, old)
        self.counts.posts_new += len(new)
        self.counts.posts_updated += len(old)

    def _stored_posts(self, account_ids: list[int], external_ids: list[str]) -> dict[tuple[int, str], int]:
        t = POST.c
        found: dict[tuple[int, str], int] = {}
        for accounts in _chunks(account_ids):
            for externals in _chunks(external_ids):
                query = select(t.account_id, t.external_id, t.id).where(
                    self._among(t.account_id, accounts), self._among(t.external_id, externals)
                )
                found.update({(a, str(e)): i for a, e, i in self.session.execute(query)})
        return found

    def _refresh(self, from_posts: list[int], resummarise: list[int]) -> None:
        """Post-based summaries (engagement from posts) or, for lists without posts, summary of the accounts."""
        if from_posts:
            refresh_summaries(self.session, from_posts)
        for chunk in _chunks(resummarise):
            creators = self.session.scalars(select(Creator).where(Creator.id.in_(chunk))).all()
            accounts = self.session.scalars(select(SocialAccount).where(SocialAccount.creator_id.in_(chunk))).all()
            by_creator: dict[int, list[SocialAccount]] = {c.id: [] for c in creators}
            for account in accounts:
                by_creator[account.creator_id].append(account)
            posts: dict[int, list[Post]] = {a.id: [] for a in accounts}
            for post in self.session.scalars(select(Post).where(Post.account_id.in_([a.id for a in accounts]))):
                posts[post.account_id].append(post)
            for creator in creators:
                summarise(creator, by_creator[creator.id], posts)
        self.session.flush()
        # Core statements bypass the identity map: drop loaded objects so the next batch reads fresh rows.
        self.session.expunge_all()


def engagement_of(row: ExportRow) -> float:
    """An account's engagement from its posts, as ``creators.service.account_engagement`` computes it; sorts the
    row's posts newest first (the order summaries read captions in)."""
    row.posts.sort(key=lambda p: p["posted_at"], reverse=True)
    followers = row.account.get("followers") or 0
    return median_engagement(
        post_engagement(p["kind"], p.get("likes") or 0, p.get("comments") or 0, p.get("views"), followers)
        for p in row.posts[:RECENT_POSTS]
    )


def _creator_values(creator_id: int, rows: list[ExportRow]) -> dict[str, Any]:
    """A new creator's row with its summary columns, from its largest account (like ``summarise``)."""
    primary = rows[0] if len(rows) == 1 else max(rows, key=lambda r: r.account.get("followers") or 0)
    account = primary.account
    name = primary.creator_name or account.get("display_name") or primary.handle
    location = next((r.account["location"] for r in rows if r.account.get("location")), None)
    parts = [name, location or ""]
    for row in rows:
        parts += [row.handle, row.account.get("display_name") or "", row.account.get("bio") or ""]
    parts += [p.get("caption") or "" for p in primary.posts[:CAPTIONS_IN_SEARCH]]
    return {
        "id": creator_id,
        "display_name": str(name)[:200],
        "location": location,
        "location_key": (location or "").lower(),
        "language": account.get("language"),
        "email": next((r.email for r in rows if r.email), None),
        "primary_platform": primary.platform,
        "primary_handle": primary.handle,
        "followers": account.get("followers") or 0,
        "engagement_rate": account.get("engagement_rate") or 0.0,
        "platforms": primary.platform if len(rows) == 1 else ",".join(sorted({r.platform for r in rows})),
        "search_text": " ".join(p for p in parts if p).lower(),
    }


def _account_values(account_id: int, row: ExportRow, creator_id: int) -> dict[str, Any]:
    account = row.account
    values = {name: account.get(name, _ACCOUNT_DEFAULTS.get(name)) for name in ACCOUNT_COLUMNS}
    values.update(id=account_id, creator_id=creator_id, platform=row.platform, handle=row.handle,
                  engagement_rate=account.get("engagement_rate") or 0.0)  # fmt: skip
    return values
