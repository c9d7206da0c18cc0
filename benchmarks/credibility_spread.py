"""Credibility spread and ordering on the synthetic demo world: writes docs/credibility-spread.md.

Generates the demo world (seed 7, 2,000 creators by default), vets every account with the pure pipeline
(no database), and reports per creator (its largest account): the share at the top value, a 10-point
histogram per tier (inline SVG and a table), the mean score per planted truth (fake, pod member, ordinary,
strong), Spearman between score and planted quality, and the share of (worse, better) pairs in the right order.
Synthetic data written by the same team as the judgment: behaviour, not accuracy.
Run: .venv/bin/python benchmarks/credibility_spread.py [--creators 2000] [--out docs/credibility-spread.md]
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from grassroots.demo.generator import generate_world
from grassroots.vetting.spread import BINS, LABELS, Spread, pair_order, primary_scores, spearman, spread, vet_world

ORDINARY, STRONG = 2, 3
PLANTED = {"fake": "fake", "pod": "pod member", "bought_followers": "bought followers", "ordinary": "ordinary",
           "strong": "strong"}  # fmt: skip
PLANTED_PAIRS = (("fake", "bought_followers"), ("bought_followers", "ordinary"), ("pod", "ordinary"))


BEFORE = (
    "| micro-micro | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 655 | 656 |",
    "| nano | 10 | 51 | 0 | 0 | 0 | 0 | 0 | 0 | 19 | 621 | 701 |",
    "| micro | 7 | 39 | 0 | 0 | 0 | 0 | 0 | 0 | 34 | 483 | 563 |",
    "| macro | 0 | 2 | 0 | 1 | 0 | 0 | 0 | 0 | 5 | 108 | 116 |",
    "| mega | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 6 | 18 | 24 |",
)  # the penalty-only score on seed 7, 2,000 creators (December 2026), for comparison
COLOURS = {"micro-micro": "#8ecae6", "nano": "#219ebc", "micro": "#126782", "macro": "#fb8500", "mega": "#ffb703"}


def svg(histogram: dict[str, list[int]]) -> str:
    """Stacked bars per 10-point bin, one colour per tier."""
    width, height, pad = 560, 240, 30
    totals = [sum(col) for col in zip(*histogram.values(), strict=True)]
    top = max(totals) or 1
    bar = (width - 2 * pad) / len(totals)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" role="img" '
             'aria-label="Credibility histogram by tier">']  # fmt: skip
    for i in range(len(totals)):
        y: float = height
        for tier, counts in histogram.items():
            h = (height - pad) * counts[i] / top
            y -= h
            parts.append(f'<rect x="{pad + i * bar + 2:.0f}" y="{y:.1f}" width="{bar - 4:.0f}" height="{h:.1f}" '
                         f'fill="{COLOURS[tier]}"><title>{tier} {BINS[i]}–{BINS[i + 1]}: {counts[i]}</title></rect>')  # fmt: skip
        parts.append(f'<text x="{pad + i * bar + bar / 2:.0f}" y="{height + 14}" font-size="10" '
                     f'text-anchor="middle">{BINS[i]}–{BINS[i + 1]}</text>')  # fmt: skip
    for j, tier in enumerate(histogram):
        parts.append(f'<rect x="{pad + j * 100}" y="{height + 24}" width="10" height="10" fill="{COLOURS[tier]}"/>'
                     f'<text x="{pad + j * 100 + 14}" y="{height + 33}" font-size="11">{tier}</text>')  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts)


def markdown(figures: Spread, creators: pl.DataFrame, n: int, seconds: float) -> str:
    """The docs page."""
    rows = [f"| {tier} | " + " | ".join(str(c) for c in counts) + f" | {sum(counts)} |"
            for tier, counts in figures.histogram.items()]  # fmt: skip
    header = "| tier | " + " | ".join(f"{BINS[i]}–{BINS[i + 1]}" for i in range(len(BINS) - 1)) + " | all |"
    groups = creators.group_by("quality", "planted").agg(
        pl.len(),
        pl.col("credibility").mean().round(1).alias("mean"),
        pl.col("credibility").median().alias("median"),
        pl.col("credibility").quantile(0.25, "nearest").alias("q25"),
        pl.col("credibility").quantile(0.75, "nearest").alias("q75"),
        pl.col("pod_id").is_not_null().sum().alias("podded"),
    )
    means = [f"| {PLANTED[p]} | {count} | {mean} | {q25:.0f} / {med:.0f} / {q75:.0f} | {podded} |"
             for _, p, count, mean, med, q25, q75, podded in groups.sort("quality", "planted").iter_rows()]  # fmt: skip
    within = [
        f"| {PLANTED[w]} | {PLANTED[b]} | {pair_order(creators, w, b, 'planted'):.1%} |" for w, b in PLANTED_PAIRS
    ]
    pairs = [f"| {LABELS[w]} | {LABELS[b]} | {share:.1%} |" for (w, b), share in figures.pairs.items()]
    ceiling = spearman(creators["quality"] * 1000 + creators["credibility"], creators["quality"])
    typical = creators.filter(pl.col("quality") == ORDINARY)["credibility"].to_numpy()
    strong = creators.filter(pl.col("quality") == STRONG)["credibility"].to_numpy()
    medians = (np.median(strong), np.median(typical), np.quantile(typical, 0.75, method="nearest"))
    return "\n".join([
        "# Credibility: spread and ordering on the demo world",
        "",
        f"Generated by `benchmarks/credibility_spread.py` on the synthetic demo world (seed 7, {n:,} creators; "
        f"{figures.creators:,} creators scored by their largest account, in {seconds:.0f} s). The world and the "
        "judgment were written by the same team, so these figures show **behaviour** (does the score spread, does "
        "it order what was planted), never accuracy. The score itself is described in [vetting.md](vetting.md).",
        "",
        f"- top value: **{figures.top_value}**, shared by **{figures.top_share:.2%}** of creators "
        "(`tests/vetting/test_credibility_spread.py` and `test_spread_strong.py` fail above 5 %, on 400- and "
        "300-creator worlds)",
        f"- creators with not enough data for a score: {figures.not_enough_data}",
        f"- Spearman between score and planted quality (fake 0 < pod member or bought followers 1 < ordinary 2 < "
        "strong 3): "
        f"**{figures.spearman:.3f}** (a perfect order between the groups, with each group spread as it is, would "
        f"reach {ceiling:.3f})",
        f"- strong creators above ordinary ones: **{figures.pairs[(ORDINARY, STRONG)]:.1%}** of pairs; median "
        f"strong {medians[0]:.0f} vs ordinary {medians[1]:.0f} (75th percentile {medians[2]:.0f}); `tests/vetting/test_spread_strong.py` checks this on a "
        "300-creator world",
        "",
        svg(figures.histogram),
        "",
        header,
        "|---" * (len(BINS) + 1) + "|",
        *rows,
        "",
        "| planted | creators | mean credibility | quartiles (25th / median / 75th) | flagged as pod |",
        "|---|---:|---:|---:|---:|",
        *means,
        "",
        "| worse | better | pairs in the right order |",
        "|---|---|---:|",
        *pairs,
        "",
        "The same by planted label (the pod members and the buyers of followers apart):",
        "",
        "| worse | better | pairs in the right order |",
        "|---|---|---:|",
        *within,
        "",
        "## Before: the penalty-only score (measured on the same world before the change)",
        "",
        "- top value 100, shared by **74.9 %** of creators (1,542 of 2,060); Spearman 0.556",
        "- pairs in the right order: fake below pod member 100 %, pod member below ordinary 99.1 %, fake below "
        "ordinary 100 %; mean credibility fake 10.3, pod member 84.0, ordinary 99.2",
        "",
        "| tier | 0–10 | 10–20 | 20–30 | 30–40 | 40–50 | 50–60 | 60–70 | 70–80 | 80–90 | 90–100 | all |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *BEFORE,
        "",
        "Pod members sat a little closer to ordinary creators in pair order after the change (97.8 % vs 99.1 %) "
        "because the ordinary ones were no longer piled at 100; the pod penalty (30) is set so they stay below "
        "nearly all of them. The old score's Spearman (0.556, against fake < pod member < ordinary) came from 75 % "
        "of creators tying at 100 (ties with ties); the ceiling above is the honest yardstick for the new one.",
        "",
        "## Strong creators (planted since the change)",
        "",
        "The demo plants genuinely strong creators (`grassroots.demo.strong`, about 2 % more creators): engagement "
        "1.5–2.2× what an ordinary account of the same size gets, more questions, buying intent and remarks about "
        "the product under their posts with the creator answering questions, commenters with pictures and "
        "ordinary handles, a steady climb in followers and at most 5 % sponsored posts, all disclosed. These are "
        "the very signals the score grades, so their ordering shows that the score reads them, not that it "
        "reads real creators right.",
        "",
        "Until the demo's fan handles got endings (`texts.crowd`), a false pod flag (30 points) pulled some "
        "strong and ordinary creators down: the fan handles came from a few thousand names and words "
        "(`maya.daily`), so unrelated accounts shared five or more of the same commenters, and about a third of "
        "genuine comments land within 15 minutes. That was a property of the synthetic handles, not of the "
        "detector or the weights, which were left as they were. With the endings no ordinary or strong creator is "
        "flagged in this world (42 were before) or in the 300- and 400-creator test worlds, and every planted pod "
        "member is still found; `test_spread_strong.py` now asks for 95 % of (ordinary, strong) pairs in order "
        "(it asked for 75 % while 4 of its 12 strong creators were chained into a false pod).",
        "",
        "## Bought followers (planted since the change)",
        "",
        "The demo plants genuine creators who bought one batch of followers (`grassroots.demo.bought`, about 1.5 % "
        "more creators, nano and micro): one overnight step of 30–100 % on a day without posts, and the same real "
        "likes and comments as before spread over the larger count. Unlike the fake accounts they have a real "
        "audience, a picture, ordinary comments and no bots; what gives them away is the step in the follower "
        "history and engagement that sits low for the tier. They count with the pod members as quality 1.",
        "",
    ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creators", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("docs/credibility-spread.md"))
    args = parser.parse_args()
    started = time.perf_counter()
    reports = vet_world(generate_world(seed=args.seed, creators=args.creators, today=date(2026, 11, 20)))
    seconds = time.perf_counter() - started
    figures = spread(reports)
    page = markdown(figures, primary_scores(reports), args.creators, seconds)
    args.out.write_text(page)
    print(page)


if __name__ == "__main__":
    main()
