"""Label a file of texts (CSV, Parquet or JSON lines with a ``text`` column) without touching the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from grassroots.csv_cells import safe_frame
from grassroots.errors import InvalidInput
from grassroots.judgments.language.judge import Mode, ToneModels, judge_texts

CHUNK = 5_000


def read_texts(path: Path) -> pl.DataFrame:
    """The file as a frame; a clear error when it cannot be read or has no ``text`` column."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    readers: dict[str, Callable[[Path], pl.DataFrame]] = {
        ".csv": pl.read_csv,
        ".parquet": pl.read_parquet,
        ".jsonl": pl.read_ndjson,
        ".ndjson": pl.read_ndjson,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise InvalidInput(f"{path}: use a .csv, .parquet or .jsonl file")
    try:
        frame = reader(path)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.__class__.__name__}: {str(exc).splitlines()[0]})") from exc
    if "text" not in frame.columns:
        raise InvalidInput(f"{path}: lacks column 'text' (has: {', '.join(frame.columns)})")
    return frame.with_columns(pl.col("text").cast(pl.String))


def label_file(
    path: Path, out: Path, *, mode: Mode = "full", progress: Callable[[int, int], None] | None = None
) -> int:
    """Write ``path`` with the label columns added to ``out`` (format by its suffix); returns the row count."""
    frame = read_texts(path)
    models = ToneModels.load()
    parts = []
    for start in range(0, frame.height, CHUNK):
        parts.append(judge_texts(frame.slice(start, CHUNK), models, mode=mode))
        if progress:
            progress(min(start + CHUNK, frame.height), frame.height)
    labelled = pl.concat(parts) if parts else judge_texts(frame, models, mode=mode)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".parquet":
        labelled.write_parquet(out)
    elif out.suffix.lower() in (".jsonl", ".ndjson"):
        labelled.write_ndjson(out)
    else:
        safe_frame(labelled).write_csv(out)  # a comment like "=HYPERLINK(…)" must not run in a spreadsheet
    return labelled.height
