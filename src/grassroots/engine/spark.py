"""The same partition function on Apache Spark: ``mapInArrow`` over partition numbers.

The driver finds pods over the whole population and writes the partitions; each Spark task runs
``vet_partition`` — the very function the local engine runs — and reports the file it wrote. On a
cluster the work folder must be on storage every executor sees (HDFS, S3, NFS): pass ``workdir``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from grassroots.engine.local import EngineRun, Job, Mapper, run_partitioned, vet_partition
from grassroots.judgments.vetting.engagement import DEFAULT_BOUNDS


def spark_session(master: str = "local[2]") -> Any:
    """A Spark session whose Python workers use this interpreter (else they cannot import grassroots)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # the machine's hostname may not resolve
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName("grassroots-vetting")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )


def _task(batches: Iterator[Any], workdir: str, bounds: tuple[int, ...]) -> Iterator[Any]:
    import pyarrow as pa

    for batch in batches:
        parts = batch.column("part").to_pylist()
        paths = [str(vet_partition((Path(workdir), int(p), bounds))) for p in parts]
        yield pa.RecordBatch.from_pydict({"part": parts, "path": paths})


def run_spark(
    source: Path,
    sink: Path,
    *,
    bounds: Sequence[int] = DEFAULT_BOUNDS,
    master: str = "local[2]",
    workdir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EngineRun:
    """Vet every account in ``source`` on Spark and write ``sink/reports.parquet``.

    The session (a JVM) starts in the background while the driver finds pods and writes the partitions.
    """
    with ThreadPoolExecutor(max_workers=1) as starter:
        session = starter.submit(spark_session, master)
        return run_partitioned(source, sink, _mapper(session, tuple(bounds), progress), bounds=bounds, workdir=workdir)


def _mapper(session: Future[Any], bounds: tuple[int, ...], progress: Callable[[int, int], None] | None) -> Mapper:
    """Run ``vet_partition`` for every job as one Spark task each (``mapInArrow`` over partition numbers)."""

    def spark_mapper(jobs: list[Job], done: Callable[[Path], None]) -> None:
        spark = session.result()
        work = str(jobs[0][0])
        frozen = bounds
        numbers = spark.createDataFrame([(job[1],) for job in jobs], "part long").repartition(len(jobs))
        result = numbers.mapInArrow(lambda it: _task(it, work, frozen), "part long, path string").collect()
        for finished, row in enumerate(sorted(result, key=lambda r: r.part), start=1):
            done(Path(row.path))
            if progress is not None:
                progress(finished, len(jobs))

    return spark_mapper
