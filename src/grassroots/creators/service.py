"""Use cases for creators: create, update, add accounts and posts, refresh list summaries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.creators import repository
from grassroots.creators.insights import comment_voice, disclosure_checks
from grassroots.creators.models import Creator, FollowerSnapshot, Post, SocialAccount
from grassroots.creators.repository import CreatorFilters, CreatorPage
from grassroots.creators.schemas import (
    AccountIn,
    AccountOut,
    CreatorDetail,
    CreatorIn,
    CreatorOut,
    CreatorPatch,
    PostIn,
)
from grassroots.creators.stats import RECENT_POSTS, median_engagement, post_engagement
from grassroots.creators.tiers import tier_for
from grassroots.errors import Conflict, InvalidInput, NotFound

CAPTIONS_IN_SEARCH = 20
SUMMARY_CHUNK = 500


def create_creator(session: Session, workspace_id: int, data: CreatorIn) -> Creator:
    """Create a creator and its accounts; a handle already in the workspace is a Conflict."""
    seen: set[tuple[str, str]] = set()
    for account in data.accounts:
        key = (account.platform.value, account.handle)
        if key in seen or repository.find_account(session, workspace_id, account.platform, account.handle):
            raise Conflict(f"{account.platform.value} account @{account.handle} already exists")
        seen.add(key)
    creator = Creator(workspace_id=workspace_id, **data.model_dump(exclude={"accounts"}))
    session.add(creator)
    session.flush()
    for account in data.accounts:
        _new_account(session, creator, account)
    refresh_summaries(session, [creator.id])
    session.flush()
    session.refresh(creator, ["accounts"])
    return creator


def _new_account(session: Session, creator: Creator, data: AccountIn) -> SocialAccount:
    account = SocialAccount(workspace_id=creator.workspace_id, creator_id=creator.id, **data.model_dump())
    session.add(account)
    session.flush()
    return account


def update_creator(session: Session, workspace_id: int, creator_id: int, patch: CreatorPatch) -> Creator:
    """Change the given fields of a creator."""
    creator = require_creator(session, workspace_id, creator_id)
    for name, value in patch.model_dump(exclude_unset=True).items():
        if name == "display_name" and value is None:
            continue
        setattr(creator, name, value)
    refresh_summaries(session, [creator.id])
    return creator


def add_account(session: Session, workspace_id: int, creator_id: int, data: AccountIn) -> SocialAccount:
    """Attach a new social account to a creator."""
    creator = require_creator(session, workspace_id, creator_id)
    if repository.find_account(session, workspace_id, data.platform, data.handle):
        raise Conflict(f"{data.platform.value} account @{data.handle} already exists")
    account = _new_account(session, creator, data)
    refresh_summaries(session, [creator.id])
    return account


def add_post(session: Session, workspace_id: int, account_id: int, data: PostIn) -> Post:
    """Record a post on an account."""
    account = require_account(session, workspace_id, account_id)
    post = Post(workspace_id=workspace_id, account_id=account.id, **data.model_dump())
    session.add(post)
    session.flush()
    refresh_summaries(session, [account.creator_id])
    return post


def require_creator(session: Session, workspace_id: int, creator_id: int) -> Creator:
    """A creator of this workspace or NotFound."""
    creator = repository.get_creator(session, workspace_id, creator_id)
    if creator is None:
        raise NotFound(f"creator {creator_id} not found")
    return creator


def require_account(session: Session, workspace_id: int, account_id: int) -> SocialAccount:
    """An account of this workspace or NotFound."""
    account = repository.get_account(session, workspace_id, account_id)
    if account is None:
        raise NotFound(f"account {account_id} not found")
    return account


def account_engagement(account: SocialAccount, posts: Iterable[Post]) -> float:
    """Median engagement over an account's most recent posts."""
    recent = sorted(posts, key=lambda p: p.posted_at, reverse=True)[:RECENT_POSTS]
    return median_engagement(post_engagement(p.kind, p.likes, p.comments, p.views, account.followers) for p in recent)


