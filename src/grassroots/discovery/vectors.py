"""Approximate nearest-neighbour index over creator embeddings (384-d MiniLM, inner product = cosine).

Measured by ``benchmarks/discovery_index.py``; figures and trade-offs in ``docs/performance.md``. The exact
float32 vectors live in numpy (a *base* segment, built or loaded from ``.npy``, plus a growable *extra* one for
ids added since): they answer ``vectors_of``, re-rank candidates and score small ``allowed`` sets exactly. A
faiss ``IVF{nlist},SQ8`` index, labelled by creator id, finds candidates; a filter is a bitmap ``IDSelector``
and raises ``nprobe``. On disk: a base written only at compaction, a small delta (ids upserted and removed
since) rewritten by every ``save``, and a manifest, replaced atomically, naming the files that count.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from grassroots.discovery.vector_files import (
    FORMAT,
    MANIFEST,
    IndexSettings,
    _read_manifest,
    _remove_unreferenced,
    _replace_atomically,
    _write_manifest,
)

DIM = 384
BUILD_THREADS = 2  # the cores of every machine this runs on; more OpenMP threads than cores slows faiss down
# One thread per search: a single query gains little from a second thread, and an OpenMP barrier waiting for a
# descheduled thread on a busy 2-core machine cost 10-30 ms (measured); the web server runs requests side by side.
SEARCH_THREADS = 1
MAX_ID = 2**31  # ids index a table of int32 rows, 4 bytes x the largest id (database keys; see _row_at)
CHUNK = 65_536  # vectors added to the IVF (or written) per step; one progress call each

Progress = Callable[[int, int], None]
_ptr = faiss.swig_ptr
_inner_products_by_row: Any = faiss.fvec_inner_products_by_idx  # type: ignore[attr-defined]


def _normalise(vectors: np.ndarray, dim: int) -> np.ndarray:
    """Rows as C-contiguous float32 unit vectors; ValueError for a wrong shape or a zero or non-finite row."""
    matrix = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    if np.any(norms == 0) or not np.all(np.isfinite(norms)):
        raise ValueError("vectors must be finite and non-zero")
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


def _as_ids(ids: np.ndarray | list[int]) -> np.ndarray:
    array = np.ascontiguousarray(np.asarray(ids, dtype=np.int64).reshape(-1))
    if array.size and (array.min() < 0 or array.max() >= MAX_ID):
        raise ValueError(f"ids must be in [0, {MAX_ID})")
    return array


def _top(scores: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (ids, scores), best first."""
    if scores.size > k:
        part = np.argpartition(-scores, k - 1)[:k]
        scores, ids = scores[part], ids[part]
    order = np.argsort(-scores, kind="stable")
    return ids[order].astype(np.int64), scores[order].astype(np.float32)


def _nothing() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)


