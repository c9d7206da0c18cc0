"""YouTube connector: followed channels, their uploads with statistics, and top-level comments (API key).

Per channel: ``channels.list`` → account, then the uploads playlist page by page (``playlistItems.list``, 50 per
page, ``nextPageToken``) with ``videos.list`` for the page's statistics, and ``commentThreads.list`` for videos
whose comment count changed. Every call is counted against a per-connection daily budget *before* it is made
(see youtube_api.QuotaMeter); at the budget, or on the API's own ``quotaExceeded``, the sync stops cleanly with
``stopped_at_quota`` and the next run resumes from the stored cursors.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import httpx
from sqlalchemy.orm import Session

from grassroots.connectors.base import BaseConnector, ConnectorError, Progress, SyncSummary, register
from grassroots.connectors.http import ApiClient, ApiError, QuotaExhausted, RateLimited
from grassroots.connectors.models import Connection
from grassroots.connectors.repository import commit_page, get_cursor
from grassroots.connectors.store import (
    PostRecord,
    record_snapshot,
    stored_comment_counts,
    upsert_account,
    upsert_comments,
    upsert_posts,
)
from grassroots.connectors.youtube import data_api as yt
from grassroots.creators.models import SocialAccount
from grassroots.errors import InvalidInput

PAGE = 50  # videos.list takes at most 50 ids: one playlist page is one statistics call
COMMENT_PAGE = 100


class CommentsDisabled(ApiError):
    """The video's owner turned comments off (403 commentsDisabled)."""


