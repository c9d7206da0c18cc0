"""Parsing the values found in exports: counts like "12.5K", rates like "3.2%", timestamps, booleans, handles."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from grassroots.creators.models import Platform
from grassroots.creators.schemas import normalise_handle

_SUFFIX = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_TRUE = {"1", "true", "yes", "y", "t", "verified"}
_FALSE = {"0", "false", "no", "n", "f", ""}
_HOSTS = {
    "instagram.com": Platform.instagram,
    "tiktok.com": Platform.tiktok,
    "youtube.com": Platform.youtube,
    "youtu.be": Platform.youtube,
}
_PLATFORM_WORDS = {
    "instagram": Platform.instagram,
    "ig": Platform.instagram,
    "insta": Platform.instagram,
    "tiktok": Platform.tiktok,
    "tik tok": Platform.tiktok,
    "tt": Platform.tiktok,
    "youtube": Platform.youtube,
    "yt": Platform.youtube,
}
MAX_COUNT = 5_000_000_000


def count(value: Any) -> int | None:
    """A non-negative whole number from 1234, "1,234", "12.5K" or "1.2M"; None when blank."""
    if type(value) is int and 0 <= value <= MAX_COUNT:  # what scrapers write: skips the float round trip
        return value
    if value is None or value == "" or isinstance(value, bool):
        return None
    if (isinstance(value, str) and value.isdigit()) or isinstance(value, int):
        number = float(value)
    elif isinstance(value, float):
        number = value
    else:
        text = str(value).strip().replace(",", "").replace("_", "").replace(" ", "").lower()
        if not text:
            return None
        scale = _SUFFIX.get(text[-1], 1)
        try:
            number = float(text[:-1] if scale > 1 else text) * scale
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
    if number < 0 or number > MAX_COUNT or number != number:
        raise ValueError(f"{value!r} is out of range")
    return round(number)


def hidden_count(value: Any) -> int | None:
    """Like :func:`count`, but the -1 scrapers write for a hidden count reads as unknown."""
    if value in (-1, "-1"):
        return None
    return count(value)


def rate(value: Any) -> float | None:
    """An engagement rate as a fraction: "3.2%" and 3.2 are percents, 0.032 is already a fraction."""
    if value is None or value == "":
        return None
    text = str(value).strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%").strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a rate") from None
    if number < 0 or number != number:
        raise ValueError(f"{value!r} is out of range")
    # A bare number above 1 can only be a percent; below 1 it is read as a fraction (documented).
    return number / 100 if percent or number > 1 else number


def boolean(value: Any) -> bool | None:
    """true/false, yes/no, 1/0; None when blank."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return None if text == "" else False
    raise ValueError(f"{value!r} is not true/false")


def timestamp(value: Any) -> datetime:
    """A UTC datetime from ISO 8601 text or Unix seconds (milliseconds when the number is that large)."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        seconds = float(value)
        if seconds > 1e12:
            seconds /= 1000
        return datetime.fromtimestamp(seconds, UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("no date")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{value!r} is not a date") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@lru_cache(maxsize=4096)
def platform_from_text(value: str) -> Platform | None:
    """instagram/IG/TikTok/YT… or a profile URL → Platform; None when it says nothing."""
    text = value.strip().lower()
    if not text:
        return None
    if text in _PLATFORM_WORDS:
        return _PLATFORM_WORDS[text]
    if "/" in text or "." in text:
        host = urlparse(text if "//" in text else f"https://{text}").hostname or ""
        for suffix, platform in _HOSTS.items():
            if host == suffix or host.endswith("." + suffix):
                return platform
    try:
        return Platform(text)
    except ValueError:
        return None


def handle_from_text(value: str) -> str:
    """A normalised handle from "@ana", "ana" or a profile URL (instagram.com/ana, tiktok.com/@ana)."""
    text = value.strip()
    if "/" in text:
        path = urlparse(text if "//" in text else f"https://{text}").path
        parts = [p for p in path.split("/") if p and p not in {"c", "user", "channel"}]
        if not parts:
            raise ValueError(f"no handle in {value!r}")
        text = parts[0]
    return normalise_handle(text)


def words(value: Any) -> list[str]:
    """A list of tags from a list of strings, a list of {"name": …} objects, or comma/space separated text."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        value = [value[k] for k in sorted(value)]
    if isinstance(value, list):
        out = [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
    else:
        out = re.split(r"[\s,]+", str(value))
    cleaned = (w.strip().lstrip("#@") for w in out)
    return [w.lower() for w in cleaned if w]