class VectorIndex:
    """Normalised 384-d float32 vectors under int64 ids (creator ids). Inner product = cosine.

    Thread-safe: every public method takes one internal lock, so searches and writes are serialised.
    """

    dim: int

    def __init__(self, dim: int = DIM, settings: IndexSettings | None = None) -> None:
        """An empty index; use ``build``, ``empty`` or ``load``."""
        self.dim = dim
        self.settings = settings or IndexSettings()
        self._lock = threading.RLock()
        self._base_vectors = np.zeros((0, dim), dtype=np.float32)
        self._base_ids = np.zeros(0, dtype=np.int64)  # row -> id, -1 once removed
        self._extra_vectors = np.zeros((0, dim), dtype=np.float32)
        self._extra_ids = np.zeros(0, dtype=np.int64)
        self._extra_count = 0
        # id -> row (-1: none). Creator ids are database keys, dense from 1: a table is 4 bytes per id, answers
        # 10k look-ups in ~0.05 ms (a sorted-array search took 2 ms) and updates in O(1).
        self._row_at = np.zeros(0, dtype=np.int32)
        self._count = 0
        self._ivf: Any = None
        self._trained_size = 0
        self._folder: Path | None = None  # where the current base was last written or loaded from ...
        self._base_name = ""  # ... under this name
        self._dirty: set[int] = set()  # ids upserted since that base
        self._removed: set[int] = set()  # ids removed since that base

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        vectors: np.ndarray,
        *,
        progress: Progress | None = None,
        settings: IndexSettings | None = None,
    ) -> VectorIndex:
        """An index over these vectors (ids unique); trains the IVF when there are enough of them."""
        matrix = np.asarray(vectors)
        index = cls(matrix.shape[1] if matrix.ndim == 2 else DIM, settings)
        id_array = _as_ids(ids)
        index._base_vectors = _normalise(matrix, index.dim)
        if len(index._base_vectors) != len(id_array) or len(np.unique(id_array)) != len(id_array):
            raise ValueError("one unique id per vector")
        index._base_ids = id_array.copy()
        index._index_base()
        index._train(progress)
        return index

    @classmethod
    def empty(cls, dim: int = DIM, settings: IndexSettings | None = None) -> VectorIndex:
        """An index with no vectors (searched exactly until a compacting save() trains the IVF)."""
        return cls(dim, settings)

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add or replace vectors under these ids (the last one wins if an id repeats)."""
        id_array = _as_ids(ids)
        matrix = _normalise(vectors, self.dim)
        if len(matrix) != len(id_array):
            raise ValueError("one id per vector")
        id_array, last = np.unique(id_array[::-1], return_index=True)
        matrix = np.ascontiguousarray(matrix[::-1][last])
        with self._lock:
            rows = self._rows_of(id_array)
            known = rows >= 0
            for vectors_, _, mask, local in self._segments(rows[known]):
                vectors_[local] = matrix[known][mask]
            self._set_rows(id_array[~known], self._append(id_array[~known], matrix[~known]))
            if self._ivf is not None:
                self._ivf_remove(id_array[known])
                self._ivf.add_with_ids(matrix, id_array)
            self._dirty.update(id_array.tolist())
            self._removed.difference_update(id_array.tolist())

    def remove(self, ids: np.ndarray) -> None:
        """Forget these ids (unknown ids are ignored)."""
        id_array = np.unique(np.asarray(ids, dtype=np.int64).reshape(-1))
        with self._lock:
            rows = self._rows_of(id_array)
            id_array, rows = id_array[rows >= 0], rows[rows >= 0]
            if not len(id_array):
                return
            for _, ids_, _, local in self._segments(rows):
                ids_[local] = -1
            self._row_at[id_array] = -1
            self._count -= len(id_array)
            if self._ivf is not None:
                self._ivf_remove(id_array)
            self._dirty.difference_update(id_array.tolist())
            self._removed.update(id_array.tolist())

    def __len__(self) -> int:
        """Number of ids stored."""
        return self._count

    def __contains__(self, id: object) -> bool:
        """Whether this id has a vector."""
        return bool(isinstance(id, int | np.integer) and 0 <= id < len(self._row_at) and self._row_at[id] >= 0)

    def vectors_of(self, ids: np.ndarray) -> np.ndarray:
        """The stored float32 vectors of these ids, in their order; KeyError for an unknown id."""
        id_array = np.asarray(ids, dtype=np.int64).reshape(-1)
        with self._lock:
            rows = self._rows_of(id_array)
            if (rows < 0).any():
                raise KeyError(int(id_array[np.argmax(rows < 0)]))
            out = np.empty((len(rows), self.dim), dtype=np.float32)
            for vectors_, _, mask, local in self._segments(rows):
                out[mask] = vectors_[local]
            return out

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, cosine scores), best first. `allowed`: sorted unique int64 array of ids that may be returned (the result of the other filters), or None for all.

        A 2-d query (several seed vectors, for lookalikes) is averaged; the query is normalised either way.
        """
        q = _normalise(np.asarray(query, dtype=np.float32).reshape(-1, self.dim).mean(axis=0), self.dim)[0]
        with self._lock:
            if k <= 0 or not len(self) or (allowed is not None and not len(allowed)):
                return _nothing()
            faiss.omp_set_num_threads(SEARCH_THREADS)
            if allowed is None:
                if self._ivf is None:
                    return self._search_rows(q, k, self._row_at[self._row_at >= 0].astype(np.int64))
                return self._search_ivf(q, k, None)
            allowed = np.ascontiguousarray(allowed, dtype=np.int64)
            if self._ivf is None or len(allowed) <= self.settings.exact_max_allowed:
                return self._search_rows(q, k, self._rows_of(allowed))
            found = self._search_ivf(q, k, allowed)
            if len(found[0]) < k:  # too few allowed ids in the visited lists: be exact rather than short
                return self._search_rows(q, k, self._rows_of(allowed))
            return found

    def save(self, folder: Path) -> None:
        """Persist crash-safely: normally a small delta file; a new base (compaction) once the delta outgrows its limit."""
        folder = Path(folder)
        with self._lock:
            folder.mkdir(parents=True, exist_ok=True)
            manifest = _read_manifest(folder) or {}
            limit = max(self.settings.compact_min, self.settings.compact_fraction * len(self._base_ids))
            fits = len(self._dirty) + len(self._removed) <= limit
            if fits and manifest.get("base") == self._base_name and self._folder == folder.resolve():
                self._write_delta(folder, manifest)
            else:
                self._write_base(folder)
            _remove_unreferenced(folder)

    @classmethod
    def load(cls, folder: Path, *, settings: IndexSettings | None = None, mmap: bool = False) -> VectorIndex:
        """The index saved in folder (base + delta); ``mmap=True`` maps the base vectors copy-on-write instead of reading them."""
        folder = Path(folder)
        manifest = _read_manifest(folder)
        if manifest is None:
            raise FileNotFoundError(folder / MANIFEST)
        index = cls(int(manifest["dim"]), settings)  # tuning comes from the code; nlist and codes from the IVF file
        base = folder / f"base-{manifest['base']}"
        index._base_ids = np.load(f"{base}.ids.npy", allow_pickle=False).astype(np.int64, copy=True)
        index._base_vectors = np.load(f"{base}.vectors.npy", mmap_mode="c" if mmap else None, allow_pickle=False)
        if manifest["ivf"]:
            index._ivf = faiss.read_index(f"{base}.ivf")
            index._trained_size = int(manifest["trained_size"])
        index._index_base()
        if manifest["delta"]:
            with np.load(folder / manifest["delta"], allow_pickle=False) as delta:
                index.remove(delta["removed"])
                index.upsert(delta["ids"], delta["vectors"])
        index._folder, index._base_name = folder.resolve(), str(manifest["base"])
        return index

    # --------------------------------------------------------------------------------------------- search
    def _search_rows(self, q: np.ndarray, k: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = rows[rows >= 0]
        if not len(rows):
            return _nothing()
        scores, ids = np.empty(len(rows), dtype=np.float32), np.empty(len(rows), dtype=np.int64)
        for vectors, ids_, mask, local in self._segments(rows):
            part = np.empty(len(local), dtype=np.float32)
            local = np.ascontiguousarray(local)  # scored in place by row index: no gathered copy
            _inner_products_by_row(_ptr(part), _ptr(q), _ptr(vectors), _ptr(local), self.dim, 1, len(local))
            scores[mask], ids[mask] = part, ids_[local]
        return _top(scores, ids, k)

    def _search_ivf(self, q: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        share = 1.0 if allowed is None else min(1.0, len(allowed) / len(self))
        params = faiss.SearchParametersIVF()
        params.nprobe = self.settings.nprobe_for(share, self._ivf.nlist, k)
        keep_alive = None
        if allowed is not None and allowed.max() < 1 << 24:
            # A bitmap over the id space: 125 kB per million ids, filled in ~1 ms even for 500k allowed ids.
            mask = np.zeros(int(allowed.max()) + 1, dtype=bool)
            mask[allowed] = True
            keep_alive = np.packbits(mask, bitorder="little")
            params.sel = faiss.IDSelectorBitmap(len(keep_alive), faiss.swig_ptr(keep_alive))
        elif allowed is not None:  # ids too large for a bitmap: faiss' hashed batch selector
            keep_alive = allowed
            params.sel = faiss.IDSelectorBatch(len(allowed), faiss.swig_ptr(allowed))
        # Quantisation only swaps near-ties at the boundary: k=1000 re-ranks 1,300, not 4,000 (same recall, half the CPU).
        fetch = k + (self.settings.overfetch - 1) * min(k, 100)
        _, labels = self._ivf.search(q.reshape(1, -1), fetch, params=params)
        del keep_alive  # faiss read it until here
        return self._search_rows(q, k, self._rows_of(labels[0][labels[0] >= 0]))

    # -------------------------------------------------------------------------------------------- storage
    def _segments(self, rows: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """(vectors, ids, mask of rows, segment-local rows) for each segment that some rows fall in."""
        base = len(self._base_ids)
        in_base = rows < base
        if in_base.any():
            yield self._base_vectors, self._base_ids, in_base, rows[in_base]
        if not in_base.all():
            yield self._extra_vectors, self._extra_ids, ~in_base, rows[~in_base] - base

    def _rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Row of each id, -1 for an unknown id."""
        ids = np.asarray(ids, dtype=np.int64)
        inside = (ids >= 0) & (ids < len(self._row_at))
        if inside.all():
            return self._row_at[ids].astype(np.int64)
        rows = np.full(len(ids), -1, dtype=np.int64)
        rows[inside] = self._row_at[ids[inside]]
        return rows

    def _append(self, ids: np.ndarray, matrix: np.ndarray) -> np.ndarray:
        """Put new ids in the extra segment (its capacity doubles: appends are amortised O(1)); their rows."""
        start = self._extra_count
        need = start + len(ids)
        if need > len(self._extra_ids):
            more = max(1024, need, 2 * len(self._extra_ids)) - start
            self._extra_vectors = np.concatenate([self._extra_vectors[:start], np.zeros((more, self.dim), np.float32)])
            self._extra_ids = np.concatenate([self._extra_ids[:start], np.full(more, -1, dtype=np.int64)])
        self._extra_count = need
        self._extra_vectors[start:need], self._extra_ids[start:need] = matrix, ids
        return np.arange(start, need, dtype=np.int64) + len(self._base_ids)

    def _set_rows(self, ids: np.ndarray, rows: np.ndarray) -> None:
        if len(ids) and ids.max() >= len(self._row_at):  # grow by doubling: amortised O(1) per new id
            more = max(int(ids.max()) + 1, 2 * len(self._row_at)) - len(self._row_at)
            self._row_at = np.concatenate([self._row_at, np.full(more, -1, dtype=np.int32)])
        self._row_at[ids] = rows
        self._count += len(ids)

    def _index_base(self) -> None:
        live = self._base_ids >= 0
        self._row_at, self._count = np.zeros(0, dtype=np.int32), 0
        self._set_rows(self._base_ids[live], np.flatnonzero(live))

    def _ivf_remove(self, ids: np.ndarray) -> None:
        if len(ids):  # the IVF keeps an id -> list hash map, so a removal costs O(1), not a scan of every list
            ids = np.ascontiguousarray(ids, dtype=np.int64)
            self._ivf.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids)))

    def _live_chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, vectors) of every stored vector, CHUNK rows at a time, in row order."""
        for vectors, ids, count in (
            (self._base_vectors, self._base_ids, len(self._base_ids)),
            (self._extra_vectors, self._extra_ids, self._extra_count),
        ):
            for start in range(0, count, CHUNK):
                live = ids[start : start + CHUNK] >= 0
                yield ids[start : start + CHUNK][live], np.ascontiguousarray(vectors[start : start + CHUNK][live])

    def _train(self, progress: Progress | None = None) -> None:
        """(Re)build the IVF from the stored vectors, or drop it when there are too few."""
        total, done = len(self), 0
        if progress:
            progress(0, total)
        self._ivf, self._trained_size = None, 0
        if total >= self.settings.ivf_min_vectors:
            faiss.omp_set_num_threads(BUILD_THREADS)
            nlist = max(1, min(self.settings.lists_for(total), total // 39))  # faiss wants 39 points per list
            ivf = faiss.index_factory(self.dim, f"IVF{nlist},{self.settings.factory}", faiss.METRIC_INNER_PRODUCT)
            size = min(total, nlist * self.settings.train_per_list)
            sample = np.random.default_rng(0).choice(np.flatnonzero(self._row_at >= 0), size, replace=False)
            ivf.train(self.vectors_of(np.sort(sample)))
            faiss.extract_index_ivf(ivf).set_direct_map_type(faiss.DirectMap.Hashtable)  # type: ignore[attr-defined]
            for ids, vectors in self._live_chunks():
                ivf.add_with_ids(vectors, ids)
                done += len(ids)
                if progress and done < total:
                    progress(done, total)
            self._ivf, self._trained_size = ivf, total
        if progress:
            progress(total, total)

    # -------------------------------------------------------------------------------------------- on disk
    def _write_base(self, folder: Path) -> None:
        """Compaction: every stored vector as a new base; the IVF is retrained first if the data outgrew it."""
        enough = len(self) >= self.settings.ivf_min_vectors
        if (self._ivf is None and enough) or (self._ivf is not None and len(self) > 4 * self._trained_size):
            self._train()
        token = uuid.uuid4().hex[:16]
        base = folder / f"base-{token}"
        ids = np.concatenate([chunk_ids for chunk_ids, _ in self._live_chunks()] or [np.zeros(0, np.int64)])

        def write_vectors(path: Path) -> None:
            out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(len(ids), self.dim))
            start = 0
            for _, vectors in self._live_chunks():
                out[start : start + len(vectors)] = vectors
                start += len(vectors)
            out.flush()
            del out

        _replace_atomically(Path(f"{base}.ids.npy"), lambda path: np.save(path, ids, allow_pickle=False))
        _replace_atomically(Path(f"{base}.vectors.npy"), write_vectors)
        if self._ivf is not None:
            _replace_atomically(Path(f"{base}.ivf"), lambda path: faiss.write_index(self._ivf, str(path)))
        manifest = {"format": FORMAT, "dim": self.dim, "built_with": asdict(self.settings), "base": token}
        manifest |= {"count": len(ids), "ivf": self._ivf is not None, "trained_size": self._trained_size, "delta": None}
        _write_manifest(folder, manifest)
        self._folder, self._base_name = folder.resolve(), token
        self._dirty.clear()
        self._removed.clear()

    def _write_delta(self, folder: Path, manifest: dict[str, Any]) -> None:
        ids = np.array(sorted(self._dirty), dtype=np.int64)
        vectors = self.vectors_of(ids)
        removed = np.array(sorted(self._removed), dtype=np.int64)
        name = f"delta-{uuid.uuid4().hex[:16]}.npz"
        _replace_atomically(folder / name, lambda path: np.savez(path, ids=ids, vectors=vectors, removed=removed))
        _write_manifest(folder, {**manifest, "delta": name})
