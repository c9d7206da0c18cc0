"""On a small synthetic demo world the score spreads and puts the planted strong creators above ordinary ones.

Behaviour on synthetic data, not accuracy: the demo plants strong creators with the signals the score grades
(``demo.strong``), so this checks that the score reads them. 300 creators (about 15 s); the 2,000-creator
figures are on docs/credibility-spread.md (benchmarks/credibility_spread.py).
"""

from datetime import date

import numpy as np
import polars as pl
import pytest

from grassroots.demo.generator import generate_world
from grassroots.demo.strong import MIN_STRONG
from grassroots.vetting.spread import ORDINARY, QUALITY, Spread, primary_scores, spread, vet_world

TOP_SHARE_LIMIT = 0.05
STRONG = QUALITY["strong"]


@pytest.fixture(scope="module")
def reports() -> pl.DataFrame:
    return vet_world(generate_world(seed=7, creators=300, today=date(2026, 11, 20)))


@pytest.fixture(scope="module")
def figures(reports: pl.DataFrame) -> Spread:
    return spread(reports)


def test_no_more_than_five_percent_share_the_top_score(figures: Spread) -> None:
    assert figures.creators >= 300
    assert figures.top_share <= TOP_SHARE_LIMIT, f"{figures.top_share:.1%} of creators score {figures.top_value}"


def test_strong_creators_outrank_ordinary_ones(reports: pl.DataFrame, figures: Spread) -> None:
    creators = primary_scores(reports)
    strong = creators.filter(pl.col("quality") == STRONG)["credibility"]
    ordinary = creators.filter(pl.col("quality") == ORDINARY)["credibility"]
    assert strong.len() >= MIN_STRONG and ordinary.len() > 200
    # The typical strong creator beats three in four ordinary ones, and nearly every pair is in the right order.
    assert np.median(strong.to_numpy()) > np.quantile(ordinary.to_numpy(), 0.75, method="nearest")
    assert figures.pairs[(ORDINARY, STRONG)] >= 0.95
    assert figures.by_quality[ORDINARY] < figures.by_quality[STRONG]


def test_the_whole_planted_order_holds(figures: Spread) -> None:
    means = [figures.by_quality[q] for q in sorted(figures.by_quality)]
    assert means == sorted(means) and len(means) == 4  # fake < pod member < ordinary < strong
    assert figures.pairs[(0, STRONG)] == 1.0 and figures.pairs[(1, STRONG)] >= 0.95
    assert figures.spearman > 0.4
