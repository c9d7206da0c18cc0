"""Vetting over a folder of Parquet files on one machine: global pass, then partitions over a process pool.

Input folder: ``accounts.parquet``, ``posts.parquet``, ``snapshots.parquet``, ``comments.parquet`` with
the columns documented in ``grassroots.vetting.pipeline``. Output: ``reports.parquet`` in the output folder.
Peer percentiles and pods need the whole population, so they are computed once; everything else is per
account and runs per partition.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from grassroots.vetting.engagement import DEFAULT_BOUNDS, account_engagement, post_engagement, tier_expr
from grassroots.vetting.pipeline import pod_membership, vet

TABLES = ("accounts", "posts", "snapshots", "comments")
ACCOUNTS_PER_PARTITION = 50_000


@dataclass
class EngineRun:
    """What a batch run did."""

    accounts: int
    partitions: int
    seconds: float
    output: Path


def read_inputs(folder: Path) -> dict[str, pl.LazyFrame]:
    """Lazy scans of the four input tables; a missing file is an error that names it."""
    missing = [t for t in TABLES if not (folder / f"{t}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(t + '.parquet' for t in missing)}")
    return {t: pl.scan_parquet(folder / f"{t}.parquet") for t in TABLES}


def global_context(inputs: dict[str, pl.LazyFrame], bounds: Sequence[int]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Peer reference (tier, platform, er_median) and pod membership over the whole population."""
    accounts = inputs["accounts"].select("account_id", "platform", "followers", "handle").collect()
    posts = inputs["posts"].select("account_id", "post_id", "kind", "likes", "comments", "views", "sponsored",
                                   "posted_at").collect()  # fmt: skip
    er = account_engagement(post_engagement(posts, accounts)).select("account_id", "er_median")
    reference = accounts.join(er, on="account_id", how="left").select(
        tier_expr(pl.col("followers"), bounds).alias("tier"), "platform", "er_median"
    )
    comments = inputs["comments"].select("account_id", "author_handle", "posted_at", "post_posted_at").collect()
    return reference, pod_membership(comments, accounts.select("account_id", "handle"))


def _partition(inputs: dict[str, pl.LazyFrame], workdir: Path, parts: int) -> None:
    """Write each table split by ``account_id % parts``; every part gets every table, maybe empty."""
    for table, frame in inputs.items():
        data = frame.with_columns((pl.col("account_id") % parts).alias("_part")).collect()
        chunks = data.partition_by("_part", as_dict=True, include_key=False)
        empty = data.drop("_part").clear()
        for part in range(parts):
            chunks.get((part,), empty).write_parquet(workdir / f"{table}-{part}.parquet")


def vet_partition(args: tuple[Path, int, tuple[int, ...]]) -> Path:
    """Vet one partition in a worker process; inputs and outputs go through Parquet files."""
    workdir, part, bounds = args
    frames = {t: pl.read_parquet(workdir / f"{t}-{part}.parquet") for t in TABLES}
    result = vet(
        frames["accounts"], frames["posts"], frames["snapshots"], frames["comments"],
        reference=pl.read_parquet(workdir / "reference.parquet"), bounds=bounds,
        pod_frame=pl.read_parquet(workdir / "pods.parquet"),
    )  # fmt: skip
    out = workdir / f"reports-{part}.parquet"
    result.write_parquet(out)
    return out


Job = tuple[Path, int, tuple[int, ...]]
Mapper = Callable[[list[Job], Callable[[Path], None]], None]


def run_partitioned(
    source: Path, sink: Path, mapper: Mapper, *, bounds: Sequence[int] = DEFAULT_BOUNDS, workdir: Path | None = None
) -> EngineRun:
    """Global pass, partition, let ``mapper`` vet each partition, then gather ``sink/reports.parquet``.

    ``mapper(jobs, done)`` runs ``_vet_partition`` for every job (any way it likes) and calls ``done(path)``
    for each written partition; the local and Spark engines differ only in their mapper.
    """
    started = time.perf_counter()
    inputs = read_inputs(source)
    n_accounts = inputs["accounts"].select(pl.len()).collect().item()
    parts = max(1, -(-n_accounts // ACCOUNTS_PER_PARTITION))
    sink.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="grassroots-engine-", dir=workdir) as tmp:
        work = Path(tmp)
        reference, pods = global_context(inputs, bounds)
        reference.write_parquet(work / "reference.parquet")
        pods.write_parquet(work / "pods.parquet")
        _partition(inputs, work, parts)
        outputs: list[Path] = []
        mapper([(work, part, tuple(bounds)) for part in range(parts)], outputs.append)
        reports = pl.concat([pl.read_parquet(p) for p in sorted(outputs)]).sort("account_id")
        reports.write_parquet(sink / "reports.parquet")
    return EngineRun(n_accounts, parts, time.perf_counter() - started, sink / "reports.parquet")


def run_local(
    source: Path,
    sink: Path,
    *,
    bounds: Sequence[int] = DEFAULT_BOUNDS,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EngineRun:
    """Vet every account in ``source`` with a process pool and write ``sink/reports.parquet``."""

    def pool_mapper(jobs: list[Job], done: Callable[[Path], None]) -> None:
        count = workers or min(len(jobs), os.cpu_count() or 1)
        # spawn, not fork: forking a process whose Polars thread pool is running can deadlock the child.
        with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn")) as pool:
            for finished, path in enumerate(pool.map(vet_partition, jobs), start=1):
                done(path)
                if progress is not None:
                    progress(finished, len(jobs))

    return run_partitioned(source, sink, pool_mapper, bounds=bounds)
