"""Queries over creators: filters, sorting and keyset pagination, always scoped to a workspace."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from grassroots.config import get_settings
from grassroots.creators.models import Comment, Creator, FollowerSnapshot, Platform, Post, SocialAccount
from grassroots.creators.tiers import Tier, tier_range
from grassroots.errors import InvalidInput

SORTS: dict[str, tuple[str, bool]] = {
    "-followers": ("followers", True),
    "followers": ("followers", False),
    "-engagement": ("engagement_rate", True),
    "engagement": ("engagement_rate", False),
    "handle": ("primary_handle", False),
    "-handle": ("primary_handle", True),
    "newest": ("id", True),
    "-credibility": ("credibility", True),
    "credibility": ("credibility", False),
}
SORT_LABELS = {
    "-followers": "Most followers",
    "followers": "Fewest followers",
    "-engagement": "Highest engagement",
    "engagement": "Lowest engagement",
    "handle": "Handle A–Z",
    "-handle": "Handle Z–A",
    "newest": "Recently added",
    "-credibility": "Most credible",
    "credibility": "Least credible (most suspicious)",
}


@dataclass
class CreatorFilters:
    """What a creators list can be narrowed by; engagement bounds are in percent."""

    platform: Platform | None = None
    tier: Tier | None = None
    min_followers: int | None = None
    max_followers: int | None = None
    min_engagement: float | None = None
    max_engagement: float | None = None
    location: str | None = None
    q: str | None = None
    sort: str = "-followers"
    min_credibility: int | None = None
    max_credibility: int | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> CreatorFilters:
        """Filters from the values named like the fields (the API's query and the CLI's options); others ignored."""
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})

    def conditions(self, workspace_id: int) -> list[ColumnElement[bool]]:
        """SQL conditions for these filters."""
        conds: list[ColumnElement[bool]] = [Creator.workspace_id == workspace_id]
        if self.platform:
            conds.append(Creator.platforms.like(f"%{self.platform.value}%"))
        if self.tier:
            low, high = tier_range(self.tier, get_settings())
            conds.append(Creator.followers >= low)
            if high is not None:
                conds.append(Creator.followers < high)
        if self.min_followers is not None:
            conds.append(Creator.followers >= self.min_followers)
        if self.max_followers is not None:
            conds.append(Creator.followers <= self.max_followers)
        if self.min_engagement is not None:
            conds.append(Creator.engagement_rate >= self.min_engagement / 100)
        if self.max_engagement is not None:
            conds.append(Creator.engagement_rate <= self.max_engagement / 100)
        if self.min_credibility is not None:
            conds.append(Creator.credibility >= self.min_credibility)
        if self.max_credibility is not None:
            conds.append(Creator.credibility.between(0, self.max_credibility))
        if self.location:
            conds.append(Creator.location_key.like(f"%{_escape(self.location.lower())}%", escape="\\"))
        if self.q:
            for word in self.q.lower().split()[:8]:
                conds.append(Creator.search_text.like(f"%{_escape(word)}%", escape="\\"))
        return conds


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def encode_cursor(values: list[Any]) -> str:
    """An opaque cursor for keyset pagination."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


MAX_ID = 2**63 - 1  # the largest id either database can hold; a larger one in a cursor is not ours


def _id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def _scalar(value: Any) -> bool:
    """A sort value a cursor can carry: text, or a finite number a database column can hold."""
    if isinstance(value, str):
        return len(value) <= 500
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value == value and abs(value) <= MAX_ID  # NaN fails the first test


