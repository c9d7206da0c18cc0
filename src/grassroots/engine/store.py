"""Export a workspace's store as the Parquet folder the batch engines read."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from grassroots.credibility.annotate import annotate
from grassroots.credibility.frames import load_frames


def export_frames(session: Session, workspace_id: int, folder: Path) -> dict[str, int]:
    """Write accounts, posts, snapshots and comments (with model columns) as Parquet; return row counts."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = annotate(load_frames(session.connection(), workspace_id))
    for name, frame in frames.items():
        frame.write_parquet(folder / f"{name}.parquet")
    return {name: frame.height for name, frame in frames.items()}
