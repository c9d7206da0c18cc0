"""The local engine over Parquet partitions gives exactly what the judgment gives over the whole frame."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import Engine, select

from grassroots.db.session import session_scope
from grassroots.demo.service import ensure_demo
from grassroots.engine import local
from grassroots.judgments.vetting.pipeline import vet
from grassroots.vetting.repository import load_frames
from grassroots.workspaces.models import Workspace


def _frames(engine: Engine, tmp_path: Path) -> dict[str, pl.DataFrame]:
    with session_scope(engine) as s:
        ensure_demo(s, tmp_path, creators=150, seed=9, today=date(2026, 11, 20))
        ws = s.scalar(select(Workspace.id))
        assert ws is not None
        frames = load_frames(s.connection(), ws)
    # The comment models are exercised elsewhere; here a fixed rule stands in so the comparison is exact.
    frames["comments"] = frames["comments"].with_columns(
        pl.col("text").str.contains("(?i)follow me|check out").cast(pl.Float64).alias("spam_prob"),
        pl.col("text").str.contains("(?i)^(great post|nice pic|love this)").alias("generic"),
    )
    return frames


def _source(engine: Engine, tmp_path: Path) -> tuple[dict[str, pl.DataFrame], Path]:
    frames = _frames(engine, tmp_path)
    source = tmp_path / "in"
    source.mkdir()
    for name, frame in frames.items():
        frame.write_parquet(source / f"{name}.parquet")
    return frames, source


def test_partitions_over_a_process_pool_match_the_whole_frame(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames, source = _source(sqlite_engine, tmp_path)
    monkeypatch.setattr(local, "ACCOUNTS_PER_PARTITION", 50)
    run = local.run_local(source, tmp_path / "out", workers=2)
    assert run.partitions >= 3 and run.accounts == frames["accounts"].height
    batch = pl.read_parquet(run.output)
    whole = vet(frames["accounts"], frames["posts"], frames["snapshots"], frames["comments"]).sort("account_id")
    assert_frame_equal(batch.drop("reasons"), whole.drop("reasons"), check_exact=False, rel_tol=1e-9)
    assert batch["reasons"].to_list() == whole["reasons"].to_list()
    assert batch.filter(pl.col("pod_id").is_not_null()).height > 0


def test_parts_in_process_match_the_whole_frame_and_the_process_pool(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames, source = _source(sqlite_engine, tmp_path)
    monkeypatch.setattr(local, "ACCOUNTS_PER_PART_IN_PROCESS", 40)
    monkeypatch.setattr(local, "ACCOUNTS_PER_PARTITION", 70)
    seen: list[tuple[int, int]] = []
    run = local.run_local(source, tmp_path / "out", progress=lambda done, total: seen.append((done, total)))
    assert run.partitions >= 4 and seen[-1] == (run.partitions, run.partitions)
    in_process = pl.read_parquet(run.output)
    whole = vet(frames["accounts"], frames["posts"], frames["snapshots"], frames["comments"]).sort("account_id")
    assert_frame_equal(in_process.drop("reasons"), whole.drop("reasons"), check_exact=False, rel_tol=1e-9)
    assert in_process["reasons"].to_list() == whole["reasons"].to_list()
    pooled = pl.read_parquet(local.run_local(source, tmp_path / "pool", workers=2).output)
    assert_frame_equal(in_process, pooled)


def test_missing_input_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "accounts.parquet").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match=r"posts\.parquet"):
        local.run_local(tmp_path, tmp_path / "out")


def test_spark_runs_the_same_function_and_agrees_with_local(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.engine.spark import run_spark

    frames, source = _source(sqlite_engine, tmp_path)
    monkeypatch.setattr(local, "ACCOUNTS_PER_PARTITION", 60)
    on_spark = pl.read_parquet(run_spark(source, tmp_path / "spark", master="local[2]").output)
    on_local = pl.read_parquet(local.run_local(source, tmp_path / "local", workers=2).output)
    assert on_spark.height == frames["accounts"].height
    assert on_spark["credibility"].to_list() == on_local["credibility"].to_list()
    assert_frame_equal(on_spark, on_local)
