"""Disclosure checks follow the FTC/ASA rules: clear and early, or flagged with the reason."""

import polars as pl

from grassroots.judgments.language.disclosure import disclosure


def _check(caption: str, sponsored: bool = True) -> tuple[str, str]:
    row = disclosure(pl.DataFrame({"caption": [caption], "sponsored": [sponsored]})).row(0, named=True)
    return row["disclosure"], row["disclosure_reason"]


def test_clear_label_at_the_start_is_compliant() -> None:
    assert _check("#ad My new favourite serum from @glowco, code ANA10 for 10% off")[0] == "compliant"
    assert _check("Paid partnership with @glowco: three weeks with this serum")[0] == "compliant"
    assert _check("AD | trying the new running shoes from @fleet")[0] == "compliant"
    assert _check("Publicité - ma routine du soir avec @glowco")[0] == "compliant"


def test_missing_label_on_a_sponsored_post() -> None:
    status, reason = _check("Obsessed with this serum from @glowco, use code ANA10!")
    assert status == "missing" and "no #ad" in reason


def test_ambiguous_tags_are_unclear() -> None:
    status, reason = _check("Loving my new serum, thanks @glowco! #sp")
    assert status == "unclear" and "ambiguous" in reason
    assert _check("New drop with my faves #collab #skincare")[0] == "unclear"


def test_label_buried_in_trailing_hashtags_is_unclear() -> None:
    status, reason = _check("Morning routine with the new serum from @glowco #skincare #glow #routine #ad #selfcare")
    assert status == "unclear" and "buried" in reason


def test_label_after_the_cut_is_unclear() -> None:
    caption = "So I have been testing this for a month and honestly my skin has never felt better, " * 2 + "#ad"
    status, reason = _check(caption + " love it")
    assert status == "unclear" and "after the caption is cut" in reason


def test_organic_posts_need_nothing() -> None:
    assert _check("Sunday hike with the dog #nature", sponsored=False)[0] == "not_needed"
    # An unflagged post that reads like a deal is still judged: brands often forget the flag.
    assert _check("thanks @glowco for the goodies! #gifted", sponsored=False)[0] == "compliant"
