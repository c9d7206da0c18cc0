"""Sentence embeddings: the bundled MiniLM loads offline, vectors are 384-d and normalised, repeats are free."""

import os
import socket
import time
from pathlib import Path

import numpy as np
import pytest

from grassroots.judgments.language import embeddings
from grassroots.judgments.language.embeddings import EMBEDDING_DIM, Embedder, shared_embedder, text_key

TEXTS = ["I love this so much 😍", "I adore this, it is wonderful", "The train to Leeds is delayed again", "🔥🔥🔥"]


class CountingEncoder:
    """A stand-in for the model: deterministic unit vectors, and a count of the texts it was asked for."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rng = np.random.default_rng([int(text_key(t)[:8], 16) for t in texts] or [0])
        vectors = rng.normal(size=(len(texts), EMBEDDING_DIM)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("the embedder tried to open a network connection")


def test_bundled_model_loads_with_the_network_blocked_and_gives_normalised_384_d_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embeddings.load_sentence_model.cache_clear()  # load for real here, even if another test loaded it first
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    vectors = Embedder().embed(TEXTS)
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    assert vectors.shape == (len(TEXTS), EMBEDDING_DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] + 0.2  # two kinds of praise are closer than praise and a train delay


def test_repeated_texts_cost_no_model_call() -> None:
    embedder = Embedder()
    first = embedder.embed([*TEXTS, TEXTS[0]])  # a repeat inside one call is encoded once too
    assert embedder.encoded_texts == len(TEXTS)
    started = time.perf_counter()
    again = embedder.embed(list(reversed(TEXTS)) * 50)
    assert time.perf_counter() - started < 0.05
    assert embedder.encoded_texts == len(TEXTS)
    assert np.array_equal(again[: len(TEXTS)], first[: len(TEXTS)][::-1])


def test_disk_cache_serves_a_new_embedder_without_the_model(tmp_path: Path) -> None:
    counting = CountingEncoder()
    first = Embedder(tmp_path, encoder=counting).embed(TEXTS)

    def refuse(texts: list[str]) -> np.ndarray:
        raise AssertionError(f"model called for {texts}")

    later = Embedder(tmp_path, encoder=refuse)
    assert np.array_equal(later.embed(TEXTS), first)
    assert later.encoded_texts == 0
    assert sum(len(c) for c in counting.calls) == len(TEXTS)
    assert list((tmp_path / embeddings.MODEL_NAME).glob("*.tmp.npz")) == []


def test_memory_cache_keeps_only_the_most_recent_texts() -> None:
    counting = CountingEncoder()
    embedder = Embedder(encoder=counting, memory_items=2)
    embedder.embed(["a", "b", "c"])
    embedder.embed(["b", "c"])
    assert embedder.encoded_texts == 3
    embedder.embed(["a"])  # evicted: encoded again
    assert embedder.encoded_texts == 4


def test_no_texts_give_an_empty_matrix_and_the_shared_embedder_is_one_object() -> None:
    assert Embedder(encoder=CountingEncoder()).embed([]).shape == (0, EMBEDDING_DIM)
    assert shared_embedder() is shared_embedder()
