"""Audience overlap: how many engaged commenters two creators share, so a brand does not pay twice for the same people.

A creator's engaged audience is the set of distinct people (lowercased handles) who commented on their posts,
without the creator's own replies. For two creators A and B:

    overlap = |A ∩ B| / min(|A|, |B|)   the share of the smaller audience the other one also reaches
    jaccard = |A ∩ B| / |A ∪ B|         the share of everyone the two reach together that both reach

Overlap answers the buying question ("would booking both reach anyone new?"): a nano creator whose every
commenter also comments on a micro creator adds nobody, even though their Jaccard is small. Pure functions
over Polars frames (no I/O).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

ENGAGED: dict[str, pl.DataType] = {"creator_id": pl.Int64(), "commenter": pl.String()}
MATRIX: dict[str, pl.DataType] = {
    "a": pl.Int64(), "b": pl.Int64(), "shared": pl.Int64(), "audience_a": pl.Int64(), "audience_b": pl.Int64(),
    "overlap": pl.Float64(), "jaccard": pl.Float64(),
}  # fmt: skip
TOP_PAIRS = 20


def engaged_commenters(comments: pl.DataFrame, own: pl.DataFrame, exclude: Sequence[str] = ()) -> pl.DataFrame:
    """Distinct (creator_id, commenter) from comments [creator_id, author_handle].

    ``own`` [creator_id, handle] holds each creator's handles: their replies under their own posts are not audience.
    ``exclude`` drops handles everywhere (the brand replying under every sponsored post would look like overlap).
    """
    handle = pl.col("author_handle").str.strip_chars("@ ").str.to_lowercase()
    mine = own.select(pl.col("creator_id").cast(pl.Int64), commenter=pl.col("handle").str.to_lowercase(), own=True)
    skip = [h.strip().lstrip("@").lower() for h in exclude]
    return (
        comments.select(pl.col("creator_id").cast(pl.Int64), commenter=handle)
        .filter((pl.col("commenter") != "") & ~pl.col("commenter").is_in(skip))
        .unique()
        .join(mine.unique(), on=["creator_id", "commenter"], how="left")
        .filter(pl.col("own").is_null())
        .select("creator_id", "commenter")
        .sort("creator_id", "commenter")
    )


def _pair_counts(engaged: pl.DataFrame) -> pl.DataFrame:
    """Shared commenters of each pair a < b that shares at least one."""
    return (
        engaged.join(engaged, on="commenter", suffix="_b")
        .filter(pl.col("creator_id") < pl.col("creator_id_b"))
        .group_by(a="creator_id", b="creator_id_b")
        .agg(shared=pl.len().cast(pl.Int64))
    )


def overlap(
    engaged: pl.DataFrame, creators: Sequence[int] | None = None, *, top: int = TOP_PAIRS
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The overlap matrix of every ordered pair, and the ``top`` most overlapping pairs (a < b, sharing someone).

    ``engaged`` follows ``ENGAGED``; ``creators`` lists who goes in the matrix, in order (default: everyone in
    ``engaged``, by id), so a creator without comments still gets a row of zeros. Both frames follow ``MATRIX``;
    on the diagonal ``shared`` is the creator's audience and the shares are null.
    """
    engaged = engaged.select(pl.col("creator_id").cast(pl.Int64), pl.col("commenter").cast(pl.String)).unique()
    ids = list(dict.fromkeys(creators)) if creators is not None else sorted(set(engaged["creator_id"].to_list()))
    engaged = engaged.filter(pl.col("creator_id").is_in(ids))
    order = pl.DataFrame(
        {"creator_id": ids, "position": range(len(ids))}, schema={"creator_id": pl.Int64, "position": pl.Int64}
    )
    sizes = order.join(
        engaged.group_by("creator_id").agg(audience=pl.len().cast(pl.Int64)), on="creator_id", how="left"
    )
    sizes = sizes.with_columns(pl.col("audience").fill_null(0))
    counts = _pair_counts(engaged)
    both_ways = pl.concat([counts, counts.select(a="b", b="a", shared="shared")])
    left = sizes.select(a="creator_id", audience_a="audience", pa="position")
    right = sizes.select(b="creator_id", audience_b="audience", pb="position")
    smaller = pl.min_horizontal("audience_a", "audience_b")
    union = pl.col("audience_a") + pl.col("audience_b") - pl.col("shared")
    diagonal = pl.col("a") == pl.col("b")
    matrix = (
        left.join(right, how="cross")
        .join(both_ways, on=["a", "b"], how="left")
        .with_columns(shared=pl.when(diagonal).then("audience_a").otherwise(pl.col("shared").fill_null(0)))
        .with_columns(
            overlap=pl.when(diagonal).then(None).when(smaller > 0).then(pl.col("shared") / smaller).otherwise(0.0),
            jaccard=pl.when(diagonal).then(None).when(union > 0).then(pl.col("shared") / union).otherwise(0.0),
        )
        .sort("pa", "pb")
        .select(list(MATRIX))
        .cast(MATRIX)  # type: ignore[arg-type]
    )
    pairs = (
        matrix.filter((pl.col("a") < pl.col("b")) & (pl.col("shared") > 0))
        .sort(["overlap", "shared", "a", "b"], descending=[True, True, False, False])
        .head(top)
    )
    return matrix, pairs
