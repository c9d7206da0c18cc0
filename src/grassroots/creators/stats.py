"""Engagement arithmetic shared by lists, profiles and imports (vetting refines it later)."""

from __future__ import annotations

from collections.abc import Iterable
from statistics import median

from grassroots.creators.models import PostKind

VIDEO_KINDS = {PostKind.video, PostKind.reel, PostKind.short}
RECENT_POSTS = 12


def post_engagement(kind: PostKind, likes: int, comments: int, views: int | None, followers: int) -> float | None:
    """Likes plus comments over followers for feed posts, over views for video (None if undefined)."""
    denominator = views if kind in VIDEO_KINDS and views else followers
    if not denominator:
        return None
    return (likes + comments) / denominator


def median_engagement(rates: Iterable[float | None]) -> float:
    """Median of the defined per-post rates; 0 when there are none."""
    values = [r for r in rates if r is not None]
    return float(median(values)) if values else 0.0