def refresh_summaries(session: Session, creator_ids: list[int]) -> None:
    """Recompute the denormalised list columns (primary account, ER, search text) of creators."""
    session.flush()
    # Chunks keep IN lists under SQLite's bound-parameter limit on large imports.
    for start in range(0, len(creator_ids), SUMMARY_CHUNK):
        _refresh_chunk(session, creator_ids[start : start + SUMMARY_CHUNK])


def _refresh_chunk(session: Session, creator_ids: list[int]) -> None:
    creators = session.scalars(select(Creator).where(Creator.id.in_(creator_ids))).all()
    accounts = session.scalars(select(SocialAccount).where(SocialAccount.creator_id.in_(creator_ids))).all()
    account_ids = [a.id for a in accounts]
    posts_by_account: dict[int, list[Post]] = {a: [] for a in account_ids}
    if account_ids:
        for post in session.scalars(select(Post).where(Post.account_id.in_(account_ids))):
            posts_by_account[post.account_id].append(post)
    by_creator: dict[int, list[SocialAccount]] = {c.id: [] for c in creators}
    for account in accounts:
        account.engagement_rate = account_engagement(account, posts_by_account[account.id])
        by_creator[account.creator_id].append(account)
    for creator in creators:
        summarise(creator, by_creator[creator.id], posts_by_account)


def summarise(creator: Creator, accounts: list[SocialAccount], posts: dict[int, list[Post]]) -> None:
    """Fill a creator's summary columns from its accounts and their posts."""
    accounts = sorted(accounts, key=lambda a: a.followers, reverse=True)
    primary = accounts[0] if accounts else None
    creator.primary_platform = primary.platform if primary else None
    creator.primary_handle = primary.handle if primary else ""
    creator.followers = primary.followers if primary else 0
    creator.engagement_rate = primary.engagement_rate if primary else 0.0
    creator.platforms = ",".join(sorted({a.platform.value for a in accounts}))
    if not creator.location and primary and primary.location:
        creator.location = primary.location
    creator.location_key = (creator.location or "").lower()
    parts = [creator.display_name, creator.location or ""]
    for account in accounts:
        parts += [account.handle, account.display_name or "", account.bio or ""]
        recent = sorted(posts.get(account.id, []), key=lambda p: p.posted_at, reverse=True)
        parts += [p.caption for p in recent[:CAPTIONS_IN_SEARCH]]
    creator.search_text = " ".join(p for p in parts if p).lower()


def creator_out(creator: Creator) -> CreatorOut:
    """The API shape of a creator."""
    platforms = [p for p in creator.platforms.split(",") if p]
    credibility = creator.credibility if creator.credibility >= 0 else None
    return CreatorOut.model_validate(_with_tier(creator, platforms=platforms, credibility=credibility))


def creator_detail(creator: Creator) -> CreatorDetail:
    """The API shape of a creator with accounts."""
    base = creator_out(creator).model_dump()
    return CreatorDetail(**base, accounts=[account_out(a) for a in creator.accounts])


def account_out(account: SocialAccount) -> AccountOut:
    """The API shape of an account."""
    return AccountOut.model_validate(_with_tier(account))


def _with_tier(row: Creator | SocialAccount, **extra: object) -> dict[str, object]:
    data = {c.key: getattr(row, c.key) for c in row.__table__.columns}
    data["tier"] = tier_for(row.followers).value
    data.update(extra)
    return data


PROFILE_POSTS = 12  # posts on the profile, and the posts whose comments make its "voice"


def list_creators(
    session: Session, workspace_id: int, filters: CreatorFilters, *, limit: int, offset: int = 0,
    cursor: str | None = None, with_total: bool = True,
) -> CreatorPage:  # fmt: skip
    """One page of the workspace's creators matching ``filters`` (by offset for pages, by cursor for the API)."""
    return repository.list_creators(
        session, workspace_id, filters, limit=limit, offset=offset, cursor=cursor, with_total=with_total
    )


