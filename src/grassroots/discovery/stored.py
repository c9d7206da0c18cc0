"""Catalogs kept on disk, so a restarted server answers its first search in seconds, not minutes.

A large catalog (``PERSIST_MIN`` creators or more) is written under the data dir after it is built: its
columns as Parquet, its vector index (base + delta files) and the stamp it was built at. A process that has
no catalog in memory loads that copy and then applies the changes made in the database since, the same
way a running process does; a copy that cannot be brought up to date is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from grassroots.config import get_settings
from grassroots.discovery.vectors import VectorIndex

PERSIST_MIN = 50_000
FORMAT = 1


def folder_for(database: str, workspace_id: int) -> Path:
    """Where one database's workspace keeps its catalog."""
    digest = hashlib.sha1(database.encode()).hexdigest()[:12]
    return get_settings().data_dir / "discovery" / digest / f"ws-{workspace_id}"


def _encode(stamp: tuple[Any, ...]) -> list[Any]:
    return [v.isoformat() if isinstance(v, datetime) else v for v in stamp]


def _decode(values: list[Any]) -> tuple[Any, ...]:
    return tuple(datetime.fromisoformat(v) if i in (1, 3) and isinstance(v, str) else v for i, v in enumerate(values))


def save(folder: Path, frame: pl.DataFrame, vectors: VectorIndex, stamp: tuple[Any, ...]) -> None:
    """Write a catalog's columns, vectors and stamp (the stamp last, so a half-written copy is never used)."""
    if len(frame) < PERSIST_MIN:
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stamp.json").unlink(missing_ok=True)  # the copy is not usable until the new stamp is written
    tmp = folder / "columns.parquet.tmp"
    frame.write_parquet(tmp)
    tmp.replace(folder / "columns.parquet")
    vectors.save(folder / "vectors")  # only a small delta when these vectors were loaded from (or saved to) here
    stamp_tmp = folder / "stamp.json.tmp"
    stamp_tmp.write_text(json.dumps({"format": FORMAT, "stamp": _encode(stamp)}))
    stamp_tmp.replace(folder / "stamp.json")


def load(folder: Path) -> tuple[pl.DataFrame, VectorIndex, tuple[Any, ...]] | None:
    """A saved catalog's columns, vectors and stamp, or None when there is no usable copy."""
    try:
        meta = json.loads((folder / "stamp.json").read_text())
        if meta.get("format") != FORMAT:
            return None
        frame = pl.read_parquet(folder / "columns.parquet")
        vectors = VectorIndex.load(folder / "vectors")
    except (OSError, ValueError, KeyError):
        return None
    if len(vectors) != int(frame["has_vector"].sum()) or not np.all(np.diff(frame["id"].to_numpy()) > 0):
        return None
    return frame, vectors, _decode(meta["stamp"])


def forget(workspace_id: int) -> None:
    """Delete every saved catalog of a workspace (after erasing a person, no copy of them may stay on disk)."""
    root = get_settings().data_dir / "discovery"
    for folder in root.glob(f"*/ws-{workspace_id}"):
        shutil.rmtree(folder, ignore_errors=True)
