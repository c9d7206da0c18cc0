"""Instagram Graph API: the client (errors, usage headers) and the mappers from Graph JSON to records."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import httpx

from grassroots.connectors.http import ApiClient, ApiError, AuthFailed, QuotaExhausted, error_message
from grassroots.connectors.store import AccountRecord, CommentRecord, PostRecord, mentions_in
from grassroots.creators.models import Platform, PostKind

DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_VERSION = "v21.0"
# Meta throttles at 100 % of these usage figures; stopping at 95 % leaves room for the calls in flight.
USAGE_STOP_PERCENT = 95.0
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80002})
TOKEN_ERROR_CODE = 190
# Business discovery answers 110/2207013 both for personal accounts and for handles that do not exist.
NOT_PROFESSIONAL = (110, 2207013)
MEDIA_FIELDS = "id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count"
PROFILE_FIELDS = "id,username,name,biography,website,followers_count,follows_count,media_count"
COMMENT_FIELDS = "id,text,username,timestamp,like_count"


class GraphError(ApiError):
    """A Graph API error with Meta's code and subcode."""

    def __init__(self, status: int, code: str | int | None, message: str, subcode: int | None = None) -> None:
        super().__init__(status, code, message)
        self.subcode = subcode

    @property
    def not_professional(self) -> bool:
        """The account is personal (or missing): business discovery cannot read it."""
        return (self.code, self.subcode) == NOT_PROFESSIONAL