def posts_page(
    session: Session, workspace_id: int, account_id: int, *, limit: int, cursor: str | None
) -> tuple[list[Post], str | None]:
    """An account's posts, newest first, and the cursor of the next page (None at the end)."""
    account = require_account(session, workspace_id, account_id)
    before = None
    if cursor:
        # Keyset (posted_at, id): posts sharing a timestamp never straddle or repeat across pages.
        value, last_id = repository.decode_cursor(cursor)
        try:
            if not isinstance(value, str):
                raise ValueError
            before = (datetime.fromisoformat(value), last_id)
        except ValueError as exc:
            raise InvalidInput("cursor is not valid", {"cursor": "not a cursor from this API"}) from exc
    posts = repository.posts_page(session, account.id, limit=limit + 1, before=before)
    last = posts[limit - 1] if len(posts) > limit else None
    next_cursor = repository.encode_cursor([last.posted_at.isoformat(), last.id]) if last else None
    return posts[:limit], next_cursor


def follower_history(session: Session, workspace_id: int, account_id: int) -> list[FollowerSnapshot]:
    """An account's follower history, one point per day."""
    return repository.follower_history(session, [require_account(session, workspace_id, account_id).id])


def recent_disclosures(
    session: Session, workspace_id: int, creator_id: int, *, limit: int
) -> list[tuple[Post, str, str]]:
    """The creator's recent posts with their disclosure status and the reason."""
    creator = require_creator(session, workspace_id, creator_id)
    posts = repository.recent_posts(session, [a.id for a in creator.accounts], limit=limit)
    checks = disclosure_checks([(p.id, p.caption, p.sponsored) for p in posts])
    return [(p, *checks[p.id]) for p in posts]


def voice(session: Session, workspace_id: int, creator_id: int) -> dict[str, Any]:
    """Purchase intent counts, product questions and buyers among comments under the recent posts."""
    creator = require_creator(session, workspace_id, creator_id)
    posts = repository.recent_posts(session, [a.id for a in creator.accounts], limit=PROFILE_POSTS)
    return comment_voice(repository.recent_comments(session, [p.id for p in posts], limit=2_000))


def profile(
    session: Session, workspace_id: int, creator_id: int, markers: dict[int, list[Any]] | None = None
) -> dict[str, Any]:
    """What the profile page shows: accounts, recent posts with engagement and disclosure, comments, history.

    ``markers`` are each account's follower jumps (from its vetting report), drawn on the follower chart.
    """
    creator = require_creator(session, workspace_id, creator_id)
    accounts = creator.accounts
    ids = [a.id for a in accounts]
    by_id = {a.id: a for a in accounts}
    posts = repository.recent_posts(session, ids, limit=PROFILE_POSTS)
    rates = {p.id: post_engagement(p.kind, p.likes, p.comments, p.views, by_id[p.account_id].followers) for p in posts}
    series: dict[int, dict[str, list[Any]]] = {}
    for snap in repository.follower_history(session, ids):
        line = series.setdefault(snap.account_id, {"x": [], "y": []})
        line["x"].append(snap.day.isoformat())
        line["y"].append(snap.followers)
    chart = [
        {"name": f"{by_id[a].platform.value} @{by_id[a].handle}", **s, "anomalies": (markers or {}).get(a, [])}
        for a, s in series.items()
    ]
    post_ids = [p.id for p in posts]
    return {
        "creator": creator,
        "accounts": accounts,
        "by_id": by_id,
        "posts": posts,
        "rates": rates,
        "disclosures": disclosure_checks([(p.id, p.caption, p.sponsored) for p in posts]),
        "comments": repository.recent_comments(session, post_ids, limit=15),
        "voice": comment_voice(repository.recent_comments(session, post_ids, limit=2_000)),
        "chart": chart,
    }
