"""Audience overlap from hand-made commenter sets whose shares can be checked by hand."""

from __future__ import annotations

import polars as pl
import pytest

from grassroots.judgments.discovery.overlap import ENGAGED, MATRIX, engaged_commenters, overlap


def engaged() -> pl.DataFrame:
    rows = [(1, "x"), (1, "y"), (1, "z"), (1, "w"), (2, "x"), (2, "y"), (2, "y"), (3, "z"), (3, "q")]
    return pl.DataFrame(rows, schema=ENGAGED, orient="row")


def cell(matrix: pl.DataFrame, a: int, b: int) -> dict[str, object]:
    return matrix.filter((pl.col("a") == a) & (pl.col("b") == b)).row(0, named=True)


def test_overlap_is_the_share_of_the_smaller_audience_and_jaccard_of_the_union() -> None:
    matrix, pairs = overlap(engaged(), [1, 2, 3, 4])
    assert matrix.height == 16 and matrix.schema == pl.Schema(MATRIX)
    one_two = cell(matrix, 1, 2)  # {x, y} inside {x, y, z, w}
    assert (one_two["shared"], one_two["overlap"], one_two["jaccard"]) == (2, 1.0, 0.5)
    assert cell(matrix, 2, 1)["overlap"] == 1.0  # symmetric
    one_three = cell(matrix, 1, 3)  # z only: 1 of the smaller 2; union of 5
    assert one_three["overlap"] == 0.5 and one_three["jaccard"] == pytest.approx(0.2)
    assert cell(matrix, 2, 3)["shared"] == 0 and cell(matrix, 2, 3)["overlap"] == 0.0
    assert cell(matrix, 1, 4) == {
        "a": 1,
        "b": 4,
        "shared": 0,
        "audience_a": 4,
        "audience_b": 0,
        "overlap": 0.0,
        "jaccard": 0.0,
    }
    diagonal = cell(matrix, 1, 1)
    assert diagonal["shared"] == 4 and diagonal["overlap"] is None and diagonal["jaccard"] is None
    assert pairs.select("a", "b", "shared").rows() == [(1, 2, 2), (1, 3, 1)]


def test_matrix_follows_the_given_order_and_ignores_others() -> None:
    matrix, pairs = overlap(engaged(), [3, 1, 3])
    assert matrix.select("a", "b").rows() == [(3, 3), (3, 1), (1, 3), (1, 1)]
    assert pairs.select("a", "b", "overlap").rows() == [(1, 3, 0.5)]


def test_top_limits_the_pairs_and_nobody_in_common_gives_none() -> None:
    assert overlap(engaged(), top=1)[1].height == 1
    matrix, pairs = overlap(pl.DataFrame(schema=ENGAGED), [5, 6])
    assert pairs.is_empty() and matrix["overlap"].drop_nulls().to_list() == [0.0, 0.0]
    assert overlap(pl.DataFrame(schema=ENGAGED))[0].is_empty()


def test_engaged_commenters_are_distinct_lowercased_and_not_the_creator_or_the_brand() -> None:
    comments = pl.DataFrame(
        {
            "creator_id": [1, 1, 1, 1, 2, 2],
            "author_handle": ["Fan.One", "fan.one", "@ana.glow", "dewdrop.skin", "ANA.GLOW", "fan.two"],
        }
    )
    own = pl.DataFrame({"creator_id": [1, 2], "handle": ["ana.glow", "bea.skin"]})
    got = engaged_commenters(comments, own, exclude=["@Dewdrop.Skin"])
    assert got.rows() == [(1, "fan.one"), (2, "ana.glow"), (2, "fan.two")]  # Ana under Bea's post is audience
