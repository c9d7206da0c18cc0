"""The vector index's tuning knobs and its crash-safe files (manifest, atomic replace, leftovers).

Split from ``discovery/vectors.py`` so each module stays readable; ``vectors.IndexSettings`` is re-exported there.
"""

from __future__ import annotations

import json
import math
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class IndexSettings:
    """Tuning knobs; the defaults are the measured choice at 1M x 384 on 2 cores (docs/performance.md)."""

    factory: str = "SQ8"  # faiss encoding inside the IVF lists: "SQ8" (1 byte/dim) or "Flat" (float32)
    nlist: int = 0  # inverted lists; 0 = the power of two nearest 2 * sqrt(n), within 64..4096
    nprobe: int = 64  # lists visited by an unfiltered search
    filtered_exponent: float = 0.3  # a filter keeping share s of the ids visits nprobe * s ** -this lists ...
    k_exponent: float = 0.15  # ... and asking for k > 10 results, (k / 10) ** this times more (2x for k = 1000)
    max_nprobe: int = 512
    overfetch: int = 4  # candidates re-ranked exactly per result, for the first 100 results (k=1000: 1,300)
    exact_max_allowed: int = 10_000  # `allowed` sets up to this size are scored exactly (~3 ms at 10k)
    ivf_min_vectors: int = 50_000  # below this many vectors no IVF is kept: every search is exact
    train_per_list: int = 48  # k-means sample = nlist * this (faiss warns below 39)
    compact_fraction: float = 0.02  # save() rewrites the base when the delta exceeds this share of it ...
    compact_min: int = 2_000  # ... or this many ids, whichever is larger

    def lists_for(self, n: int) -> int:
        """Number of IVF lists for n vectors."""
        if self.nlist:
            return self.nlist
        return int(min(4096, max(64, 2 ** round(math.log2(2 * math.sqrt(max(n, 1)))))))

    def nprobe_for(self, share: float, nlist: int, k: int = 10) -> int:
        """Lists to visit for k results when only `share` of the ids may be returned (1.0 = unfiltered)."""
        wanted = self.nprobe * max(share, 1e-6) ** -self.filtered_exponent * max(1.0, k / 10) ** self.k_exponent
        return int(min(nlist, self.max_nprobe, max(1, math.ceil(wanted))))


def _replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """write(tmp), fsync, then rename over path: a reader or a crash never sees half a file."""
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex[:8]}-{path.name}")  # same suffix: np.save adds none
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.exists():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{path}: unknown vector index format {manifest.get('format')!r}")
    return manifest


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """The commit point of a save: files the manifest does not name are leftovers."""
    text = json.dumps(manifest, indent=1)
    _replace_atomically(folder / MANIFEST, lambda path: path.write_text(text))
    if hasattr(os, "O_DIRECTORY"):  # make the renames themselves durable
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        os.fsync(fd)
        os.close(fd)


def _remove_unreferenced(folder: Path) -> None:
    manifest = _read_manifest(folder) or {}
    keep = {f"base-{manifest.get('base')}{suffix}" for suffix in (".ids.npy", ".vectors.npy", ".ivf")}
    keep.add(str(manifest.get("delta")))
    for path in folder.iterdir():
        leftover = path.name.startswith(("base-", "delta-")) and path.name not in keep
        if leftover or path.name.startswith(".tmp-"):
            path.unlink(missing_ok=True)
