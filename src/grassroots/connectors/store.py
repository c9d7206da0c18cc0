"""Idempotent upserts of what connectors fetch into the creators tables, keyed on platform ids."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.creators.models import Comment, Creator, FollowerSnapshot, Platform, Post, PostKind, SocialAccount
from grassroots.creators.schemas import http_url, normalise_handle
from grassroots.creators.service import refresh_summaries
from grassroots.errors import InvalidInput

_HASHTAG = re.compile(r"(?<![\w&])#(\w+)", re.UNICODE)
_MENTION = re.compile(r"(?<![\w.])@([A-Za-z0-9._]{1,100})")
# Unambiguous disclosure tags (FTC/ASA): ambiguous ones like #sp or #collab do not count as sponsored.
SPONSORED_TAGS = frozenset({"ad", "advert", "advertisement", "sponsored", "paidpartnership", "anzeige", "werbung"})


@dataclass
class AccountRecord:
    """An account as a provider describes it; None means 'not provided' and keeps what is stored."""

    platform: Platform | str
    handle: str
    external_id: str | None = None
    display_name: str | None = None
    bio: str | None = None
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None
    verified: bool | None = None
    is_business: bool | None = None
    url: str | None = None
    location: str | None = None
    language: str | None = None


@dataclass
class PostRecord:
    """A post; None counts (a hidden like count, say) keep the stored value (0 for a new post)."""

    external_id: str
    posted_at: datetime
    kind: PostKind | str = PostKind.image
    caption: str = ""
    likes: int | None = None
    comments: int | None = None
    views: int | None = None
    saves: int | None = None
    shares: int | None = None
    sponsored: bool | None = None
    url: str | None = None
    hashtags: list[str] | None = None  # None: taken from the caption
    mentions: list[str] | None = None  # None: taken from the caption


@dataclass
class CommentRecord:
    """A comment under a post identified by the platform's post id."""

    external_id: str
    post_external_id: str
    author_handle: str
    text: str
    posted_at: datetime
    likes: int | None = None


def hashtags_in(text: str) -> list[str]:
    """Lower-cased hashtags in order of first appearance."""
    return list(dict.fromkeys(t.lower() for t in _HASHTAG.findall(text or "")))


def mentions_in(text: str) -> list[str]:
    """Lower-cased @handles in order of first appearance."""
    return list(dict.fromkeys(m.lower().rstrip(".") for m in _MENTION.findall(text or "")))


def _cut(value: str | None, size: int) -> str | None:
    return value[:size] if value is not None else None


def _set(row: Any, values: dict[str, Any]) -> bool:
    """Assign the non-None values that differ; True when anything changed."""
    changed = False
    for name, value in values.items():
        if value is not None and getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _find_account(
    session: Session, workspace_id: int, platform: Platform, handle: str, external_id: str | None
) -> SocialAccount | None:
    base = select(SocialAccount).where(SocialAccount.workspace_id == workspace_id, SocialAccount.platform == platform)
    if external_id:
        found = session.scalar(base.where(SocialAccount.external_id == external_id))
        if found is not None:
            return found
    return session.scalar(base.where(SocialAccount.handle == handle))


def upsert_account(session: Session, workspace_id: int, record: AccountRecord) -> tuple[SocialAccount, bool]:
    """Create or update an account (and its Creator when new); True when it was created."""
    try:
        handle = normalise_handle(record.handle)
        platform = Platform(record.platform)
    except ValueError as exc:
        raise InvalidInput(f"account {record.handle!r}: {exc}") from None
    account = _find_account(session, workspace_id, platform, handle, record.external_id)
    values = {
        "external_id": _cut(record.external_id, 100),
        "display_name": _cut(record.display_name, 200),
        "bio": record.bio,
        "followers": record.followers,
        "following": record.following,
        "posts_count": record.posts_count,
        "verified": record.verified,
        "is_business": record.is_business,
        "url": _cut(http_url(record.url), 500),
        "location": _cut(record.location, 200),
        "language": _cut(record.language, 20),
    }
    created = account is None
    if account is None:
        creator = Creator(workspace_id=workspace_id, display_name=_cut(record.display_name, 200) or handle)
        session.add(creator)
        session.flush()
        account = SocialAccount(workspace_id=workspace_id, creator_id=creator.id, platform=platform, handle=handle)
        account.followers = 0
        session.add(account)
    elif account.handle != handle and _find_account(session, workspace_id, platform, handle, None) is None:
        account.handle = handle  # renamed on the platform: the id is the identity
    _set(account, values)
    refresh_summaries(session, [account.creator_id])
    return account, created


