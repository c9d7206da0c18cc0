"""UTM parameters from a landing URL (pure; no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


@dataclass(frozen=True, slots=True)
class Utm:
    """The four UTM parameters attribution reads; None when absent."""

    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    content: str | None = None


NO_UTM = Utm()


def parse_utm(landing_site: str | None) -> Utm:
    """UTM values from a landing site (a path or full URL with its query string), lower-cased and trimmed.

    Shopify's ``landing_site`` is the path plus query ("/products/x?utm_source=instagram&…"), so parse leniently.
    """
    if not landing_site or "utm_" not in landing_site:
        return NO_UTM
    query = urlsplit(landing_site.strip()).query
    values = parse_qs(query, keep_blank_values=False)

    def first(key: str) -> str | None:
        found = values.get(key)
        return found[0].strip().lower()[:200] or None if found else None

    return Utm(*(first(key) for key in UTM_KEYS))
