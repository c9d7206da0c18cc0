"""Tiers are derived from follower counts; the bounds live in settings, not here."""

from __future__ import annotations

import enum

from grassroots.config import Settings, get_settings


class Tier(enum.StrEnum):
    """Creator size classes, smallest first."""

    micro_micro = "micro-micro"
    nano = "nano"
    micro = "micro"
    macro = "macro"
    mega = "mega"

    @property
    def label(self) -> str:
        """Human label, e.g. 'Micro-micro'."""
        return self.value.capitalize()


def _lower_bounds(settings: Settings) -> list[tuple[Tier, int]]:
    return [
        (Tier.micro_micro, 0),
        (Tier.nano, settings.tier_nano_min),
        (Tier.micro, settings.tier_micro_min),
        (Tier.macro, settings.tier_macro_min),
        (Tier.mega, settings.tier_mega_min),
    ]


def tier_for(followers: int, settings: Settings | None = None) -> Tier:
    """The tier of an account with this many followers."""
    result = Tier.micro_micro
    for tier, low in _lower_bounds(settings or get_settings()):
        if followers >= low:
            result = tier
    return result


def tier_range(tier: Tier, settings: Settings | None = None) -> tuple[int, int | None]:
    """Inclusive lower and exclusive upper follower bound of a tier (None = unbounded)."""
    bounds = _lower_bounds(settings or get_settings())
    index = [t for t, _ in bounds].index(tier)
    upper = bounds[index + 1][1] if index + 1 < len(bounds) else None
    return bounds[index][1], upper


def describe_tiers(settings: Settings | None = None) -> list[tuple[Tier, str]]:
    """Each tier with its follower range in words, for help text and filters."""
    out = []
    for tier in Tier:
        low, high = tier_range(tier, settings)
        out.append((tier, f"{low:,}+" if high is None else f"{low:,}–{high - 1:,}"))
    return out
