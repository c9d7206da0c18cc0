"""Language benchmark: lexical + linear judgments, sentence embeddings (cold and cached) and themes.

Texts are real public posts and comments from ../shared/data (TweetEval, YouTube comments, suggestion
mining: ~18k distinct texts), resampled with repetition to the sizes asked for, since real comment sections
repeat themselves. Prints one line per figure and a JSON summary at the end.

    .venv/bin/python benchmarks/language.py            # full sizes (1M rule-based, 100k themes)
    .venv/bin/python benchmarks/language.py --quick    # small sizes, for a smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHORT_CHARS = 80  # comments under creators' posts are mostly shorter than a tweet
WARM_UP = 512
DATA = ROOT.parent / "shared" / "data"


def real_texts() -> list[str]:
    """Every distinct text of the shared data sets that hold social posts or comments."""
    frames = [
        pl.read_csv(DATA / "tweeteval_sentiment" / "tweets.csv").select("text"),
        pl.read_csv(DATA / "tweeteval_emotion" / "tweets.csv").select("text"),
        pl.read_csv(DATA / "youtube_spam" / "comments.csv").select(pl.col("CONTENT").alias("text")),
        pl.read_csv(DATA / "suggestion_mining" / "sentences.csv").select(pl.col("sentence").alias("text")),
    ]
    return pl.concat(frames).drop_nulls().unique(maintain_order=True)["text"].to_list()


def resample(texts: list[str], n: int, seed: int = 42) -> list[str]:
    """n texts drawn with repetition (Zipf-like: a few texts very often, as in real comment sections)."""
    rng = np.random.default_rng(seed)
    ranks = rng.zipf(1.3, size=n) - 1
    return [texts[i % len(texts)] for i in ranks]


def timed(label: str, n: int, fn: object) -> float:
    """Run fn(), print items/s, return seconds."""
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    print(f"{label:<58} {n:>9,} in {seconds:7.2f} s = {n / seconds:>10,.0f} /s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    rules_n, tone_n, embed_n, themes_n = (
        (20_000, 2_000, 500, 5_000) if args.quick else (1_000_000, 20_000, 3_000, 100_000)
    )
    os.environ.setdefault("GRASSROOTS_DATA_DIR", tempfile.mkdtemp(prefix="grassroots-bench-"))
    from grassroots.judgments.language.disclosure import disclosure
    from grassroots.judgments.language.embeddings import Embedder
    from grassroots.judgments.language.intent import annotate_comments
    from grassroots.judgments.language.judge import ToneModels, judge_texts, tone_labels
    from grassroots.judgments.language.themes import find_themes

    pool = real_texts()
    print(f"{len(pool):,} distinct real texts; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}", flush=True)
    figures: dict[str, float] = {}

    comments = pl.DataFrame({"text": resample(pool, rules_n)})
    s = timed("rules: purchase intent + question type (Polars)", rules_n, lambda: annotate_comments(comments))
    figures["rules_per_s"] = rules_n / s
    captions = comments.with_columns(pl.lit(True).alias("sponsored"), pl.col("text").alias("caption"))
    s = timed("rules: disclosure check (Polars)", rules_n, lambda: disclosure(captions))
    figures["disclosure_per_s"] = rules_n / s

    models = ToneModels.load()
    distinct = pool[:tone_n] if tone_n <= len(pool) else pool
    s = timed("tone, fast mode (hashed words + lexicon, linear), distinct", len(distinct),
              lambda: tone_labels(distinct, models, "fast"))  # fmt: skip
    figures["tone_fast_distinct_per_s"] = len(distinct) / s
    every = pl.DataFrame({"text": distinct})
    s = timed("judge_texts fast (all labels incl. language), distinct", every.height,
              lambda: judge_texts(every, models, mode="fast"))  # fmt: skip
    figures["judge_fast_distinct_per_s"] = every.height / s
    frame = pl.DataFrame({"text": resample(pool, tone_n * 5, seed=7)})
    s = timed("judge_texts fast (all labels), comments with repeats", frame.height,
              lambda: judge_texts(frame, models, mode="fast"))  # fmt: skip
    figures["judge_fast_per_s"] = frame.height / s

    cold = Embedder(threads=2)
    rng = np.random.default_rng(3)
    picked = rng.choice(len(pool), size=embed_n + WARM_UP, replace=False)
    sample = [pool[i] for i in picked[:embed_n]]
    # A long-running process has seen every sequence length already; PyTorch's first batches of each shape
    # are slower, so the model first encodes other texts of all lengths (not timed).
    cold.embed([pool[i] for i in picked[embed_n:]])
    taken = set(sample)
    short = [t for t in pool if len(t) <= SHORT_CHARS and t not in taken]
    short = [short[i] for i in rng.choice(len(short), size=min(embed_n, len(short)), replace=False)]
    for label, texts_ in (("any length", sample), (f"comment-length, <= {SHORT_CHARS} chars", short)):
        chars = sum(map(len, texts_)) / len(texts_)
        s = timed(f"embeddings, cold, {label} (mean {chars:.0f} chars)", len(texts_), lambda t=texts_: cold.embed(t))
        figures[f"embed_cold_per_s_{'short' if label.startswith('comment') else 'any'}"] = len(texts_) / s
    s = timed("embeddings, cached (same texts again)", embed_n, lambda: cold.embed(sample))
    figures["embed_cached_per_s"] = embed_n / s

    texts = resample(pool, themes_n, seed=11)
    shared = Embedder(Path(os.environ["GRASSROOTS_DATA_DIR"]) / "cache" / "embeddings")
    n_distinct = len(set(t.strip() for t in texts))
    print(f"themes input: {themes_n:,} comments, {n_distinct:,} distinct", flush=True)
    s = timed("themes, cold cache (embedding every distinct text + k-means)", themes_n,
              lambda: find_themes(texts, embedder=shared))  # fmt: skip
    figures["themes_cold_s"] = s
    s = timed("themes, warm cache (k-means + naming only)", themes_n, lambda: find_themes(texts, embedder=shared))
    figures["themes_warm_s"] = s
    figures["load_avg_1m"] = os.getloadavg()[0]
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))


if __name__ == "__main__":
    sys.exit(main())
