"""YouTube Data API v3: response → record mappers and the daily quota meter (pure apart from the stored cursor).

Quota: every list call (channels, playlistItems, videos, commentThreads) costs 1 unit of a default daily
10,000 (search.list would cost 100; we never call it). The day is the UTC day, as the meter's stream name
``quota:YYYY-MM-DD`` shows; Google resets at midnight Pacific time, so a budget set a little below the real quota
keeps a run that crosses that boundary safe.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from grassroots.connectors.http import QuotaExhausted
from grassroots.connectors.models import Connection
from grassroots.connectors.repository import get_cursor, save_cursor
from grassroots.connectors.store import AccountRecord, CommentRecord, PostRecord
from grassroots.creators.models import Platform, PostKind

DEFAULT_BASE_URL = "https://www.googleapis.com/youtube/v3"
DEFAULT_DAILY_QUOTA = 10_000
UNIT_COST = {"channels": 1, "playlistItems": 1, "videos": 1, "commentThreads": 1, "search": 100}
SHORT_SECONDS = 60


class QuotaMeter:
    """Units spent today by one connection, stored in its SyncState so every run (and process) shares them."""

    def __init__(self, session: Session, connection: Connection, day: str, limit: int) -> None:
        self.session = session
        self.connection = connection
        self.stream = f"quota:{day}"
        self.limit = limit
        self.used = int(get_cursor(session, connection, self.stream) or 0)

    @property
    def left(self) -> int:
        """Units still available today."""
        return max(0, self.limit - self.used)

    def spend(self, endpoint: str) -> None:
        """Count a call before it is made; QuotaExhausted when it would overrun the day's budget."""
        cost = UNIT_COST.get(endpoint, 1)
        if self.used + cost > self.limit:
            raise QuotaExhausted(0, "budget", f"daily YouTube budget of {self.limit:,} units used; resumes tomorrow")
        self.used += cost
        save_cursor(self.session, self.connection, self.stream, str(self.used))

    def save(self, *, exhausted: bool = False) -> None:
        """Store the count again (after a rollback); ``exhausted`` when the API said quotaExceeded: nothing more today."""
        if exhausted:
            self.used = max(self.used, self.limit)
        save_cursor(self.session, self.connection, self.stream, str(self.used))


def _int(value: Any) -> int | None:
    # The API sends counts as strings ("1840"); a missing field means hidden or not applicable.
    if value is None or value == "":
        return None
    return int(value)


def _when(value: Any) -> datetime:
    if not isinstance(value, str) or not value:
        raise ValueError("missing publishedAt")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def channel_record(item: dict[str, Any]) -> tuple[AccountRecord, bool]:
    """A channels.list item → account record, and whether the subscriber count is hidden."""
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    hidden = bool(stats.get("hiddenSubscriberCount")) or "subscriberCount" not in stats
    custom = str(snippet.get("customUrl") or "").lstrip("@")
    handle = custom or str(item["id"])
    record = AccountRecord(
        platform=Platform.youtube,
        handle=handle,
        external_id=str(item["id"]),
        display_name=snippet.get("title"),
        bio=snippet.get("description") or None,
        # Hidden: keep what we have (None), never store a rounded or absent figure as a real one.
        followers=None if hidden else _int(stats.get("subscriberCount")),
        posts_count=_int(stats.get("videoCount")),
        url=f"https://www.youtube.com/@{custom}" if custom else f"https://www.youtube.com/channel/{item['id']}",
        location=snippet.get("country"),
        language=snippet.get("defaultLanguage"),
    )
    return record, hidden


def uploads_playlist(item: dict[str, Any]) -> str | None:
    """The id of a channel's uploads playlist."""
    related = (item.get("contentDetails") or {}).get("relatedPlaylists") or {}
    return related.get("uploads")


def _seconds(duration: str) -> int | None:
    """ISO 8601 durations as videos.list sends them: PT1M5S, PT45S, P0D."""
    if not duration.startswith("P"):
        return None
    total, number = 0, ""
    for char in duration[1:]:
        if char.isdigit():
            number += char
        elif char in "DHMS" and number:
            total += int(number) * {"D": 86400, "H": 3600, "M": 60, "S": 1}[char]
            number = ""
    return total


def video_record(item: dict[str, Any]) -> PostRecord:
    """A videos.list item → post record; likes may be hidden (None keeps the stored value)."""
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    seconds = _seconds(str((item.get("contentDetails") or {}).get("duration") or ""))
    kind = PostKind.short if seconds is not None and 0 < seconds <= SHORT_SECONDS else PostKind.video
    title, description = str(snippet.get("title") or ""), str(snippet.get("description") or "")
    tags = [str(t).lower().replace(" ", "") for t in snippet.get("tags") or []]
    return PostRecord(
        external_id=str(item["id"]),
        posted_at=_when(snippet.get("publishedAt")),
        kind=kind,
        caption=f"{title}\n\n{description}".strip(),
        likes=_int(stats.get("likeCount")),
        comments=_int(stats.get("commentCount")),
        views=_int(stats.get("viewCount")),
        url=f"https://www.youtube.com/watch?v={item['id']}",
        hashtags=tags or None,
    )


def comment_record(thread: dict[str, Any], video_id: str) -> CommentRecord:
    """A commentThreads.list item (its top-level comment) → comment record."""
    top = (thread.get("snippet") or {}).get("topLevelComment") or {}
    s = top.get("snippet") or {}
    author = str(s.get("authorDisplayName") or (s.get("authorChannelId") or {}).get("value") or "")
    if not author:
        raise ValueError("comment has no author")
    return CommentRecord(
        external_id=str(top.get("id") or thread["id"]),
        post_external_id=video_id,
        author_handle=author.lstrip("@"),
        text=str(s.get("textOriginal") or s.get("textDisplay") or ""),
        posted_at=_when(s.get("publishedAt")),
        likes=_int(s.get("likeCount")),
    )


def error_reason(body: Any) -> str | None:
    """The first ``errors[].reason`` of a Google API error body (quotaExceeded, commentsDisabled…)."""
    if not isinstance(body, dict):
        return None
    errors = (body.get("error") or {}).get("errors") or []
    return str(errors[0].get("reason")) if errors and isinstance(errors[0], dict) else None
