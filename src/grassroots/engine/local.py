"""Vetting over a folder of Parquet files on one machine.

Input folder: ``accounts.parquet``, ``posts.parquet``, ``snapshots.parquet``, ``comments.parquet`` with
the columns documented in ``grassroots.judgments.vetting.pipeline``. Output: ``reports.parquet`` in the output folder.
Pods need the whole population, so they are found once, first; everything else is per account and runs
per part of the accounts; peer percentiles are added once all reports are gathered.

By default the parts run one after another in this process, each using all cores through Polars' own
thread pool (on a small machine a process pool only adds start-up, copies and Parquet round trips).
``workers`` > 1 runs them in a process pool instead, through Parquet files, as the Spark engine does.
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from grassroots.judgments.vetting.engagement import DEFAULT_BOUNDS
from grassroots.judgments.vetting.order import sorted_by
from grassroots.judgments.vetting.pipeline import judge, pod_membership, with_percentiles

TABLES = ("accounts", "posts", "snapshots", "comments")
ACCOUNTS_PER_PARTITION = 125_000  # parts written for a process pool or Spark (fewer tasks, less overhead)
ACCOUNTS_PER_PART_IN_PROCESS = 1_000_000  # bounds memory (a million accounts peak at about 6 GB)
INPUT_COLUMNS: dict[str, tuple[str, ...]] = {  # what the judgment reads; other columns are not loaded
    "accounts": ("account_id", "platform", "handle", "followers", "fake_prob"),
    "posts": ("account_id", "post_id", "kind", "caption", "sponsored", "likes", "comments", "views", "posted_at"),
    "snapshots": ("account_id", "day", "followers"),
    "comments": ("account_id", "post_id", "author_handle", "author_has_avatar", "text", "posted_at", "post_posted_at",
                 "spam_prob", "generic"),
}  # fmt: skip
OPTIONAL_COLUMNS = {"fake_prob", "post_id"}  # post_id: evidence names the post a comment was left on


@dataclass
class EngineRun:
    """What a batch run did."""

    accounts: int
    partitions: int
    seconds: float
    output: Path


def read_inputs(folder: Path) -> dict[str, pl.LazyFrame]:
    """Lazy scans of the four input tables (only the columns the judgment reads); a missing file is named."""
    missing = [t for t in TABLES if not (folder / f"{t}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(t + '.parquet' for t in missing)}")
    scans = {t: pl.scan_parquet(folder / f"{t}.parquet") for t in TABLES}
    for table, scan in scans.items():
        present = scan.collect_schema().names()
        wanted = [c for c in INPUT_COLUMNS[table] if c in present or c not in OPTIONAL_COLUMNS]
        scans[table] = scan.select(wanted)
    return scans


def find_pods(accounts: pl.DataFrame, comments: pl.DataFrame) -> pl.DataFrame:
    """Pod membership over the whole population (the one judgment that needs everyone)."""
    return pod_membership(comments, accounts.select("account_id", "handle"))


def part_count(accounts: int, per_part: int) -> int:
    """How many parts of at most ``per_part`` accounts."""
    return max(1, -(-accounts // per_part))


def split(frames: dict[str, pl.DataFrame], parts: int) -> list[dict[str, pl.DataFrame]]:
    """The tables split into ``parts`` contiguous account-id ranges; every part gets every table, maybe empty."""
    if parts == 1:
        return [frames]
    cuts = _cuts(frames["accounts"], parts)
    pieces = {table: _pieces(frame, cuts) for table, frame in frames.items()}
    return [{table: pieces[table][part] for table in frames} for part in range(parts)]


def _cuts(accounts: pl.DataFrame, parts: int) -> np.ndarray:
    """The account ids at which parts 1 … parts-1 start (ranges of about equal numbers of accounts)."""
    ids = np.unique(accounts["account_id"].to_numpy())
    return ids[(np.arange(1, parts) * ids.size) // parts]


def _pieces(frame: pl.DataFrame, cuts: np.ndarray) -> list[pl.DataFrame]:
    """``frame`` cut into account-id ranges: slices without a copy when it is in account order."""
    ids = frame["account_id"]
    if ids.is_sorted():
        ends = np.searchsorted(ids.to_numpy(), cuts, side="left").tolist()
        starts = [0, *ends]
        return [frame.slice(start, end - start) for start, end in zip(starts, [*ends, frame.height], strict=True)]
    part = pl.Series("_part", np.searchsorted(cuts, ids.to_numpy(), side="right"))
    chunks = frame.with_columns(part).partition_by("_part", as_dict=True, include_key=False)
    return [chunks.get((index,), frame.clear()) for index in range(cuts.size + 1)]


Frames = dict[str, pl.DataFrame]


def score_parts(
    parts: Iterable[tuple[Frames, pl.DataFrame]],
    *,
    bounds: Sequence[int] = DEFAULT_BOUNDS,
    reference: pl.DataFrame | None = None,
    progress: Callable[[int, int], None] | None = None,
    total: int = 0,
) -> pl.DataFrame:
    """Judge each part (its four tables and the pod membership of its accounts), then ``gather`` the reports.

    The one vetting run every caller shares: files on one machine, a process pool, and the store's own
    runs (which load their parts from the database) all score and gather here.
    """
    reports = []
    for done, (frames, pods) in enumerate(parts, start=1):
        accounts, posts, snapshots, comments = (frames[t] for t in TABLES)
        reports.append(judge(accounts, posts, snapshots, comments, pods, bounds=bounds))
        if progress is not None:
            progress(done, total or done)
    return gather(reports, reference)


def gather(reports: Sequence[pl.DataFrame], reference: pl.DataFrame | None = None) -> pl.DataFrame:
    """Concatenate the parts' reports in account order and add peer percentiles against ``reference``.

    ``reference`` (tier, platform, er_median) is the peer group; by default the gathered reports themselves.
    """
    judged = sorted_by(pl.concat(reports), ["account_id"])
    return with_percentiles(judged, judged if reference is None else reference)


def write_reports(reports: pl.DataFrame, sink: Path) -> Path:
    """Write ``sink/reports.parquet``."""
    sink.mkdir(parents=True, exist_ok=True)
    reports.write_parquet(sink / "reports.parquet")
    return sink / "reports.parquet"


def vet_partition(args: tuple[Path, int, tuple[int, ...]]) -> Path:
    """Vet one partition in a worker process; inputs and outputs go through files in the work folder."""
    workdir, part, bounds = args
    frames = {t: pl.read_ipc(workdir / f"{t}-{part}.arrow") for t in TABLES}
    result = judge(
        frames["accounts"], frames["posts"], frames["snapshots"], frames["comments"],
        pl.read_parquet(workdir / "pods.parquet"), bounds=bounds,
    )  # fmt: skip
    out = workdir / f"reports-{part}.parquet"
    result.write_parquet(out)
    return out


def _partition(frames: dict[str, pl.DataFrame], workdir: Path, parts: int) -> None:
    """Write the parts of ``split`` as Arrow IPC scratch files (no encoding: fast to write and read)."""
    for part, tables in enumerate(split(frames, parts)):
        for table, frame in tables.items():
            frame.write_ipc(workdir / f"{table}-{part}.arrow", compression="uncompressed")


Job = tuple[Path, int, tuple[int, ...]]
Mapper = Callable[[list[Job], Callable[[Path], None]], None]


def run_partitioned(
    source: Path, sink: Path, mapper: Mapper, *, bounds: Sequence[int] = DEFAULT_BOUNDS, workdir: Path | None = None
) -> EngineRun:
    """Find pods, write the partitions, let ``mapper`` vet each one, then gather ``sink/reports.parquet``.

    ``mapper(jobs, done)`` runs ``vet_partition`` for every job (any way it likes) and calls ``done(path)``
    for each written partition; the process-pool and Spark engines differ only in their mapper.
    """
    started = time.perf_counter()
    frames = {table: scan.collect() for table, scan in read_inputs(source).items()}
    n_accounts = frames["accounts"].height
    parts = part_count(n_accounts, ACCOUNTS_PER_PARTITION)
    with tempfile.TemporaryDirectory(prefix="grassroots-engine-", dir=workdir) as tmp:
        work = Path(tmp)
        find_pods(frames["accounts"], frames["comments"]).write_parquet(work / "pods.parquet")
        _partition(frames, work, parts)
        del frames
        outputs: list[Path] = []
        mapper([(work, part, tuple(bounds)) for part in range(parts)], outputs.append)
        output = write_reports(gather([pl.read_parquet(p) for p in sorted(outputs)]), sink)
    return EngineRun(n_accounts, parts, time.perf_counter() - started, output)


def run_in_process(
    source: Path,
    sink: Path,
    *,
    bounds: Sequence[int] = DEFAULT_BOUNDS,
    progress: Callable[[int, int], None] | None = None,
    per_part: int | None = None,
) -> EngineRun:
    """Vet every account in this process, part after part, using Polars' threads."""
    started = time.perf_counter()
    frames = {table: scan.collect() for table, scan in read_inputs(source).items()}
    pods = find_pods(frames["accounts"], frames["comments"])
    parts = part_count(frames["accounts"].height, per_part or ACCOUNTS_PER_PART_IN_PROCESS)
    pieces = ((part, pods) for part in split(frames, parts))
    reports = score_parts(pieces, bounds=bounds, progress=progress, total=parts)
    output = write_reports(reports, sink)
    return EngineRun(frames["accounts"].height, parts, time.perf_counter() - started, output)


def run_local(
    source: Path,
    sink: Path,
    *,
    bounds: Sequence[int] = DEFAULT_BOUNDS,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EngineRun:
    """Vet every account in ``source`` and write ``sink/reports.parquet``.

    ``workers`` None or 1: in this process (the fast default); more: a process pool of that many workers.
    """
    if workers is None or workers <= 1:
        return run_in_process(source, sink, bounds=bounds, progress=progress)

    def pool_mapper(jobs: list[Job], done: Callable[[Path], None]) -> None:
        # spawn, not fork: forking a process whose Polars thread pool is running can deadlock the child.
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for finished, path in enumerate(pool.map(vet_partition, jobs), start=1):
                done(path)
                if progress is not None:
                    progress(finished, len(jobs))

    return run_partitioned(source, sink, pool_mapper, bounds=bounds)
