"""Brand fit on real captions: every brand profile against every topic of real tweets, old scale and new.

Each "creator" is 12 tweets drawn from one topic (20 draws per pair, seed 1); the fit is computed exactly as the
profile page does (best 5 posts, niches of the taxonomy as the "something else"). Prints mean and 10th-90th
percentiles per pair, and whether every unrelated pair stays below 30. Not a test: it prints figures.
Run: .venv/bin/python benchmarks/brand_fit.py
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import polars as pl

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from grassroots.discovery.profiles import niche_field
from grassroots.judgments.language.embeddings import shared_embedder
from grassroots.judgments.language.fit import brand_fit, profile_text
from grassroots.judgments.language.fit_check import BRANDS, by_topic

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
OLD_FLOOR, OLD_CEILING = 0.05, 0.50  # the scale before the calibration


def tweets() -> list[str]:
    out: list[str] = []
    for name in ("tweeteval_sentiment", "tweeteval_emotion"):
        with (SHARED / name / "tweets.csv").open(encoding="utf-8") as f:
            out += [row["text"] for row in csv.DictReader(f)]
    return out


def measure(draws: int = 20, size: int = 12) -> pl.DataFrame:
    embedder, niches = shared_embedder(), niche_field()
    topics = by_topic(tweets())
    rng = np.random.default_rng(1)
    rows = []
    for topic, texts in topics.items():
        vectors = embedder.embed(texts)
        for brand, fields in BRANDS.items():
            profile = embedder.embed([profile_text(*fields)])[0]
            for _ in range(draws):
                pick = rng.choice(len(texts), size=min(size, len(texts)), replace=False)
                posts = pl.DataFrame({"id": list(range(len(pick))), "caption": [texts[i] for i in pick]})
                fit = brand_fit(posts, vectors[pick], profile, [], niches)
                old = 100 * min(1.0, max(0.0, (fit.cosine - OLD_FLOOR) / (OLD_CEILING - OLD_FLOOR)))
                rows.append((brand, topic, len(texts), brand == topic, fit.score, round(old), fit.rather))
    return pl.DataFrame(rows, schema=["brand", "topic", "tweets", "related", "fit", "old", "rather"], orient="row")


def main() -> None:
    frame = measure()
    table = (
        frame.group_by("brand", "topic", "tweets", "related")
        .agg(
            pl.col("fit").mean().round(1).alias("fit"),
            pl.col("fit").quantile(0.1).alias("fit_p10"),
            pl.col("fit").quantile(0.9).alias("fit_p90"),
            pl.col("old").mean().round(1).alias("old_scale"),
            pl.col("rather").mode().first().alias("reads_more_like"),
        )
        .sort("related", "brand", "topic", descending=[True, False, False])
    )
    with pl.Config(tbl_rows=100, tbl_width_chars=160, tbl_formatting="MARKDOWN", tbl_hide_dataframe_shape=True):
        print(table)
    cells = frame.group_by("brand", "topic").agg(
        pl.format("{} ({})", pl.col("fit").mean().round(0).cast(pl.Int64), pl.col("old").mean().round(0).cast(pl.Int64))
    )
    matrix = cells.pivot(on="topic", index="brand", values="fit").sort("brand")
    print("\nMean fit per brand (rows) and topic of real tweets (columns), new scale (old scale):")
    with pl.Config(tbl_rows=20, tbl_width_chars=200, tbl_formatting="MARKDOWN", tbl_hide_dataframe_shape=True,
                   tbl_hide_column_data_types=True):  # fmt: skip
        print(matrix)
    unrelated = frame.filter(~pl.col("related"))
    print(f"unrelated pairs: max fit {unrelated['fit'].max()}, share >= 30: {(unrelated['fit'] >= 30).mean():.3f}; "
          f"old scale: share >= 30: {(unrelated['old'] >= 30).mean():.3f}")  # fmt: skip
    related = frame.filter(pl.col("related"))
    print(f"related pairs: mean fit {related['fit'].mean():.1f} (old scale {related['old'].mean():.1f})")


if __name__ == "__main__":
    main()
