"""Sponsored-post detection: the fast word prefilter finds exactly what the disclosure pattern finds."""

import polars as pl

from grassroots.judgments.vetting.sponsorship import SPONSOR_PATTERN, caption_mentions_sponsor

CAPTIONS = [
    "Morning run by the river #running #fitness",
    "#AD my favourite serum from @glowlab",
    "#Advert: new season, new trainers",
    "In Partnership With @oatly, recipe below",
    "Use my CODE ANA10 for 10% off",
    "Use code ana for 15 % off everything",
    "#gifted by @brand, thoughts next week",
    "#sp #collab with friends",
    "#Spons post",
    "sponsored by nobody, just love this café",
    "the code of conduct for trail runners",  # has a word from the list, not the pattern
    "#adventure time in the alps",  # "#ad" inside a longer tag: the pattern wants a word boundary
    "#ſponsored, the long s folds to s",
    "Paid partnership with @x",
    None,
    "",
]


def test_prefilter_then_pattern_equals_the_pattern_alone() -> None:
    captions = pl.Series("caption", CAPTIONS)
    expected = captions.fill_null("").str.contains(SPONSOR_PATTERN)
    found = caption_mentions_sponsor(captions)
    assert found.to_list() == expected.to_list()
    assert 0 < found.sum() < len(CAPTIONS) - 3


def test_no_caption_with_a_sponsor_word() -> None:
    assert caption_mentions_sponsor(pl.Series(["sunset", None])).to_list() == [False, False]
