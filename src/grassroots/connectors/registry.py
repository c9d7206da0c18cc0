"""Every provider's connector, by name: importing this module registers them all (``@register`` in each).

One import line per source subpackage, kept in alphabetical order; a new source adds its line here.
"""

from __future__ import annotations

from grassroots.connectors.base import REGISTRY, Connector
from grassroots.connectors.instagram import connector as instagram
from grassroots.connectors.shopify import connector as shopify
from grassroots.connectors.tiktok import connector as tiktok
from grassroots.connectors.woocommerce import connector as woocommerce
from grassroots.connectors.youtube import connector as youtube
from grassroots.errors import NotFound

SOURCES = (instagram, shopify, tiktok, woocommerce, youtube)


class UnknownProvider(NotFound):
    """No connector is registered under that name."""


def providers() -> list[str]:
    """Every registered provider, alphabetically."""
    return sorted(REGISTRY)


def connector_for(provider: str) -> type[Connector]:
    """The connector class for a provider name, or UnknownProvider listing the known ones."""
    try:
        return REGISTRY[provider]
    except KeyError:
        known = ", ".join(providers()) or "none"
        raise UnknownProvider(f"unknown provider {provider!r}; known providers: {known}") from None
