"""The mentions inbox: posts that tag or mention the brand, what the brand did about each, and reminders.

Which posts mention the brand is decided once, by ``campaigns.scope.content_match`` (a post's mentions list or an
@handle in its caption, for the workspace's brand handles from ``discovery.advocates.brand_handles``); the brand's
own accounts are left out. A post gets a ``Mention`` row when someone sets its status or the reminder job flags
it as unanswered; until then its status is "none".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from grassroots.campaigns.scope import ContentTerms, content_match, matched_terms
from grassroots.config import Settings
from grassroots.creators.models import Creator, Post, SocialAccount
from grassroots.db.base import utcnow
from grassroots.discovery.advocates import brand_handles
from grassroots.errors import InvalidInput, NotFound
from grassroots.jobs import queue
from grassroots.mentions.models import Mention, MentionStatus
from grassroots.outreach import timeline

REMIND_JOB = "mentions.remind"
DEFAULT_REMINDER_DAYS = 3
PAGE_SIZE = 100
FLAG_BATCH = 5_000  # mentions flagged per run at most; the next run takes the rest


def reminder_days(settings: Settings) -> int:
    """Days after which an unanswered mention is flagged (setting ``mentions_reminder_days``, default 3)."""
    return max(1, int(getattr(settings, "mentions_reminder_days", DEFAULT_REMINDER_DAYS)))


@dataclass(frozen=True)
class MentionRow:
    """One mention as the inbox shows it."""

    post_id: int
    creator_id: int
    creator_name: str
    handle: str
    platform: str
    caption: str
    url: str | None
    posted_at: datetime
    likes: int
    comments: int
    why: list[str]
    status: MentionStatus
    status_by: str | None
    flagged: bool


@dataclass
class Inbox:
    """A page of mentions, the count per status and how many the reminder job flagged as unanswered."""

    rows: list[MentionRow]
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    handles: list[str] = field(default_factory=list)
    days: int = DEFAULT_REMINDER_DAYS
    has_more: bool = False


Mentions = Select[Post, SocialAccount, str, Mention]


def _may_mention(handles: list[str]) -> ColumnElement[bool]:
    """A cheap first pass (plain substring tests) so the exact word match only reads the few posts that pass."""
    caption, listed = func.lower(Post.caption), func.lower(cast(Post.mentions, Text))
    return or_(*(or_(caption.contains(h, autoescape=True), listed.contains(h, autoescape=True)) for h in handles))


def _mentions(workspace_id: int, handles: list[str]) -> Mentions:
    match = content_match(ContentTerms(handles=tuple(handles)))
    if match is not None:
        match = and_(_may_mention(handles), match)
    return (
        select(Post, SocialAccount, Creator.display_name, Mention)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .join(Creator, Creator.id == SocialAccount.creator_id)
        .outerjoin(Mention, and_(Mention.post_id == Post.id, Mention.workspace_id == workspace_id))
        .where(Post.workspace_id == workspace_id, func.lower(SocialAccount.handle).not_in(handles))
        .where(match if match is not None else Post.id.is_(None))
    )


def _unanswered() -> Any:
    return or_(Mention.id.is_(None), Mention.status == MentionStatus.none)


def inbox(session: Session, workspace_id: int, settings: Settings, status: str | None = None, offset: int = 0) -> Inbox:
    """The newest mentions (``status`` narrows: none, replied, liked, shared, overdue), and the counts."""
    handles = brand_handles(session, workspace_id)
    days = reminder_days(settings)
    if not handles:
        return Inbox([], days=days)
    schedule_reminders(session, workspace_id)
    base = _mentions(workspace_id, handles)
    query = base
    if status == "overdue":
        query = query.where(Mention.flagged_at.is_not(None), Mention.status == MentionStatus.none)
    elif status == MentionStatus.none.value:
        query = query.where(_unanswered())
    elif status in {s.value for s in MentionStatus}:
        query = query.where(Mention.status == status)
    found = session.execute(query.order_by(Post.posted_at.desc(), Post.id.desc()).offset(offset).limit(PAGE_SIZE + 1))
    rows = [_row(handles, *r) for r in found.all()]
    counts = _counts(session, base)
    overdue = counts.pop("overdue", 0)
    return Inbox(rows[:PAGE_SIZE], counts, overdue, handles, days, len(rows) > PAGE_SIZE)


def _counts(session: Session, base: Mentions) -> dict[str, int]:
    listed = base.with_only_columns(Mention.status, Mention.flagged_at).subquery()
    rows = session.execute(
        select(listed.c.status, listed.c.flagged_at.is_not(None), func.count()).group_by(
            listed.c.status, listed.c.flagged_at.is_not(None)
        )
    ).all()
    counts = {s.value: 0 for s in MentionStatus} | {"overdue": 0}
    for state, flagged, n in rows:
        key = str(getattr(state, "value", state) or MentionStatus.none.value)
        counts[key] += n
        if flagged and key == MentionStatus.none.value:
            counts["overdue"] += n
    return counts


def _row(handles: list[str], post: Post, account: SocialAccount, name: str, mention: Mention | None) -> MentionRow:
    status = mention.status if mention else MentionStatus.none
    return MentionRow(
        post_id=post.id, creator_id=account.creator_id, creator_name=name, handle=account.handle,
        platform=str(account.platform.value), caption=post.caption or "", url=post.url, posted_at=post.posted_at,
        likes=post.likes, comments=post.comments,
        why=matched_terms(ContentTerms(handles=tuple(handles)), post.caption, post.mentions, post.hashtags),
        status=status, status_by=mention.status_by if mention else None,
        flagged=bool(mention and mention.flagged_at and status is MentionStatus.none),
    )  # fmt: skip


def set_status(session: Session, workspace_id: int, post_id: int, status: str, actor: str) -> MentionStatus:
    """Record what the brand did about a mention (one click), as a touchpoint on the creator's timeline."""
    try:
        chosen = MentionStatus(status)
    except ValueError:
        raise InvalidInput("Choose replied, liked, shared or none.", {"status": "unknown status"}) from None
    handles = brand_handles(session, workspace_id)
    found = session.execute(_mentions(workspace_id, handles).where(Post.id == post_id)).first() if handles else None
    if found is None:
        raise NotFound(f"no mention of the brand with post id {post_id}")
    post, account, _name, mention = found
    if mention is None:
        mention = Mention(workspace_id=workspace_id, post_id=post.id, creator_id=account.creator_id)
        session.add(mention)
    mention.status, mention.status_at, mention.status_by = chosen, utcnow(), actor[:200]
    session.flush()
    platform = str(account.platform.value).capitalize()
    summary = f"Mention on {platform} marked {chosen.label.lower()}" if chosen is not MentionStatus.none else (
        f"Mention on {platform} marked not answered")  # fmt: skip
    timeline.record(session, workspace_id=workspace_id, creator_id=account.creator_id, kind=f"mention_{chosen.value}",
                    summary=summary, actor=actor, detail=(post.caption or "")[:500], url=post.url,
                    ref=("post", post.id))  # fmt: skip
    return chosen


def flag_unanswered(session: Session, workspace_id: int, days: int, now: datetime | None = None) -> int:
    """Flag mentions still unanswered ``days`` after they were posted; how many were newly flagged."""
    now = now or utcnow()
    handles = brand_handles(session, workspace_id)
    if not handles:
        return 0
    query = (
        _mentions(workspace_id, handles)
        .where(Post.posted_at <= now - timedelta(days=days), _unanswered(), Mention.flagged_at.is_(None))
        .limit(FLAG_BATCH)
    )
    count = 0
    for post, account, _name, mention in session.execute(query).all():
        if mention is None:
            mention = Mention(workspace_id=workspace_id, post_id=post.id, creator_id=account.creator_id)
            session.add(mention)
        mention.flagged_at = now
        count += 1
    session.flush()
    return count


def schedule_reminders(session: Session, workspace_id: int, at: datetime | None = None) -> None:
    """Make sure the day's reminder run is queued (one per workspace and day: the key makes it idempotent)."""
    when = at or utcnow()
    queue.enqueue(session, REMIND_JOB, workspace_id=workspace_id, run_at=when,
                  key=f"{REMIND_JOB}:{workspace_id}:{when.date().isoformat()}")  # fmt: skip
