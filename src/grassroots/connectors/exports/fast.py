"""Fast mapping of the common, well-formed post items of Apify TikTok and Instagram post exports.

:func:`map_tiktok` and :func:`map_instagram` (exports_map) read any item through generic helpers: a value is
dispatched to a parser, counts go through a float round trip, every field is checked for every kind of oddity.
Scraper exports are machine-written and almost every item has the same shape — ints for counts, strings for
texts, ``null`` or absent for unknowns — so the mappers here handle exactly that shape inline and give up (return
None) on anything else: an error item, a handle that needs normalising, a count written as text or out of range,
a missing date… The caller then maps the item with the row mapper, which reports it by line as before. What these
return is therefore always what the row mappers return for the same item (tests/connectors/test_exports.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from grassroots.connectors.exports import values as v
from grassroots.connectors.exports.mapping import ExportRow, map_instagram, map_tiktok
from grassroots.creators.models import Platform, PostKind
from grassroots.creators.schemas import http_url

_MAX = v.MAX_COUNT
_TIKTOK = Platform.tiktok.value
_INSTAGRAM = Platform.instagram.value
_VIDEO = PostKind.video
_IG_KINDS = {"Image": PostKind.image, "Sidecar": PostKind.carousel, "Video": PostKind.video}
_TT_TEXTS = (("display_name", "nickName", 200), ("bio", "signature", 2000), ("external_id", "id", 100),
             ("url", "profileUrl", 500))  # fmt: skip
_TT_COUNTS = (("followers", "fans"), ("following", "following"), ("posts_count", "video"))


class _Odd(Exception):
    """The item is not of the common shape: the row mapper reads it."""


def _number(value: Any) -> int:
    """``exports_values.count`` of an int or of plain digits (a CSV cell) in range; anything else is odd."""
    if type(value) is int:
        if 0 <= value <= _MAX:
            return value
    elif type(value) is str and value.isascii() and value.isdigit():
        number = int(value)  # equal to count's round(float(value)) below 2**53
        if number <= _MAX:
            return number
    raise _Odd


def _count(value: Any) -> int | None:
    """``exports_values.hidden_count``: -1 is hidden (None), as is an absent count."""
    if value is None or value == -1 or value == "-1":
        return None
    return _number(value)


def _flag(value: Any) -> bool | None:
    """``exports_values.boolean`` of JSON true/false/null or of text (CSV); what it rejects is odd."""
    if value is None or type(value) is bool:
        return value
    if type(value) is str:
        try:
            return v.boolean(value)
        except ValueError:
            raise _Odd from None
    raise _Odd


def _words(value: Any) -> list[str]:
    """``exports_values.words`` for the common shapes: absent, a list of strings or of {"name": …} objects."""
    if value is None:
        return []
    if type(value) is not list:
        raise _Odd
    out = []
    for item in value:
        if type(item) is dict:
            word = item.get("name", "")
            if type(word) is not str:
                raise _Odd
        elif type(item) is str:
            word = item
        else:
            raise _Odd
        word = word.strip().lstrip("#@")
        if word:
            out.append(word.lower())
    return out


def _when(value: Any) -> datetime:
    """``exports_values.timestamp`` of text or an int (not a bool); what it cannot read is odd."""
    if type(value) is str or type(value) is int:
        try:
            return v.timestamp(value)
        except ValueError:
            raise _Odd from None
    raise _Odd


@lru_cache(maxsize=1 << 16)
def _clean_handle(value: str) -> str | None:
    try:
        return v.handle_from_text(value)
    except ValueError:
        return None


def _handle(value: Any) -> str:
    """``exports_map._handle`` of a non-empty string (an author's videos repeat it: cached)."""
    handle = _clean_handle(value) if type(value) is str and value else None
    if handle is None:
        raise _Odd
    return handle


def _text(value: Any, limit: int) -> str | None:
    """``exports_map._text`` for strings; None for absent or blank."""
    if value is None or value == "":
        return None
    if type(value) is not str:
        raise _Odd
    return value[:limit]


def _tiktok(line: int, item: Any) -> ExportRow:
    if type(item) is not dict or item.get("error"):
        raise _Odd
    author = item.get("authorMeta")
    if type(author) is not dict:
        raise _Odd
    handle = _handle(author.get("name"))
    account: dict[str, Any] = {}
    get = author.get
    for column, key, limit in _TT_TEXTS:
        text = _text(http_url(get(key)) if column == "url" else get(key), limit)
        if text is not None:
            account[column] = text
    for column, key in _TT_COUNTS:
        number = get(key)
        if number is not None and number != "":
            account[column] = _number(number)
    verified = _flag(get("verified"))
    if verified is not None:
        account["verified"] = verified
    account.setdefault("url", f"https://www.tiktok.com/@{handle}")
    row = ExportRow(line, _TIKTOK, handle, account)
    external_id = item.get("id")
    if external_id:
        if type(external_id) is not str:
            raise _Odd
        caption = item.get("text")
        mentions = item.get("mentions")
        row.posts.append({
            "external_id": external_id[:100],
            "kind": _VIDEO,
            "caption": _text(caption, 1 << 62) or "",
            "hashtags": _words(item.get("hashtags")),
            "mentions": [] if mentions is None else _words(mentions),
            "sponsored": bool(_flag(item.get("isAd")) or _flag(item.get("isSponsored"))),
            "likes": _count(item.get("diggCount")),
            "comments": _count(item.get("commentCount")),
            "views": _count(item.get("playCount")),
            "shares": _count(item.get("shareCount")),
            "saves": _count(item.get("collectCount")),
            "posted_at": _when(item.get("createTimeISO") or item.get("createTime")),
            "url": _text(http_url(item.get("webVideoUrl")), 500),
        })  # fmt: skip
    return row


def _instagram(line: int, item: Any) -> ExportRow:
    """A post item (``ownerUsername``, no ``followersCount``); profile items are left to the row mapper."""
    if type(item) is not dict or item.get("error") or item.get("followersCount"):
        raise _Odd
    handle = _handle(item.get("ownerUsername"))
    external_id = item.get("id")
    if not external_id or type(external_id) is not str:
        raise _Odd
    kind_name = item.get("type")
    kind = _IG_KINDS.get(kind_name) if type(kind_name) is str else None
    if kind is None:
        raise _Odd
    product = item.get("productType")
    if kind is PostKind.video and product is not None:
        if type(product) is not str:
            raise _Odd
        if product.lower() == "clips":
            kind = PostKind.reel
    account: dict[str, Any] = {}
    name = _text(item.get("ownerFullName"), 200)
    if name is not None:
        account["display_name"] = name
    owner_id = _text(item.get("ownerId"), 100)
    if owner_id is not None:
        account["external_id"] = owner_id
    url = item.get("url")
    if not url:
        raise _Odd
    views = _count(item.get("videoPlayCount")) or _count(item.get("videoViewCount"))
    post = {
        "external_id": external_id[:100],
        "kind": kind,
        "caption": _text(item.get("caption"), 1 << 62) or "",
        "hashtags": _words(item.get("hashtags")),
        "mentions": _words(item.get("mentions")),
        "sponsored": bool(_flag(item.get("isSponsored"))),
        "likes": _count(item.get("likesCount")),
        "comments": _count(item.get("commentsCount")),
        "views": views,
        "posted_at": _when(item.get("timestamp")),
        "url": _text(http_url(url), 500),
    }
    return ExportRow(line, _INSTAGRAM, handle, account, [post])


def _with_fallback(fast: Callable[[int, Any], ExportRow], slow: Callable[[int, Any], ExportRow]) -> Any:
    def mapper(line: int, item: Any) -> ExportRow:
        try:
            return fast(line, item)
        except _Odd:
            return slow(line, item)

    return mapper


fast_tiktok: Callable[[int, Any], ExportRow] = _with_fallback(_tiktok, map_tiktok)
fast_instagram: Callable[[int, Any], ExportRow] = _with_fallback(_instagram, map_instagram)
