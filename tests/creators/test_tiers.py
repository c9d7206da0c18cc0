"""Tiers derive from followers with bounds from settings."""

from grassroots.config import Settings
from grassroots.creators.tiers import Tier, tier_for, tier_range


def test_tier_boundaries_follow_settings() -> None:
    s = Settings(tier_nano_min=2_000, tier_micro_min=10_000, tier_macro_min=100_000, tier_mega_min=1_000_000)
    assert tier_for(900, s) is Tier.micro_micro
    assert tier_for(1_999, s) is Tier.micro_micro
    assert tier_for(2_000, s) is Tier.nano
    assert tier_for(9_999, s) is Tier.nano
    assert tier_for(10_000, s) is Tier.micro
    assert tier_for(100_000, s) is Tier.macro
    assert tier_for(5_000_000, s) is Tier.mega


def test_narrower_micro_tier_from_settings() -> None:
    s = Settings(tier_macro_min=50_000)
    assert tier_for(60_000, s) is Tier.macro
    assert tier_range(Tier.micro, s) == (10_000, 50_000)
    assert tier_range(Tier.mega, s) == (1_000_000, None)
