"""Sentiment (negative / neutral / positive) and emotion (anger / joy / optimism / sadness) of short posts.

Each judgment averages two logistic regressions: one over the MiniLM sentence embedding (meaning,
paraphrase, context) and one over lexical features (TF-IDF word 1-2-grams and character 2-5-grams, VADER
scores with today's slang and emoji, emotion-word counts, writing style). Averaging the two scored higher
in 5-fold CV than one regression over all the features joined (emotion macro-F1 +0.01, sentiment level;
docs/accuracy.md). The lexical half alone is the fast mode: no transformer at all.
Labels come in the data sets' order (TweetEval's mapping), which is also their sorted order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from grassroots.judgments.language.embeddings import MODEL_NAME, Embedder, shared_embedder
from grassroots.judgments.language.files import TRAINED_DIR
from grassroots.judgments.language.lexicon import lexical_matrix, normalise_for_ngrams

# Words, #hashtags as their own tokens, and single pictographs (emoji carry much of a comment's tone).
TOKEN_PATTERN = r"(?u)#?\b\w+\b|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
# 14 dense lexical columns next to ~100k sparse n-grams: half weight (as in the spam model) keeps them
# from drowning the text while still letting VADER and the emotion words speak.
LEXICAL_WEIGHT = 0.5
LEXICAL_C = 4.0
SEMANTIC_C = 1.0
# Equal weights: no tuning of the blend on the dev data (0.4-0.6 all score within 0.01 in CV).
SEMANTIC_SHARE = 0.5
MAX_ITER = 3000


def build_lexical_classifier() -> Pipeline:
    """Untrained lexical half: n-gram TF-IDF + lexical features -> balanced logistic regression."""
    # min_df=2 for words too: an n-gram seen in a single tweet is not kept in the shipped vocabulary.
    words = TfidfVectorizer(
        preprocessor=normalise_for_ngrams, token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), sublinear_tf=True, min_df=2
    )
    chars = TfidfVectorizer(
        preprocessor=normalise_for_ngrams, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
    )
    lexical = Pipeline([("extract", FunctionTransformer(lexical_matrix)), ("scale", StandardScaler())])
    features = FeatureUnion(
        [("words", words), ("chars", chars), ("lexical", lexical)],
        transformer_weights={"words": 1.0, "chars": 1.0, "lexical": LEXICAL_WEIGHT},
    )
    # class_weight="balanced": the targets are macro metrics, where a rare class counts as much as a common one.
    classify = LogisticRegression(C=LEXICAL_C, class_weight="balanced", max_iter=MAX_ITER)
    return Pipeline([("features", features), ("classify", classify)])


def build_semantic_classifier() -> LogisticRegression:
    """Untrained semantic half: balanced logistic regression over the 384-d sentence embedding."""
    return LogisticRegression(C=SEMANTIC_C, class_weight="balanced", max_iter=MAX_ITER)


@dataclass(frozen=True)
class ToneModel:
    """A trained tone judgment (sentiment or emotion): lexical + semantic halves averaged."""

    lexical: Pipeline
    semantic: LogisticRegression
    embedder: Embedder = field(default_factory=shared_embedder, compare=False, repr=False)

    KIND: ClassVar[str] = "tone"
    LABELS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def model_file(cls) -> str:
        """File name of the shipped model."""
        return f"{cls.KIND}.joblib"

    @classmethod
    def fit(
        cls, texts: Sequence[str], labels: np.ndarray, vectors: np.ndarray, embedder: Embedder | None = None
    ) -> Self:
        """Train both halves on texts, their labels and their sentence embeddings (rows in the same order)."""
        # Every class must be present: the probability columns are the LABELS, in order.
        if tuple(sorted(set(np.asarray(labels).tolist()))) != cls.LABELS:
            raise ValueError(f"training labels must be exactly {cls.LABELS}")
        lexical = build_lexical_classifier().fit(list(texts), labels)
        semantic = build_semantic_classifier().fit(vectors, labels)
        return cls(lexical, semantic, embedder or shared_embedder())

    @classmethod
    def load(cls, path: Path | None = None, embedder: Embedder | None = None) -> Self:
        """Load the model shipped in the package (or one written by ``grassroots train``)."""
        source = path or TRAINED_DIR / cls.model_file()
        payload: dict[str, Any] = joblib.load(source)
        if payload["kind"] != cls.KIND or tuple(payload["labels"]) != cls.LABELS:
            raise ValueError(f"{source} holds a {payload['kind']} model, not {cls.KIND}")
        if payload["embedding_model"] != MODEL_NAME:
            raise ValueError(f"{source} was trained on {payload['embedding_model']} embeddings, not {MODEL_NAME}")
        return cls(payload["lexical"], payload["semantic"], embedder or shared_embedder())

    def save(self, path: Path) -> None:
        """Write the model file (compressed; the embedder is not part of it)."""
        payload = {
            "kind": self.KIND,
            "labels": list(self.LABELS),
            "embedding_model": MODEL_NAME,
            "lexical": self.lexical,
            "semantic": self.semantic,
        }
        joblib.dump(payload, path, compress=3)

    def lexical_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities from the lexical half alone (the fast mode)."""
        return np.asarray(self.lexical.predict_proba(list(texts)), dtype=np.float64)

    def semantic_proba(self, vectors: np.ndarray) -> np.ndarray:
        """Class probabilities from the semantic half, given the texts' sentence embeddings."""
        return np.asarray(self.semantic.predict_proba(vectors), dtype=np.float64)

    def proba_from_vectors(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """The shipped judgment when the embeddings are already at hand (training, batch jobs)."""
        return SEMANTIC_SHARE * self.semantic_proba(vectors) + (1 - SEMANTIC_SHARE) * self.lexical_proba(texts)

    def predict_proba(self, texts: Sequence[str], *, fast: bool = False) -> np.ndarray:
        """Probabilities (n x len(LABELS)); ``fast`` skips the embedding model (lower accuracy)."""
        if len(texts) == 0:
            return np.zeros((0, len(self.LABELS)))
        if fast:
            return self.lexical_proba(texts)
        return self.proba_from_vectors(texts, self.embedder.embed(list(texts)))

    def predict(self, texts: Sequence[str], *, fast: bool = False) -> list[str]:
        """The most probable label of each text."""
        return self.labels_of(self.predict_proba(texts, fast=fast))

    def labels_of(self, proba: np.ndarray) -> list[str]:
        """Label names of the highest-probability columns."""
        return [self.LABELS[i] for i in np.argmax(proba, axis=1)]


@dataclass(frozen=True)
class SentimentModel(ToneModel):
    """Negative / neutral / positive, trained on TweetEval sentiment (SemEval-2017 Task 4)."""

    KIND: ClassVar[str] = "sentiment"
    LABELS: ClassVar[tuple[str, ...]] = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class EmotionModel(ToneModel):
    """Anger / joy / optimism / sadness, trained on TweetEval emotion (SemEval-2018 Task 1)."""

    KIND: ClassVar[str] = "emotion"
    LABELS: ClassVar[tuple[str, ...]] = ("anger", "joy", "optimism", "sadness")
