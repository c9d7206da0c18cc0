"""On a synthetic demo world the score spreads (few share the top value) and orders the planted truth.

Behaviour on synthetic data, not accuracy. 400 creators keep the test around ten seconds; the full
2,000-creator figures are on docs/credibility-spread.md (benchmarks/credibility_spread.py).
"""

from datetime import date

import polars as pl
import pytest

from grassroots.demo.generator import generate_world
from grassroots.vetting.spread import Spread, primary_scores, spread, vet_world

TOP_SHARE_LIMIT = 0.05


@pytest.fixture(scope="module")
def reports() -> pl.DataFrame:
    return vet_world(generate_world(seed=7, creators=400, today=date(2026, 11, 20)))


@pytest.fixture(scope="module")
def figures(reports: pl.DataFrame) -> Spread:
    return spread(reports)


def test_no_more_than_five_percent_share_the_top_score(figures: Spread) -> None:
    assert figures.creators >= 400
    assert figures.top_share <= TOP_SHARE_LIMIT, f"{figures.top_share:.1%} of creators score {figures.top_value}"


def test_scores_spread_over_the_range(figures: Spread) -> None:
    counts = [sum(column) for column in zip(*figures.histogram.values(), strict=True)]
    assert sum(1 for c in counts if c) >= 6  # at least six of the ten 10-point bins are used
    assert figures.top_value < 100


def test_planted_truth_is_ordered_fake_then_pod_then_ordinary(reports: pl.DataFrame, figures: Spread) -> None:
    creators = primary_scores(reports)
    fakes = creators.filter(pl.col("planted") == "fake")["credibility"]
    pods = creators.filter(pl.col("planted") == "pod")["credibility"]
    assert fakes.len() and pods.len()
    assert (fakes.max() or 0) < (pods.min() or 0)  # every fake below every pod member
    assert figures.by_quality[0] < figures.by_quality[1] < figures.by_quality[2]
    assert figures.spearman > 0.35


def test_every_lost_point_has_a_reason(reports: pl.DataFrame) -> None:
    lost = reports.select(
        "credibility", pl.col("reasons").list.eval(pl.element().struct.field("penalty")).list.sum().alias("lost")
    )
    # Reasons under half a point are not listed, and the score is clipped at 0 and rounded.
    unclipped = lost.filter(pl.col("credibility") > 0)
    gap = (100 - unclipped["credibility"] - unclipped["lost"]).abs()
    assert gap.max() is not None and float(gap.max()) <= 3.0  # type: ignore[arg-type]


def test_bought_followers_sit_between_fakes_and_ordinary_creators(reports: pl.DataFrame) -> None:
    creators = primary_scores(reports)
    score = {p: creators.filter(pl.col("planted") == p)["credibility"].to_numpy()
             for p in ("fake", "bought_followers", "ordinary")}  # fmt: skip
    assert len(score["bought_followers"]) >= 10
    assert score["fake"].max() < score["bought_followers"].min()  # a real audience is still worth something
    below = (score["bought_followers"][:, None] < score["ordinary"][None, :]).mean()
    assert below >= 0.9, f"bought followers below ordinary creators in {below:.1%} of pairs"


def test_no_ordinary_creator_is_taken_for_a_pod_member(reports: pl.DataFrame) -> None:
    creators = primary_scores(reports)
    flagged = creators.filter(pl.col("pod_id").is_not_null())
    assert flagged.height and set(flagged["planted"]) == {"pod"}
    assert creators.filter(pl.col("planted") == "pod")["pod_id"].null_count() == 0  # and every member is found
