"""Creator-authorised OAuth: a creator connects their own account so the brand sees verified figures."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from grassroots.connectors.creator_auth.base import CreatorAuthProvider
from grassroots.connectors.creator_auth.instagram import InstagramCreatorAuth
from grassroots.connectors.creator_auth.tiktok import TikTokCreatorAuth
from grassroots.connectors.creator_auth.youtube import YouTubeCreatorAuth
from grassroots.errors import NotFound

PROVIDERS: dict[str, type[CreatorAuthProvider]] = {
    p.platform: p for p in (InstagramCreatorAuth, TikTokCreatorAuth, YouTubeCreatorAuth)
}
PLATFORMS = tuple(PROVIDERS)


def provider_for(
    platform: str, urls: Mapping[str, str] | None = None, transport: httpx.BaseTransport | None = None
) -> CreatorAuthProvider:
    """The provider of a platform name, with the operator's endpoint overrides."""
    try:
        return PROVIDERS[platform](urls, transport)
    except KeyError:
        raise NotFound(f"creators cannot connect {platform!r} (known: {', '.join(PLATFORMS)})") from None
