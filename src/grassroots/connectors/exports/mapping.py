"""Map one item of a scraper export or a creator list to the columns of an account and its posts (pure).

Field names are those of the Apify Instagram profile/post scrapers (``username``, ``followersCount``,
``latestPosts[]``; ``ownerUsername``, ``likesCount``, ``videoPlayCount``…) and the Apify TikTok scraper
(``authorMeta.name``, ``authorMeta.fans``, ``diggCount``, ``playCount``, ``createTimeISO``…). Creator lists from
other tools (Modash-, Upfluence-, HypeAuditor-like CSVs) are mapped by header synonyms; unknown headers are
reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from grassroots.connectors.exports import values as v
from grassroots.creators.models import Platform, PostKind
from grassroots.creators.schemas import http_url


@dataclass(slots=True)
class ExportRow:
    """One account read from an export: the columns it gives (absent = unknown, kept as stored) and its posts."""

    line: int
    platform: str
    handle: str
    account: dict[str, Any] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    creator_name: str | None = None
    email: str | None = None
    # Posts of an otherwise good row that could not be read: reported, the rest of the row is kept.
    problems: list[str] = field(default_factory=list)


class BadRow(ValueError):
    """The row cannot be imported; the message says why."""


def _text(value: Any, limit: int) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:limit]


def _error_of(item: dict[str, Any]) -> None:
    # Apify writes an item per input it could not scrape (private, missing, blocked): {"error": …}.
    if item.get("error"):
        detail = item.get("errorDescription") or item.get("error")
        raise BadRow(f"the scraper reported an error for this item: {str(detail)[:200]}")


def _handle(value: Any, what: str) -> str:
    if not value:
        raise BadRow(f"no {what}")
    try:
        return v.handle_from_text(str(value))
    except ValueError as exc:
        raise BadRow(f"{what}: {exc}") from None


_PARSE: dict[str, Any] = {"followers": v.count, "following": v.count, "posts_count": v.count,
                          "engagement_rate": v.rate, "verified": v.boolean, "is_business": v.boolean}  # fmt: skip
_LIMITS = {"display_name": 200, "bio": 2000, "location": 200, "language": 20, "external_id": 100, "url": 500}
_IG_PROFILE = {"display_name": "fullName", "bio": "biography", "followers": "followersCount", "following": "followsCount",
               "posts_count": "postsCount", "verified": "verified", "is_business": "isBusinessAccount",
               "external_id": "id", "url": "url"}  # fmt: skip
_TT_AUTHOR = {"display_name": "nickName", "bio": "signature", "followers": "fans", "following": "following",
              "posts_count": "video", "verified": "verified", "external_id": "id", "url": "profileUrl"}  # fmt: skip


def _fill(row: ExportRow, source: dict[str, Any], names: dict[str, str]) -> None:
    """Account columns from ``source[names[column]]``: parsed counts, rates and flags, cut texts; blanks skipped."""
    for column, key in names.items():
        value = source.get(key)
        if value is None or value == "":
            continue
        try:
            parsed = _PARSE[column](value) if column in _PARSE else _text(value, _LIMITS[column])
            if column == "url":
                parsed = http_url(parsed)
        except ValueError as exc:
            raise BadRow(f"{key}: {exc}") from None
        if parsed is not None:
            row.account[column] = parsed


# ---------- Instagram (Apify profile scraper and post scraper) ----------

_IG_KINDS = {"image": PostKind.image, "graphimage": PostKind.image, "sidecar": PostKind.carousel,
             "graphsidecar": PostKind.carousel, "video": PostKind.video, "graphvideo": PostKind.video}  # fmt: skip


def _instagram_post(post: dict[str, Any]) -> dict[str, Any]:
    external_id = post.get("id") or post.get("shortCode")
    if not external_id:
        raise ValueError("post has no id")
    kind = _IG_KINDS.get(str(post.get("type", "")).lower(), PostKind.other)
    if kind is PostKind.video and str(post.get("productType", "")).lower() == "clips":
        kind = PostKind.reel
    views = v.hidden_count(post.get("videoPlayCount")) or v.hidden_count(post.get("videoViewCount"))
    url = post.get("url") or (f"https://www.instagram.com/p/{post['shortCode']}/" if post.get("shortCode") else None)
    return {
        "external_id": str(external_id)[:100],
        "kind": kind,
        "caption": str(post.get("caption") or ""),
        "hashtags": v.words(post.get("hashtags")),
        "mentions": v.words(post.get("mentions")),
        "sponsored": bool(v.boolean(post.get("isSponsored"))),
        "likes": v.hidden_count(post.get("likesCount")),  # hidden: None keeps the stored count (0 when new)
        "comments": v.hidden_count(post.get("commentsCount")),
        "views": views,
        "posted_at": v.timestamp(post.get("timestamp")),
        "url": _text(http_url(url), 500),
    }


def map_instagram(line: int, item: Any) -> ExportRow:
    """An Apify Instagram profile item (``username`` + ``latestPosts``) or post item (``ownerUsername``)."""
    if not isinstance(item, dict):
        raise BadRow("item is not an object")
    _error_of(item)
    if item.get("ownerUsername") and not item.get("followersCount"):
        row = ExportRow(line, Platform.instagram.value, _handle(item["ownerUsername"], "ownerUsername"))
        _fill(row, item, {"display_name": "ownerFullName", "external_id": "ownerId"})
        posts = [item]
    else:
        handle = _handle(item.get("username"), "username")
        row = ExportRow(line, Platform.instagram.value, handle)
        _fill(row, item, _IG_PROFILE)
        row.account.setdefault("url", f"https://www.instagram.com/{handle}/")
        posts = item.get("latestPosts") or []
    _add_posts(row, posts, _instagram_post)
    return row


def _add_posts(row: ExportRow, posts: Any, mapper: Any) -> None:
    if not isinstance(posts, list):
        row.problems.append("posts are not a list")
        return
    for position, post in enumerate(posts, 1):
        try:
            if not isinstance(post, dict):
                raise ValueError("post is not an object")
            row.posts.append(mapper(post))
        except ValueError as exc:
            row.problems.append(f"post {position} skipped: {exc}")


# ---------- TikTok (Apify TikTok scraper: one item per video) ----------


def _tiktok_post(item: dict[str, Any]) -> dict[str, Any]:
    if not item.get("id"):
        raise ValueError("video has no id")
    when = item.get("createTimeISO") or item.get("createTime")
    return {
        "external_id": str(item["id"])[:100],
        "kind": PostKind.video,
        "caption": str(item.get("text") or ""),
        "hashtags": v.words(item.get("hashtags")),
        "mentions": v.words(item.get("mentions")),
        "sponsored": bool(v.boolean(item.get("isAd")) or v.boolean(item.get("isSponsored"))),
        "likes": v.hidden_count(item.get("diggCount")),
        "comments": v.hidden_count(item.get("commentCount")),
        "views": v.hidden_count(item.get("playCount")),
        "shares": v.hidden_count(item.get("shareCount")),
        "saves": v.hidden_count(item.get("collectCount")),
        "posted_at": v.timestamp(when),
        "url": _text(http_url(item.get("webVideoUrl")), 500),
    }


def map_tiktok(line: int, item: Any) -> ExportRow:
    """An Apify TikTok scraper item: the video with its author in ``authorMeta``."""
    if not isinstance(item, dict):
        raise BadRow("item is not an object")
    _error_of(item)
    author = item.get("authorMeta")
    if not isinstance(author, dict):
        raise BadRow("no authorMeta")
    handle = _handle(author.get("name") or author.get("uniqueId"), "authorMeta.name")
    row = ExportRow(line, Platform.tiktok.value, handle)
    _fill(row, author, _TT_AUTHOR)
    row.account.setdefault("url", f"https://www.tiktok.com/@{handle}")
    if item.get("id"):
        _add_posts(row, [item], _tiktok_post)
    return row


# ---------- creator lists from other tools ----------

SYNONYMS: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "username", "user name", "instagram handle", "tiktok handle", "youtube handle",
               "ig handle", "instagram username", "tiktok username", "account", "creator handle",
               "influencer handle", "screen name", "social handle"),
    "followers": ("followers", "follower count", "followers count", "followers number", "subscribers",
                  "subscriber count", "audience size", "fans", "audience", "reach"),
    "engagement_rate": ("er", "er %", "engagement rate", "engagement rate %", "engagement", "avg engagement rate",
                        "average engagement rate", "engagement %"),
    "platform": ("platform", "network", "social network", "social platform", "channel type"),
    "display_name": ("name", "full name", "fullname", "display name", "influencer name", "creator name",
                     "influencer", "nickname"),
    "creator": ("creator", "person", "talent"),
    "url": ("url", "profile url", "profile link", "link", "instagram url", "tiktok url", "youtube url",
            "channel url", "profile"),
    "email": ("email", "e mail", "email address", "contact email", "public email"),
    "location": ("location", "country", "city", "geo", "region"),
    "language": ("language", "lang", "languages"),
    "bio": ("bio", "biography", "description", "about"),
    "following": ("following", "follows", "followings", "following count"),
    "posts_count": ("posts", "posts count", "post count", "media count", "number of posts", "videos", "uploads"),
    "verified": ("verified", "is verified"),
    "external_id": ("external id", "user id", "platform id", "account id", "channel id", "id"),
}  # fmt: skip
_LOOKUP = {name: column for column, names in SYNONYMS.items() for name in names}


def normalise_header(header: str) -> str:
    """Case, punctuation and underscores do not matter: "Follower_Count" ≡ "follower count"."""
    return re.sub(r"[^a-z0-9%]+", " ", header.lower()).strip()


def map_headers(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """Header as written → our column, and the headers nothing maps to (reported to the user)."""
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    taken: set[str] = set()
    for header in headers:
        column = _LOOKUP.get(normalise_header(header))
        if column is None or column in taken:
            unmapped.append(header)
            continue
        mapping[header] = column
        taken.add(column)
    return mapping, unmapped


_LIST_COLUMNS = {name: name for name in (*_PARSE, *_LIMITS) if name != "is_business"}


def map_creator_row(line: int, raw: dict[str, str], mapping: dict[str, str], default: Platform | None) -> ExportRow:
    """One row of a creator list, through the header mapping; ``default`` platform when the row names none."""
    data = {column: (raw.get(header) or "").strip() for header, column in mapping.items()}
    handle_text = data.get("handle") or data.get("url") or ""
    named = data.get("platform", "")
    platform = v.platform_from_text(named) if named else None
    if named and platform is None:
        raise BadRow(f"unknown platform {named!r}")
    platform = platform or v.platform_from_text(data.get("url", "")) or v.platform_from_text(handle_text) or default
    if platform is None:
        raise BadRow("no platform: add a platform column or profile URLs, or pass --platform")
    row = ExportRow(line, platform.value, _handle(handle_text, "handle"))
    _fill(row, data, _LIST_COLUMNS)
    row.creator_name = _text(data.get("creator"), 200)
    row.email = _text(data.get("email"), 320)
    return row
