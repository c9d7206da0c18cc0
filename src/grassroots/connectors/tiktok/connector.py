"""TikTok connector: the creator's own profile and videos through the Display API v2 (OAuth bearer token).

``GET /v2/user/info/?fields=…`` gives the profile and counts; ``POST /v2/video/list/?fields=…`` with
``{"cursor", "max_count" ≤ 20}`` pages through videos newest first (``data.cursor``, ``data.has_more``). Every
answer carries ``{"error": {"code", "message", "log_id"}}``; ``code`` is ``"ok"`` on success, so a 200 is checked
too. The Display API only reaches accounts that authorised the brand's app; for other accounts use a scraper
export (connectors.exports). Incremental: a pass stops at the newest video of the last complete pass.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
from sqlalchemy.orm import Session

from grassroots.connectors.base import BaseConnector, Progress, SyncSummary, register
from grassroots.connectors.http import ApiClient, ApiError, AuthFailed
from grassroots.connectors.models import Connection
from grassroots.connectors.repository import commit_page, get_cursor
from grassroots.connectors.store import AccountRecord, PostRecord, record_snapshot, upsert_account, upsert_posts
from grassroots.creators.models import Platform, PostKind, SocialAccount

DEFAULT_BASE_URL = "https://open.tiktokapis.com"
USER_FIELDS = ("open_id,union_id,username,display_name,avatar_url,bio_description,profile_deep_link,is_verified,"
               "follower_count,following_count,likes_count,video_count")  # fmt: skip
VIDEO_FIELDS = (
    "id,create_time,title,video_description,duration,share_url,view_count,like_count,comment_count,share_count"
)
MAX_COUNT = 20  # the Display API's maximum page size
# Token problems mean "reconnect", whatever HTTP status carries them.
AUTH_CODES = {"access_token_invalid", "scope_not_authorized", "scope_permission_missed"}


def check(body: Any) -> dict[str, Any]:
    """The ``data`` of a TikTok answer, or ApiError/AuthFailed from its error object (code, message, log_id)."""
    if not isinstance(body, dict):
        raise ApiError(200, "invalid_body", "TikTok answered with something that is not an object")
    error = body.get("error") or {}
    code = str(error.get("code") or "ok")
    if code != "ok":
        message = f"TikTok error {code}: {error.get('message') or 'no message'} (log_id {error.get('log_id', '?')})"
        raise (AuthFailed if code in AUTH_CODES else ApiError)(200, code, message)
    return body.get("data") or {}


def user_record(user: dict[str, Any]) -> AccountRecord:
    """``data.user`` of /v2/user/info/ → account record (the handle is ``username``)."""
    handle = str(user.get("username") or "")
    if not handle:
        raise ValueError("the token's scopes do not include the username (user.info.profile)")
    return AccountRecord(
        platform=Platform.tiktok,
        handle=handle,
        external_id=str(user.get("open_id") or "") or None,
        display_name=user.get("display_name"),
        bio=user.get("bio_description"),
        followers=user.get("follower_count"),
        following=user.get("following_count"),
        posts_count=user.get("video_count"),
        verified=user.get("is_verified"),
        url=user.get("profile_deep_link") or f"https://www.tiktok.com/@{handle}",
    )


def video_record(video: dict[str, Any]) -> PostRecord:
    """One of ``data.videos`` of /v2/video/list/ → post record (create_time is Unix seconds)."""
    if not video.get("id") or not isinstance(video.get("create_time"), int):
        raise ValueError("video without id or create_time")
    title = str(video.get("title") or "")
    description = str(video.get("video_description") or "")
    caption = description if title and description.startswith(title) else f"{title}\n{description}".strip()
    return PostRecord(
        external_id=str(video["id"]),
        posted_at=datetime.fromtimestamp(video["create_time"], UTC),
        kind=PostKind.video,
        caption=caption,
        likes=video.get("like_count"),
        comments=video.get("comment_count"),
        views=video.get("view_count"),
        shares=video.get("share_count"),
        url=video.get("share_url"),
    )


def _error_body(response: httpx.Response) -> None:
    """4xx/5xx answers carry the same error object: name the TikTok code in what the user sees."""
    if response.status_code < 400 or response.status_code in {429, 500, 502, 503, 504}:
        return
    try:
        check(response.json())
    except ValueError:
        return
    except ApiError as exc:
        auth = response.status_code == 401 or isinstance(exc, AuthFailed)
        raise (AuthFailed if auth else ApiError)(response.status_code, exc.code, exc.detail) from None


@register
class TikTokConnector(BaseConnector):
    """TikTok Display API v2 for creators who authorised the brand's app."""

    provider: ClassVar[str] = "tiktok"
    # Where an overridden base_url may point (tests add their local servers in settings).
    official_hosts: ClassVar[tuple[str, ...]] = ("tiktokapis.com",)
    secret_fields: ClassVar[tuple[str, ...]] = ("access_token",)
    config_fields: ClassVar[tuple[str, ...]] = ("base_url", "max_pages")

    def __init__(
        self, connection: Connection, secrets: dict[str, str], *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(connection, secrets, transport=transport)
        self.max_pages = self.int_setting("max_pages", 25)

    def sync(self, session: Session, progress: Progress) -> SyncSummary:
        """The profile, then videos page by page (each page committed with its cursor)."""
        token = self.secrets["access_token"]
        self.api = ApiClient(self.config_str("base_url", DEFAULT_BASE_URL), headers={"Authorization": f"Bearer {token}"},
                             transport=self.transport, sleep=self.sleep, on_response=_error_body, secrets=(token,),
                             official_hosts=self.official_hosts)  # fmt: skip
        try:
            account = self._profile(session)
            if account is not None:
                self._videos(session, account, progress)
        finally:
            self.api.close()
        return self.summary

    def _profile(self, session: Session) -> SocialAccount | None:
        user = check(self.api.get_json("/v2/user/info/", {"fields": USER_FIELDS})).get("user") or {}
        self.summary.fetched += 1
        try:
            account, created = upsert_account(session, self.connection.workspace_id, user_record(user))
        except ValueError as exc:
            self.summary.skip("profile", str(exc))
            return None
        self.summary.new += int(created)
        record_snapshot(session, account, self.now().date(), account.followers, account.following)
        commit_page(session, self.connection, "profile", None)
        return account

    def _videos(self, session: Session, account: SocialAccount, progress: Progress) -> None:
        stream = "videos"
        state = json.loads(get_cursor(session, self.connection, stream) or "{}")
        known, cursor, newest = state.get("newest"), state.get("cursor"), state.get("pass_newest")
        for page_no in range(self.max_pages):
            body: dict[str, Any] = {"max_count": MAX_COUNT, **({"cursor": cursor} if cursor else {})}
            data = check(self.api.post_json(f"/v2/video/list/?fields={VIDEO_FIELDS}", json=body))
            records = self._records(data.get("videos") or [], f"@{account.handle}")
            times = [int(r.posted_at.timestamp()) for r in records]
            newest = newest or (max(times) if times else None)
            reached = known is not None and any(t <= known for t in times)
            new, updated = upsert_posts(session, account, records)
            self.summary.new += new
            self.summary.updated += updated
            cursor = data.get("cursor") if data.get("has_more") and not reached else None
            done = cursor is None
            state = {"newest": newest if done else known, "cursor": cursor, "pass_newest": None if done else newest}
            commit_page(session, self.connection, stream, json.dumps(state))
            progress("tiktok: videos", page_no + 1, None)
            if done:
                return

    def _records(self, videos: list[Any], owner: str) -> list[PostRecord]:
        records = []
        for video in videos:
            self.summary.fetched += 1
            try:
                records.append(video_record(video))
            except (ValueError, TypeError, AttributeError) as exc:
                item = video.get("id", "?") if isinstance(video, dict) else "?"
                self.summary.skip(f"{owner} video {item}", f"malformed video: {exc}")
        return records