def _post_values(record: PostRecord) -> dict[str, Any]:
    hashtags = record.hashtags if record.hashtags is not None else hashtags_in(record.caption)
    sponsored = record.sponsored
    if sponsored is None:
        sponsored = any(tag.lower() in SPONSORED_TAGS for tag in hashtags)
    try:
        kind = PostKind(record.kind)
    except ValueError:
        kind = PostKind.other
    return {
        "kind": kind,
        "caption": record.caption or "",
        "posted_at": record.posted_at,
        "likes": record.likes,
        "comments": record.comments,
        "views": record.views,
        "saves": record.saves,
        "shares": record.shares,
        "sponsored": sponsored,
        "url": _cut(http_url(record.url), 500),
        "hashtags": [h.lower() for h in hashtags],
        "mentions": record.mentions if record.mentions is not None else mentions_in(record.caption),
    }


def _existing_posts(session: Session, account: SocialAccount, external_ids: Sequence[str]) -> dict[str, Post]:
    if not external_ids:
        return {}
    rows = session.scalars(
        select(Post).where(Post.account_id == account.id, Post.external_id.in_(list(set(external_ids))))
    )
    return {str(p.external_id): p for p in rows}


def upsert_posts(session: Session, account: SocialAccount, records: Sequence[PostRecord]) -> tuple[int, int]:
    """Insert new posts and update changed ones by platform id; returns (new, updated)."""
    existing = _existing_posts(session, account, [r.external_id for r in records])
    new = updated = 0
    for record in records:
        values = _post_values(record)
        post = existing.get(record.external_id)
        if post is None:
            post = Post(workspace_id=account.workspace_id, account_id=account.id, external_id=record.external_id)
            post.likes, post.comments = 0, 0
            _set(post, values)
            session.add(post)
            existing[record.external_id] = post
            new += 1
        elif _set(post, values):
            updated += 1
    if records:
        refresh_summaries(session, [account.creator_id])
    return new, updated


def stored_comment_counts(session: Session, account: SocialAccount, external_ids: Sequence[str]) -> dict[str, int]:
    """The comment counts stored for an account's posts: fetch comments only where the count changed."""
    rows = session.execute(
        select(Post.external_id, Post.comments).where(
            Post.account_id == account.id, Post.external_id.in_(list(external_ids))
        )
    )
    return {str(external_id): comments for external_id, comments in rows}


def upsert_comments(session: Session, account: SocialAccount, records: Sequence[CommentRecord]) -> tuple[int, int]:
    """Insert or update comments under the account's stored posts; returns (new, updated).

    Comments whose post is not stored yet are left out: upsert the posts first.
    """
    posts = _existing_posts(session, account, [r.post_external_id for r in records])
    post_ids = [p.id for p in posts.values()]
    stored: dict[tuple[int, str], Comment] = {}
    if post_ids:
        rows = session.scalars(
            select(Comment).where(
                Comment.post_id.in_(post_ids), Comment.external_id.in_([r.external_id for r in records])
            )
        )
        stored = {(c.post_id, str(c.external_id)): c for c in rows}
    new = updated = 0
    for record in records:
        post = posts.get(record.post_external_id)
        if post is None:
            continue
        values = {
            "author_handle": _cut(record.author_handle.lstrip("@").lower(), 200),
            "text": record.text,
            "posted_at": record.posted_at,
            "likes": record.likes,
        }
        comment = stored.get((post.id, record.external_id))
        if comment is None:
            comment = Comment(workspace_id=account.workspace_id, post_id=post.id, external_id=record.external_id)
            comment.likes = 0
            _set(comment, values)
            session.add(comment)
            stored[(post.id, record.external_id)] = comment
            new += 1
        elif _set(comment, values):
            updated += 1
    session.flush()
    return new, updated


def record_snapshot(session: Session, account: SocialAccount, day: date, followers: int, following: int | None) -> bool:
    """One FollowerSnapshot per account and day, updated in place on a re-sync; True when created."""
    snapshot = session.scalar(
        select(FollowerSnapshot).where(FollowerSnapshot.account_id == account.id, FollowerSnapshot.day == day)
    )
    if snapshot is None:
        session.add(
            FollowerSnapshot(
                workspace_id=account.workspace_id,
                account_id=account.id,
                day=day,
                followers=followers,
                following=following,
            )
        )
        session.flush()
        return True
    snapshot.followers = followers
    snapshot.following = following
    return False