def decode_cursor(cursor: str) -> list[Any]:
    """Read a cursor made by encode_cursor, or raise InvalidInput."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != 2 or not _id(values[1]) or not _scalar(values[0]):
            raise ValueError
        return values
    except (ValueError, UnicodeError) as exc:
        raise InvalidInput("cursor is not valid", {"cursor": "not a cursor from this API"}) from exc


@dataclass
class CreatorPage:
    """One page of creators with the total count and the cursor of the next page."""

    items: list[Creator]
    total: int
    next_cursor: str | None
    offset: int = 0


UNVETTED_LAST = 101  # "least credible first" must not open with creators nobody has vetted (-1)


def _sort_column(sort: str) -> ColumnElement[Any]:
    column_name, desc = SORTS[sort]
    if column_name == "credibility" and not desc:
        return case((Creator.credibility < 0, UNVETTED_LAST), else_=Creator.credibility)
    return getattr(Creator, column_name)


def _sort_value(creator: Creator, sort: str) -> Any:
    column_name, desc = SORTS[sort]
    value = getattr(creator, column_name)
    return UNVETTED_LAST if column_name == "credibility" and not desc and value < 0 else value


def _ordered(stmt: Select[Any], sort: str) -> Select[Any]:
    column_name, desc = SORTS[sort]
    column = _sort_column(sort)
    if column_name == "id":
        return stmt.order_by(Creator.id.desc())
    return stmt.order_by(column.desc(), Creator.id.desc()) if desc else stmt.order_by(column, Creator.id)


def _after(sort: str, cursor: list[Any]) -> ColumnElement[bool]:
    column_name, desc = SORTS[sort]
    column = _sort_column(sort)
    value, last_id = cursor
    if isinstance(value, str) != (column_name == "primary_handle"):
        raise InvalidInput("cursor is not valid", {"cursor": "this cursor belongs to another sort order"})
    if column_name == "id":
        return Creator.id < last_id
    if desc:
        return or_(column < value, and_(column == value, Creator.id < last_id))
    return or_(column > value, and_(column == value, Creator.id > last_id))


def list_creators(
    session: Session,
    workspace_id: int,
    filters: CreatorFilters,
    *,
    limit: int = 50,
    cursor: str | None = None,
    offset: int = 0,
    with_total: bool = True,
) -> CreatorPage:
    """A page of creators matching the filters, by keyset cursor (API) or offset (pages)."""
    if filters.sort not in SORTS:
        raise InvalidInput(f"unknown sort {filters.sort!r}", {"sort": f"one of {', '.join(SORTS)}"})
    conds = filters.conditions(workspace_id)
    total = session.scalar(select(func.count()).select_from(Creator).where(*conds)) if with_total else -1
    stmt = _ordered(select(Creator).where(*conds), filters.sort)
    if cursor:
        stmt = stmt.where(_after(filters.sort, decode_cursor(cursor)))
    elif offset:
        stmt = stmt.offset(offset)
    rows = list(session.scalars(stmt.limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([_sort_value(last, filters.sort), last.id])
    return CreatorPage(items=rows, total=total or 0, next_cursor=next_cursor, offset=offset)


def get_creator(session: Session, workspace_id: int, creator_id: int) -> Creator | None:
    """A creator of this workspace, or None."""
    creator = session.get(Creator, creator_id)
    return creator if creator is not None and creator.workspace_id == workspace_id else None


def get_account(session: Session, workspace_id: int, account_id: int) -> SocialAccount | None:
    """An account of this workspace, or None."""
    account = session.get(SocialAccount, account_id)
    return account if account is not None and account.workspace_id == workspace_id else None


def find_account(session: Session, workspace_id: int, platform: Platform, handle: str) -> SocialAccount | None:
    """The account with this handle on this platform in the workspace."""
    stmt = select(SocialAccount).where(
        SocialAccount.workspace_id == workspace_id,
        SocialAccount.platform == platform,
        SocialAccount.handle == handle,
    )
    return session.scalar(stmt)


def recent_posts(session: Session, account_ids: list[int], limit: int = 12) -> list[Post]:
    """The newest posts across these accounts."""
    stmt = select(Post).where(Post.account_id.in_(account_ids)).order_by(Post.posted_at.desc()).limit(limit)
    return list(session.scalars(stmt))


def posts_page(
    session: Session, account_id: int, *, limit: int, before: tuple[datetime, int] | None = None
) -> list[Post]:
    """Posts of one account, newest first, after the (posted_at, id) keyset ``before``."""
    stmt = select(Post).where(Post.account_id == account_id)
    if before is not None:
        when, last_id = before
        stmt = stmt.where(or_(Post.posted_at < when, and_(Post.posted_at == when, Post.id < last_id)))
    return list(session.scalars(stmt.order_by(Post.posted_at.desc(), Post.id.desc()).limit(limit)))


def follower_history(session: Session, account_ids: list[int]) -> list[FollowerSnapshot]:
    """Every follower snapshot of these accounts, oldest first."""
    stmt = (
        select(FollowerSnapshot)
        .where(FollowerSnapshot.account_id.in_(account_ids))
        .order_by(FollowerSnapshot.account_id, FollowerSnapshot.day)
    )
    return list(session.scalars(stmt))


def recent_comments(session: Session, post_ids: list[int], limit: int = 20) -> list[Comment]:
    """The newest comments under these posts."""
    stmt = select(Comment).where(Comment.post_id.in_(post_ids)).order_by(Comment.posted_at.desc()).limit(limit)
    return list(session.scalars(stmt))