def usage_percent(headers: Mapping[str, str]) -> float:
    """The highest percentage in ``X-App-Usage`` and ``X-Business-Use-Case-Usage`` (0 when absent)."""
    highest = 0.0
    for name in ("x-app-usage", "x-business-use-case-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        buckets = [data] if name == "x-app-usage" else [b for v in dict(data).values() for b in v]
        for bucket in buckets:
            for key in ("call_count", "total_time", "total_cputime"):
                value = bucket.get(key) if isinstance(bucket, dict) else None
                if isinstance(value, int | float):
                    highest = max(highest, float(value))
    return highest


def _graph_error(response: httpx.Response) -> tuple[int | None, int | None, str]:
    code, message = error_message(response)
    subcode = None
    try:
        err = response.json().get("error", {})
        subcode = err.get("error_subcode")
    except (ValueError, AttributeError):
        pass
    return (int(code) if isinstance(code, int | str) and str(code).isdigit() else None), subcode, message


class Graph:
    """Graph API calls for one token; stops before the next call once usage reaches 95 %."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        version: str = DEFAULT_VERSION,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = ApiClient(
            f"{base_url.rstrip('/')}/{version.strip('/')}",
            params={"access_token": token},
            transport=transport,
            sleep=sleep,
            on_response=self._on_response,
            secrets=(token,),
            official_hosts=("facebook.com",),
        )
        self.near_quota: str | None = None

    def _on_response(self, response: httpx.Response) -> None:
        usage = usage_percent(response.headers)
        if usage >= USAGE_STOP_PERCENT:
            self.near_quota = f"Instagram API usage at {usage:.0f} % of the hourly quota"
        if response.status_code < 400:
            return
        code, subcode, message = _graph_error(response)
        message = self.client.redact(message)
        if code == TOKEN_ERROR_CODE:
            raise AuthFailed(
                response.status_code,
                code,
                f"Instagram rejected the access token ({message}); reconnect with `grassroots connect instagram`",
            )
        if code in RATE_LIMIT_CODES:
            raise QuotaExhausted(response.status_code, code, f"Instagram rate limit reached ({message})")
        if response.status_code < 500 and response.status_code != 429:
            raise GraphError(response.status_code, code, f"Instagram error {code}: {message}", subcode)

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET a Graph node or edge; QuotaExhausted instead of a call once usage is near the limit."""
        if self.near_quota:
            raise QuotaExhausted(0, "usage", f"{self.near_quota}; stopping until the next run")
        data = self.client.get_json(path, params)
        return data if isinstance(data, dict) else {}

    def close(self) -> None:
        """Release connections."""
        self.client.close()


def after_cursor(edge: Mapping[str, Any], limit: int | None = None) -> str | None:
    """The cursor of the next page of an edge, or None at the end.

    Edges say there is more with a ``next`` link. Media nested in business discovery carries cursors but no
    link, so there (pass ``limit``) a full page means there may be more.
    """
    paging = edge.get("paging") or {}
    after = (paging.get("cursors") or {}).get("after")
    full = limit is not None and len(edge.get("data") or []) >= limit
    if after and ("next" in paging or full):
        return str(after)
    return None


def parse_time(value: Any) -> datetime:
    """Graph timestamps look like 2024-05-01T10:00:00+0000."""
    if not isinstance(value, str) or not value:
        raise ValueError("missing timestamp")
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


def media_kind(media: Mapping[str, Any]) -> PostKind:
    """Graph media_type / media_product_type as a PostKind."""
    product = str(media.get("media_product_type") or "").upper()
    kind = str(media.get("media_type") or "").upper()
    if product == "REELS":
        return PostKind.reel
    if product == "STORY":
        return PostKind.story
    return {"IMAGE": PostKind.image, "CAROUSEL_ALBUM": PostKind.carousel, "VIDEO": PostKind.video}.get(
        kind, PostKind.other
    )


def _count(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def post_record(media: Mapping[str, Any], *, extra_mentions: tuple[str, ...] = ()) -> PostRecord:
    """A Graph media object as a PostRecord; ValueError when it lacks an id or a timestamp."""
    media_id = media.get("id")
    if not media_id:
        raise ValueError("media without an id")
    record = PostRecord(
        external_id=str(media_id),
        posted_at=parse_time(media.get("timestamp")),
        kind=media_kind(media),
        caption=str(media.get("caption") or ""),
        likes=_count(media.get("like_count")),  # absent when the owner hides like counts
        comments=_count(media.get("comments_count")),
        url=media.get("permalink"),
    )
    if extra_mentions:
        record.mentions = list(dict.fromkeys([*mentions_in(record.caption), *extra_mentions]))
    return record


def profile_record(profile: Mapping[str, Any]) -> AccountRecord:
    """A Graph IG user (own profile or business_discovery) as an AccountRecord."""
    handle = profile.get("username")
    if not handle:
        raise ValueError("profile without a username")
    return AccountRecord(
        platform=Platform.instagram,
        handle=str(handle),
        external_id=str(profile["id"]) if profile.get("id") else None,
        display_name=profile.get("name") or None,
        bio=profile.get("biography"),
        followers=_count(profile.get("followers_count")),
        following=_count(profile.get("follows_count")),
        posts_count=_count(profile.get("media_count")),
        is_business=True,  # the Graph API only returns professional accounts
        url=profile.get("website") or f"https://www.instagram.com/{handle}/",
    )


def comment_record(comment: Mapping[str, Any], media_id: str) -> CommentRecord:
    """A Graph comment as a CommentRecord; ValueError when incomplete."""
    if not comment.get("id") or not comment.get("username"):
        raise ValueError("comment without an id or author")
    return CommentRecord(
        external_id=str(comment["id"]),
        post_external_id=media_id,
        author_handle=str(comment["username"]),
        text=str(comment.get("text") or ""),
        posted_at=parse_time(comment.get("timestamp")),
        likes=_count(comment.get("like_count")),
    )


def insight_values(body: Mapping[str, Any]) -> dict[str, int]:
    """``{metric: value}`` from a media insights answer (``values[0].value`` or ``total_value.value``)."""
    out: dict[str, int] = {}
    for metric in body.get("data") or []:
        name = metric.get("name")
        values = metric.get("values") or []
        value = values[0].get("value") if values else (metric.get("total_value") or {}).get("value")
        if name and isinstance(value, int):
            out[str(name)] = value
    return out
