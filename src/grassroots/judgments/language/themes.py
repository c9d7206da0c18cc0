"""Themes: comments and captions clustered by meaning (MiniLM sentence embeddings), named by their words.

Each distinct text is embedded once and weighted by how often it was written. k-means over the unit
vectors (cosine geometry) finds the groups; each group is named by its most distinctive words (class-based
TF-IDF: frequent in this group, rare in the others) and shown with the texts closest to its centre.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from grassroots.judgments.language.embeddings import Embedder, shared_embedder

SEED = 42
MAX_THEMES = 12
MIN_SHARE = 0.02  # a group smaller than 2 % of the comments is not a theme
NAME_WORDS = 3
FULL_KMEANS_MAX = 20_000
# Comment-section filler: frequent everywhere, so it names nothing.
FILLER = frozenset(
    [
        "omg",
        "wait",
        "ahh",
        "hmm",
        "haha",
        "lol",
        "lmao",
        "honestly",
        "yes",
        "yeah",
        "ok",
        "okay",
        "tbh",
        "literally",
        "really",
        "just",
        "did",
        "does",
    ]
)


@dataclass(frozen=True)
class Theme:
    """One group of comments that say the same kind of thing."""

    name: str
    words: tuple[str, ...]
    comments: int
    share: float
    examples: tuple[str, ...]


def theme_count(distinct: int) -> int:
    """How many groups to look for: grows with the square root of the distinct texts, 2..MAX_THEMES."""
    return max(2, min(MAX_THEMES, round(math.sqrt(distinct / 4))))


def cluster(vectors: np.ndarray, weights: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Cluster labels and unit-length centres of weighted unit vectors (seeded, so repeatable)."""
    # Full k-means while it is cheap; mini-batches beyond (100k distinct texts cluster in seconds either way).
    model: KMeans | MiniBatchKMeans = (
        KMeans(n_clusters=k, random_state=SEED, n_init=4)
        if len(vectors) <= FULL_KMEANS_MAX
        else MiniBatchKMeans(n_clusters=k, random_state=SEED, n_init=3, batch_size=4096)
    )
    labels = model.fit_predict(vectors, sample_weight=weights)
    centres = model.cluster_centers_ / np.linalg.norm(model.cluster_centers_, axis=1, keepdims=True).clip(1e-9)
    return labels, centres


def distinctive_words(texts: Sequence[str], weights: np.ndarray, labels: np.ndarray, k: int) -> list[list[str]]:
    """Per group, the words most typical of it against the others (class-based TF-IDF)."""
    stop_words = sorted(FILLER | ENGLISH_STOP_WORDS)
    vectorizer = CountVectorizer(stop_words=stop_words, token_pattern=r"(?u)\b[^\W\d_]{3,}\b", min_df=1)
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # only stop words and emoji
        return [[] for _ in range(k)]
    vocab = np.asarray(vectorizer.get_feature_names_out())
    per_group = np.vstack([np.asarray(counts[labels == g].T @ weights[labels == g]).ravel() for g in range(k)])
    frequency = per_group / per_group.sum(axis=1, keepdims=True).clip(1)
    rarity = np.log1p(per_group.sum(axis=1).mean() / per_group.sum(axis=0).clip(1))
    scores = frequency * rarity
    return [[str(vocab[i]) for i in np.argsort(-row)[:NAME_WORDS] if row[i] > 0] for row in scores]


def distinct_examples(items: list[str], ranked: np.ndarray, n: int) -> list[int]:
    """The first n texts of a ranking that differ in their words (not just in emoji or punctuation)."""
    seen: set[str] = set()
    chosen = []
    for i in ranked:
        key = " ".join(w for w in re.findall(r"[^\W_]+", items[i].lower()) if w not in FILLER)
        if key not in seen:
            seen.add(key)
            chosen.append(int(i))
            if len(chosen) == n:
                break
    return chosen


def find_themes(
    texts: Sequence[str], *, embedder: Embedder | None = None, examples: int = 3, k: int | None = None
) -> list[Theme]:
    """Themes of these texts, largest first; groups under MIN_SHARE are left out."""
    distinct, counts = np.unique(np.asarray([t.strip() for t in texts if t and t.strip()], dtype=object),
                                 return_counts=True)  # fmt: skip
    if len(distinct) < 4:
        return []
    items = [str(t) for t in distinct]
    vectors = (embedder or shared_embedder()).embed(items)
    k = min(k or theme_count(len(items)), len(items))
    weights = counts.astype(np.float64)
    labels, centres = cluster(vectors, weights, k)
    names = distinctive_words(items, weights, labels, k)
    total = float(weights.sum())
    themes = []
    for group in range(k):
        members = np.flatnonzero(labels == group)
        share = float(weights[members].sum()) / total
        if share < MIN_SHARE or not len(members):
            continue
        ranked = members[np.argsort(-(vectors[members] @ centres[group]))]
        closest = distinct_examples(items, ranked, examples)
        words = tuple(names[group])
        name = " · ".join(words) if words else items[closest[0]][:40]
        themes.append(Theme(name, words, int(weights[members].sum()), share, tuple(items[i] for i in closest)))
    return sorted(themes, key=lambda t: (-t.comments, t.name))