def channel_refs(value: object) -> list[str]:
    """Channel ids (UC…) and @handles from a list or a comma/space separated string."""
    items = value if isinstance(value, list) else str(value or "").replace(",", " ").split()
    return list(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


@register
class YouTubeConnector(BaseConnector):
    """YouTube Data API v3 with an API key: public channel, video and comment data."""

    provider: ClassVar[str] = "youtube"
    # Where an overridden base_url may point (tests add their local servers in settings).
    official_hosts: ClassVar[tuple[str, ...]] = ("googleapis.com",)
    secret_fields: ClassVar[tuple[str, ...]] = ("api_key",)
    required_config: ClassVar[tuple[str, ...]] = ("channels",)
    config_fields: ClassVar[tuple[str, ...]] = ("channels", "daily_quota", "base_url", "max_pages", "comment_pages")

    def __init__(
        self, connection: Connection, secrets: dict[str, str], *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(connection, secrets, transport=transport)
        self.daily_quota = self.int_setting("daily_quota", yt.DEFAULT_DAILY_QUOTA)
        self.max_pages = self.int_setting("max_pages", 20)
        self.comment_pages = self.int_setting("comment_pages", 5)
        self.channels = channel_refs(self.config.get("channels"))
        if not self.channels:
            raise ConnectorError("the YouTube connection needs channels (channel ids UC… or @handles)")

    def sync(self, session: Session, progress: Progress) -> SyncSummary:
        """Every followed channel until done or the day's quota is spent (then stop cleanly, resume next run)."""
        self.meter = yt.QuotaMeter(session, self.connection, self.now().strftime("%Y-%m-%d"), self.daily_quota)
        key = self.secrets["api_key"]
        self.api = ApiClient(self.config_str("base_url", yt.DEFAULT_BASE_URL), params={"key": key},
                             transport=self.transport, sleep=self.sleep, on_response=self._check, secrets=(key,),
                             official_hosts=self.official_hosts)  # fmt: skip
        try:
            for index, ref in enumerate(self.channels):
                progress("youtube: channels", index, len(self.channels))
                self._channel(session, ref, progress)
            progress("youtube: channels", len(self.channels), len(self.channels))
        except QuotaExhausted as exc:
            # Drop the page in flight (its cursor did not move, so the next run redoes it whole) but keep the count.
            session.rollback()
            self.meter.save(exhausted=exc.code != "budget")
            session.commit()
            self.summary.stopped_at_quota = True
            self.summary.note("quota", f"{exc.detail} ({self.meter.used:,} of {self.meter.limit:,} units used today)")
        finally:
            self.api.close()
        return self.summary

    def _check(self, response: httpx.Response) -> None:
        """Turn Google's 403 reasons into our errors before the generic client sees them."""
        if response.status_code != 403:
            return
        try:
            reason = yt.error_reason(response.json())
        except ValueError:
            return
        if reason in {"quotaExceeded", "dailyLimitExceeded"}:
            raise QuotaExhausted(403, reason, "YouTube says the project's daily quota is exceeded")
        if reason == "commentsDisabled":
            raise CommentsDisabled(403, reason, "comments are disabled on this video")
        if reason in {"rateLimitExceeded", "userRateLimitExceeded"}:
            raise RateLimited(403, reason, "YouTube rate limit exceeded; try again later")

    def _get(self, endpoint: str, params: dict[str, Any]) -> Any:
        self.meter.spend(endpoint)
        return self.api.get_json(endpoint, params)

    def _channel(self, session: Session, ref: str, progress: Progress) -> None:
        by = {"forHandle": ref if ref.startswith("@") else f"@{ref}"}
        if ref.startswith("UC") and len(ref) == 24:
            by = {"id": ref}
        body = self._get("channels", {"part": "snippet,statistics,contentDetails", **by})
        items = body.get("items") or []
        self.summary.fetched += 1
        if not items:
            self.summary.skip(ref, "no such channel")
            return
        try:
            record, hidden = yt.channel_record(items[0])
            account, created = upsert_account(session, self.connection.workspace_id, record)
        except (KeyError, ValueError, InvalidInput) as exc:
            self.summary.skip(ref, f"malformed channel: {exc}")
            return
        self.summary.new += int(created)
        if hidden:
            self.summary.note(f"@{account.handle}", "subscriber count hidden by the channel; kept the previous value")
        else:
            record_snapshot(session, account, self.now().date(), account.followers, account.following)
        commit_page(session, self.connection, f"channel:{record.external_id}", None)
        playlist = yt.uploads_playlist(items[0])
        if playlist:
            self._uploads(session, account, playlist, progress)

    def _uploads(self, session: Session, account: SocialAccount, playlist: str, progress: Progress) -> None:
        """Newest first until the newest video of the last complete pass; a pass cut short resumes at its page."""
        stream = f"uploads:{playlist}"
        state = json.loads(get_cursor(session, self.connection, stream) or "{}")
        token, known = state.get("page") or None, state.get("newest")
        newest = state.get("pass_newest")
        for page_no in range(self.max_pages):
            params = {"part": "contentDetails", "playlistId": playlist, "maxResults": PAGE}
            body = self._get("playlistItems", {**params, **({"pageToken": token} if token else {})})
            ids = [str((i.get("contentDetails") or {}).get("videoId") or "") for i in body.get("items") or []]
            ids = [i for i in ids if i]
            newest = newest or (ids[0] if ids else None)
            reached = known in ids
            if reached:
                ids = ids[: ids.index(known)] if page_no or token else ids  # page one: refresh recent statistics
            self._videos(session, account, ids)
            token = None if reached else body.get("nextPageToken")
            done = token is None
            state = {"newest": newest if done else known, "page": token, "pass_newest": None if done else newest}
            commit_page(session, self.connection, stream, json.dumps(state))
            progress(f"youtube: @{account.handle} videos", page_no + 1, None)
            if done:
                return

    def _videos(self, session: Session, account: SocialAccount, ids: list[str]) -> None:
        if not ids:
            return
        body = self._get("videos", {"part": "snippet,statistics,contentDetails", "id": ",".join(ids)})
        records: list[PostRecord] = []
        for item in body.get("items") or []:
            self.summary.fetched += 1
            try:
                records.append(yt.video_record(item))
            except (KeyError, ValueError, TypeError) as exc:
                self.summary.skip(f"video {item.get('id', '?')}", f"malformed video: {exc}")
        before = stored_comment_counts(session, account, [r.external_id for r in records])
        new, updated = upsert_posts(session, account, records)
        self.summary.new += new
        self.summary.updated += updated
        hidden = sum(r.likes is None for r in records)
        if hidden:
            self.summary.note(f"@{account.handle}", f"like counts hidden on {hidden} video(s); stored without likes")
        for record in records:
            if record.comments and before.get(record.external_id) != record.comments:
                self._comments(session, account, record.external_id)

    def _comments(self, session: Session, account: SocialAccount, video_id: str) -> None:
        token: str | None = None
        for _ in range(self.comment_pages):
            params = {"part": "snippet", "videoId": video_id, "maxResults": COMMENT_PAGE, "textFormat": "plainText"}
            try:
                body = self._get("commentThreads", {**params, **({"pageToken": token} if token else {})})
            except CommentsDisabled:
                self.summary.skip(f"comments of video {video_id}", "comments are disabled on this video")
                return
            records = []
            for thread in body.get("items") or []:
                self.summary.fetched += 1
                try:
                    records.append(yt.comment_record(thread, video_id))
                except (KeyError, ValueError, TypeError) as exc:
                    self.summary.skip(f"comment {thread.get('id', '?')} on video {video_id}", f"malformed: {exc}")
            new, updated = upsert_comments(session, account, records)
            self.summary.new += new
            self.summary.updated += updated
            token = body.get("nextPageToken")
            if not token:
                return
