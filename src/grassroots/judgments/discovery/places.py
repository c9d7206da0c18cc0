"""Places: one country however it is written ("UK", "United Kingdom", "GB", "Britain", "England"), and a city.

Countries come from ISO 3166 (pycountry) plus the everyday names people type that ISO does not list.
A free-text location such as "Leeds, UK" or "Berlin, Germany" is split into a city and a country code.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

from grassroots.judgments.discovery.text import fold

# Everyday names and codes that are not ISO names: what people type into a location box.
ALIASES = {
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "usa": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
    "united states of america": "US", "the netherlands": "NL", "holland": "NL", "russia": "RU",
    "south korea": "KR", "korea": "KR", "czechia": "CZ", "czech republic": "CZ", "vietnam": "VN",
    "uae": "AE", "turkey": "TR", "iran": "IR", "taiwan": "TW", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "syria": "SY", "laos": "LA", "moldova": "MD", "deutschland": "DE", "espana": "ES",
    "españa": "ES", "italia": "IT", "brasil": "BR", "suisse": "CH", "schweiz": "CH", "nz": "NZ",
}  # fmt: skip


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name, alias or code; None when it is not a country."""
    key = fold(text).strip().strip(".")
    if not key:
        return None
    if key in ALIASES:
        return ALIASES[key]
    try:
        found = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(found.alpha_2)


def country_name(code: str) -> str:
    """The common English name of a country code ("GB" -> "United Kingdom")."""
    found = pycountry.countries.get(alpha_2=code.upper())
    if found is None:
        return code.upper()
    return str(getattr(found, "common_name", None) or found.name)


def split_location(location: str | None) -> tuple[str | None, str | None]:
    """(city, country code) from a free-text location: "Leeds, UK" -> ("leeds", "GB")."""
    if not location or not location.strip():
        return None, None
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts:
        return None, None
    country = country_code(parts[-1])
    if country is not None:
        city = fold(parts[0]) if len(parts) > 1 else None
        return city, country
    # One part that is not a country: a city on its own ("Lisbon"), or a country written another way.
    return fold(parts[0]), None
