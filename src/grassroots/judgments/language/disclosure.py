"""Disclosure compliance of sponsored posts: present, clear and early — or missing, or unclear.

Rules from the FTC Endorsement Guides (16 CFR 255, 2023) and UK ASA/CAP + CMA guidance, as summarised
in shared/connectors/REFERENCE.md: "#ad", "#sponsored", "Paid partnership with …", "Advertisement"
(and "publicité" / "collaboration commerciale" in France) are clear; "#sp", "#spon", "#collab",
"#partner", "#ambassador" and "thanks @brand" are ambiguous on their own; a clear tag buried in a
block of hashtags at the end, or after the point where the caption is cut ("… more"), is not
conspicuous. Gifted product needs disclosure too ("#gifted" is clear for gifts).
"""

from __future__ import annotations

import polars as pl

# Instagram cuts captions at about 125 characters behind "… more"; a label after that is not "before truncation".
VISIBLE_CHARS = 125
CLEAR = (
    r"(?i)(#ad\b|#advert(isement)?\b|#sponsored\b|#paidpartnership\b|#gifted\b|\bpaid partnership\b|"
    r"\badvertisement\b|^\s*ad\b|\bsponsored by\b|\bpublicit[ée]\b|\bcollaboration commerciale\b|"
    r"\bgifted by\b|\b(ad|anzeige|werbung)\s*[|:]\s*)"
)
AMBIGUOUS = (
    r"(?i)(#sp\b|#spon\b|#collab\b|#partner\b|#ambassador\b|#brandpartner\b|\bthanks? (to )?@\w+|\bcollab with @\w+)"
)
TRAILING_TAGS = r"(\s*#\w+){3,}\s*$"


def disclosure(posts: pl.DataFrame) -> pl.DataFrame:
    """Add ``disclosure`` (compliant / missing / unclear / not_needed) and ``disclosure_reason`` per post.

    Needs ``caption`` and ``sponsored`` (the platform flag or the brand's own record of a paid post).
    """
    caption = pl.col("caption").fill_null("")
    first_clear = caption.str.find(CLEAR)
    tail = caption.str.extract(r"((?:\s*#\w+){3,}\s*)$", 1).fill_null("")
    in_tail = tail.str.contains(CLEAR) & ~caption.str.slice(
        0, pl.max_horizontal(caption.str.len_chars() - tail.str.len_chars(), pl.lit(0))
    ).str.contains(CLEAR)
    status = (
        pl.when(~pl.col("sponsored").fill_null(False) & first_clear.is_null() & ~caption.str.contains(AMBIGUOUS))
        .then(pl.lit("not_needed"))
        .when(first_clear.is_null() & caption.str.contains(AMBIGUOUS))
        .then(pl.lit("unclear"))
        .when(first_clear.is_null())
        .then(pl.lit("missing"))
        .when(in_tail | (first_clear > VISIBLE_CHARS))
        .then(pl.lit("unclear"))
        .otherwise(pl.lit("compliant"))
    )
    ambiguous_tag = caption.str.extract(AMBIGUOUS, 1)
    reason = (
        pl.when(status == "not_needed")
        .then(pl.lit("not marked as sponsored and no partnership words"))
        .when(status == "missing")
        .then(pl.lit("sponsored, but no #ad, #sponsored or 'Paid partnership' label anywhere in the caption"))
        .when((status == "unclear") & first_clear.is_null())
        .then(pl.format("only an ambiguous label ('{}'); use #ad or 'Paid partnership' upfront", ambiguous_tag))
        .when((status == "unclear") & in_tail)
        .then(pl.lit("the label is buried in the hashtag block at the end; put it at the start"))
        .when(status == "unclear")
        .then(pl.format("the label first appears at character {}, after the caption is cut ('… more')", first_clear))
        .otherwise(pl.lit("clear label early in the caption"))
    )
    return posts.with_columns(status.alias("disclosure"), reason.alias("disclosure_reason"))
