"""Instagram's hashtag limit: at most 30 unique hashtags per account in a rolling 7 days.

The queries are remembered (tag, hashtag id, when) in the connection's sync state, so the limit holds across
runs and processes; a hashtag already queried in the window costs nothing to read again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

STREAM = "hashtag_budget"
WINDOW = timedelta(days=7)
LIMIT = 30
KEEP_MEDIA = 100


@dataclass
class HashtagBudget:
    """The hashtag searches made in the last seven days."""

    queries: list[dict[str, str]] = field(default_factory=list)

    def _recent(self, now: datetime) -> list[dict[str, str]]:
        return [q for q in self.queries if datetime.fromisoformat(q["at"]) > now - WINDOW]

    def known_id(self, tag: str, now: datetime) -> str | None:
        """The hashtag id found by a search in the window ('' when Instagram had none), else None."""
        for query in reversed(self._recent(now)):
            if query["tag"] == tag:
                return query["id"]
        return None

    def refusal(self, tag: str, now: datetime) -> str | None:
        """Why searching ``tag`` now would break the limit, or None when it is allowed."""
        recent = self._recent(now)
        unique = {q["tag"] for q in recent}
        if tag in unique or len(unique) < LIMIT:
            return None
        oldest = min(datetime.fromisoformat(q["at"]) for q in recent)
        return (
            f"Instagram allows {LIMIT} unique hashtags per 7 days and {len(unique)} were queried; "
            f"skipped until {(oldest + WINDOW):%Y-%m-%d %H:%M} UTC"
        )

    def record(self, tag: str, hashtag_id: str, now: datetime) -> None:
        """Remember a search (it counts against the limit whether or not it found the hashtag)."""
        self.queries.append({"tag": tag, "id": hashtag_id, "at": now.isoformat()})

    def dump(self, now: datetime | None = None) -> str:
        """JSON for the sync state, without searches older than the window."""
        kept = self._recent(now) if now else self.queries
        return json.dumps({"queries": kept})


def load(raw: str | None) -> HashtagBudget:
    """The budget stored in the sync state (empty when never stored)."""
    data = json.loads(raw) if raw else {}
    return HashtagBudget(list(data.get("queries", [])))


def merge_media(raw: str | None, media: list[dict[str, Any]]) -> str:
    """Keep the newest hashtag media (id, link, time, counts) for review: the API does not say who posted them."""
    stored = {m["id"]: m for m in (json.loads(raw) if raw else [])}
    for item in media:
        if item.get("id"):
            stored[str(item["id"])] = {
                "id": str(item["id"]),
                "permalink": item.get("permalink"),
                "timestamp": item.get("timestamp"),
                "like_count": item.get("like_count"),
                "comments_count": item.get("comments_count"),
                "caption": str(item.get("caption") or "")[:200],
            }
    newest = sorted(stored.values(), key=lambda m: str(m.get("timestamp") or ""), reverse=True)[:KEEP_MEDIA]
    return json.dumps(newest)
