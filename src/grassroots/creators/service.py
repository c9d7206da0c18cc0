"""Use cases for creators: create, update, add accounts and posts, refresh list summaries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.creators import repository
from grassroots.creators.models import Creator, Post, SocialAccount
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
from grassroots.errors import Conflict, NotFound

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
