"""How the credibility score spreads and orders on a synthetic demo world (the docs page and its test use this).

The demo world is built in memory and vetted with the pure pipeline, without a database: the same frames
``vetting.repository.load_frames`` would read, with the shipped models' columns added by ``annotate``.
Synthetic data, so the figures show behaviour (spread, ordering of planted truths), never accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from grassroots.judgments.vetting.annotate import annotate
from grassroots.judgments.vetting.pipeline import vet
from grassroots.vetting.repository import ACCOUNT_SCHEMA, COMMENT_SCHEMA, POST_SCHEMA, SNAPSHOT_SCHEMA

# Planted quality, worst first: a fake account (bot comments, several jumps, next to no engagement); a real
# creator whose numbers are inflated (a pod member, or one who bought a batch of followers, see ``demo.bought``);
# everyone else; a genuinely strong creator (see ``demo.strong``).
QUALITY = {"fake": 0, "pod": 1, "bought_followers": 1, "strong": 3}
ORDINARY = 2
LABELS = {0: "fake", 1: "pod member or bought followers", 2: "ordinary", 3: "strong"}
BINS = tuple(range(0, 101, 10))


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


def world_frames(world: Any) -> dict[str, pl.DataFrame]:
    """The four vetting input frames of a generated ``demo.world.World`` (ids are local keys + 1)."""
    accounts = pl.DataFrame(
        [{**{k: _value(a.get(k)) for k in ACCOUNT_SCHEMA if k not in ("account_id", "creator_id")},
          "account_id": a["key"] + 1, "creator_id": a["creator_key"] + 1} for a in world.accounts],
        schema=ACCOUNT_SCHEMA,
    ).with_columns(pl.col("platform").str.to_lowercase())  # fmt: skip
    posts = pl.DataFrame(
        [{**{k: _value(p.get(k)) for k in POST_SCHEMA if k not in ("account_id", "post_id")},
          "account_id": p["account_key"] + 1, "post_id": p["key"] + 1} for p in world.posts],
        schema=POST_SCHEMA,
    ).with_columns(pl.col("kind").str.to_lowercase())  # fmt: skip
    snapshots = pl.DataFrame(
        [{"account_id": s["account_key"] + 1, "day": s["day"], "followers": s["followers"]} for s in world.snapshots],
        schema=SNAPSHOT_SCHEMA,
    )
    by_post = posts.select("post_id", "account_id", pl.col("posted_at").alias("post_posted_at"))
    comments = (
        pl.DataFrame(
            {
                "post_id": [c["post_key"] + 1 for c in world.comments],
                "author_handle": [c["author_handle"] for c in world.comments],
                "author_has_avatar": [c["author_has_avatar"] for c in world.comments],
                "text": [c["text"] for c in world.comments],
                "posted_at": [c["posted_at"] for c in world.comments],
            },
            schema={k: v for k, v in COMMENT_SCHEMA.items() if k not in ("account_id", "post_posted_at")},
        )
        .join(by_post, on="post_id", how="left")
        .select(list(COMMENT_SCHEMA))
    )
    return {"accounts": accounts, "posts": posts, "snapshots": snapshots, "comments": comments}


def truth_frame(world: Any) -> pl.DataFrame:
    """Planted quality per account (0 fake, 1 pod member or bought followers, 2 ordinary, 3 strong; the worst
    label wins) and that label (``planted``: fake, pod, bought_followers, ordinary or strong)."""
    planted: dict[int, list[tuple[int, str]]] = {}
    for t in world.truths:
        if t["label"] in QUALITY:
            planted.setdefault(t["account_key"] + 1, []).append((QUALITY[t["label"]], t["label"]))
    ids = [a["key"] + 1 for a in world.accounts]
    worst = [min(planted[i]) if i in planted else (ORDINARY, "ordinary") for i in ids]
    return pl.DataFrame({"account_id": ids, "quality": [q for q, _ in worst], "planted": [p for _, p in worst]})


def vet_world(world: Any) -> pl.DataFrame:
    """Every account's report joined with its creator and planted quality."""
    frames = annotate(world_frames(world))
    reports = vet(frames["accounts"], frames["posts"], frames["snapshots"], frames["comments"])
    creators = frames["accounts"].select("account_id", "creator_id", "followers")
    return reports.join(creators, on="account_id").join(truth_frame(world), on="account_id")


def primary_scores(reports: pl.DataFrame) -> pl.DataFrame:
    """One row per creator: its largest account's report (a creator's credibility is that account's)."""
    return reports.sort(["creator_id", "followers", "account_id"], descending=[False, True, False]).unique(
        "creator_id", keep="first", maintain_order=True
    )


@dataclass
class Spread:
    """Spread and ordering figures of one vetted world."""

    creators: int
    top_value: int
    top_share: float
    not_enough_data: int
    spearman: float
    by_quality: dict[int, float]
    pairs: dict[tuple[int, int], float]
    histogram: dict[str, list[int]]


def spearman(x: pl.Series, y: pl.Series) -> float:
    """Spearman rank correlation (average ranks for ties)."""
    rx, ry = x.rank("average").to_numpy(), y.rank("average").to_numpy()
    return float(np.corrcoef(rx, ry)[0, 1])


def pair_order(creators: pl.DataFrame, worse: int | str, better: int | str, column: str = "quality") -> float:
    """Share of (worse, better) creator pairs where the worse one scores lower (ties count half); NaN if none.

    The groups are values of ``column``: planted quality (0-3) by default, or the planted label (``planted``)."""
    a = creators.filter(pl.col(column) == worse)["credibility"].to_numpy()
    b = creators.filter(pl.col(column) == better)["credibility"].to_numpy()
    if not a.size or not b.size:
        return float("nan")
    return float((a[:, None] < b[None, :]).mean() + 0.5 * (a[:, None] == b[None, :]).mean())


def spread(reports: pl.DataFrame) -> Spread:
    """Top-value share, Spearman with planted quality, pair order and a 10-point histogram per tier, over creators."""
    scored = primary_scores(reports)
    top = int(scored.select(pl.col("credibility").max()).item() or 0)
    histogram: dict[str, list[int]] = {}
    for tier in ("micro-micro", "nano", "micro", "macro", "mega"):
        values = scored.filter(pl.col("tier") == tier)["credibility"].to_numpy()
        counts, _ = np.histogram(values, bins=[*BINS[:-1], 100.5])
        histogram[tier] = counts.tolist()
    means = scored.group_by("quality").agg(pl.col("credibility").mean()).sort("quality")
    return Spread(
        creators=scored.height,
        top_value=top,
        top_share=float(scored.select((pl.col("credibility") == top).mean()).item() or 0.0),
        not_enough_data=int(scored.select((~pl.col("enough_data")).sum()).item()),
        spearman=spearman(scored["credibility"], scored["quality"]),
        by_quality={int(q): round(float(m), 1) for q, m in means.iter_rows()},
        pairs={(w, b): pair_order(scored, w, b) for w in LABELS for b in LABELS if w < b},
        histogram=histogram,
    )
