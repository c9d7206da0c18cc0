"""Train, cross-validate and evaluate the fake-account and spam-comment models on the labelled sets.

Every figure is measured with a fixed seed so that ``grassroots train`` reproduces the numbers recorded
next to the shipped model files, and each model is compared with a plain baseline measured the same way.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import sklearn
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import BaseCrossValidator, GroupKFold, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline

from grassroots.errors import InvalidInput
from grassroots.judgments.vetting import fake_accounts, spam_comments
from grassroots.judgments.vetting.fake_accounts import PROFILE_COLUMNS, FakeAccountModel, account_features
from grassroots.judgments.vetting.files import METRICS, SEED, TRAINED_DIR
from grassroots.judgments.vetting.spam_comments import SpamCommentModel

ACCOUNT_LABEL = "is_fake"
COMMENT_TEXT, COMMENT_LABEL, COMMENT_GROUP = "CONTENT", "CLASS", "video"
INSTAFAKE_TERMS = (
    "Trained on the InstaFake Dataset (F. C. Akyon, E. Kalfaoglu, ASYU 2019; github.com/fcakyon/instafake-dataset), "
    "CC BY-NC 4.0: this model inherits the non-commercial term."
)
YOUTUBE_TERMS = (
    "Trained on the YouTube Spam Collection (T. C. Alberto, J. V. Lochter, T. A. Almeida, ICMLA 2015; UCI), CC BY 4.0."
)


@dataclass(frozen=True)
class MetricSummary:
    """One metric over the CV folds."""

    mean: float
    sd: float
    folds: list[float]


@dataclass(frozen=True)
class CvReport:
    """Cross-validated figures of a model and of its baseline, measured on the same folds."""

    protocol: str
    n: int
    splits: int
    model: dict[str, MetricSummary]
    baseline_name: str
    baseline: dict[str, MetricSummary]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (as written to the metadata file)."""
        return asdict(self)


def _cv_metrics(
    estimator: BaseEstimator, x: Any, y: np.ndarray, cv: BaseCrossValidator, groups: np.ndarray | None = None
) -> dict[str, MetricSummary]:
    scores = cross_validate(estimator, x, y, groups=groups, cv=cv, scoring=list(METRICS), error_score="raise")
    out: dict[str, MetricSummary] = {}
    for name in METRICS:
        folds = [float(v) for v in scores[f"test_{name}"]]
        # sd over folds with ddof=1: the spread a reader should expect between held-out sets.
        out[name] = MetricSummary(float(np.mean(folds)), float(np.std(folds, ddof=1)), folds)
    return out


def scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float | int]:
    """The evaluate output: n, accuracy, precision, recall, f1 (positive class = 1)."""
    return {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
    }


def _read_csv(path: Path, required: tuple[str, ...]) -> pl.DataFrame:
    if not path.is_file():
        raise InvalidInput(f"no such data file: {path}")
    frame = pl.read_csv(path, infer_schema_length=10_000)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InvalidInput(f"{path.name} lacks column(s) {', '.join(missing)}")
    return frame


def read_accounts(path: Path) -> tuple[pl.DataFrame, np.ndarray]:
    """InstaFake-format CSV -> (feature frame, labels)."""
    frame = _read_csv(path, (*PROFILE_COLUMNS, ACCOUNT_LABEL))
    return account_features(frame), frame[ACCOUNT_LABEL].cast(pl.Int64).to_numpy()


def read_comments(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """YouTube-Spam-format CSV -> (raw texts, labels, video of each comment)."""
    frame = _read_csv(path, (COMMENT_TEXT, COMMENT_LABEL))
    groups = frame[COMMENT_GROUP].to_numpy() if COMMENT_GROUP in frame.columns else np.zeros(frame.height)
    texts = frame[COMMENT_TEXT].fill_null("").to_list()
    return texts, frame[COMMENT_LABEL].cast(pl.Int64).to_numpy(), groups


def train_fake_accounts(path: Path, *, seed: int = SEED, n_splits: int = 5) -> tuple[FakeAccountModel, CvReport]:
    """Cross-validate (stratified k-fold) the account model and the RF baseline, then fit on all rows."""
    features, y = read_accounts(path)
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    matrix = fake_accounts.feature_matrix(features)
    raw = features.select(PROFILE_COLUMNS).to_numpy().astype(np.float64)
    report = CvReport(
        protocol=f"stratified {n_splits}-fold, shuffled, random_state={seed}",
        n=len(y),
        splits=n_splits,
        # Nested: each outer training part picks its own threshold by inner CV, as the final fit does.
        model=_cv_metrics(fake_accounts.build_classifier(seed), matrix, y, cv),
        baseline_name="random forest (100 trees) on the 8 raw profile columns",
        baseline=_cv_metrics(RandomForestClassifier(n_estimators=100, random_state=seed), raw, y, cv),
    )
    return FakeAccountModel.fit(features, y, seed), report


def train_spam_comments(path: Path, *, seed: int = SEED, n_splits: int = 5) -> tuple[SpamCommentModel, CvReport]:
    """Cross-validate grouped by video (GroupKFold) the spam model and TF-IDF+LR, then fit on all rows."""
    texts, y, groups = read_comments(path)
    # GroupKFold cannot make more folds than there are videos (the dev set has three): one video per fold.
    splits = min(n_splits, len(np.unique(groups)))
    if splits < 2:
        raise InvalidInput("grouped CV needs comments from at least two videos")
    cv = GroupKFold(n_splits=splits)
    baseline = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    report = CvReport(
        protocol=f"GroupKFold({splits}) by video (asked for {n_splits}; {splits} videos): unseen videos only",
        n=len(y),
        splits=splits,
        model=_cv_metrics(spam_comments.build_estimator(seed), texts, y, cv, groups),
        baseline_name="TF-IDF (words, defaults) + logistic regression on the raw text",
        baseline=_cv_metrics(baseline, texts, y, cv, groups),
    )
    return SpamCommentModel.fit(texts, y, seed), report


def evaluate_fake_accounts(path: Path, model: FakeAccountModel | None = None) -> dict[str, float | int]:
    """Score an InstaFake-format file with the shipped (or given) model; positive class = fake."""
    features, y = read_accounts(path)
    predicted = ((model or FakeAccountModel.load()).predict_proba(features) >= 0.5).astype(int)
    return scores(y, predicted)


def evaluate_spam_comments(path: Path, model: SpamCommentModel | None = None) -> dict[str, float | int]:
    """Score a YouTube-Spam-format file with the shipped (or given) model; positive class = spam."""
    texts, y, _ = read_comments(path)
    predicted = ((model or SpamCommentModel.load()).predict_proba(texts) >= 0.5).astype(int)
    return scores(y, predicted)


def sha256(path: Path) -> str:
    """Hex sha256 of a file (recorded so a model can be traced to its data)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def metadata(kind: str, report: CvReport, data: Path, seed: int, method: str, terms: str) -> dict[str, Any]:
    """The JSON written next to a model file: data hash, seed, CV figures and library versions."""
    labels = read_accounts(data)[1] if kind == "fake_accounts" else read_comments(data)[1]
    return {
        "model": kind,
        "method": method,
        "positive_class": "fake" if kind == "fake_accounts" else "spam",
        "data": {"file": data.name, "sha256": sha256(data), "rows": len(labels), "positives": int(labels.sum())},
        "seed": seed,
        "cv": report.to_dict(),
        "versions": {
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "polars": pl.__version__,
            "python": platform.python_version(),
        },
        "terms": terms,
    }


METHODS = {
    "fake_accounts": (
        "cubic splines per feature (5 knots) + logistic regression (C=3) over 12 profile features; "
        "decision threshold picked for F1 by inner stratified 5-fold CV (grid 0.20-0.80)"
    ),
    "spam_comments": "TF-IDF words 1-2 + chars 2-5 + 15 spam signals, linear SVM (C=1), sigmoid-calibrated",
}
TERMS = {"fake_accounts": INSTAFAKE_TERMS, "spam_comments": YOUTUBE_TERMS}


def save_model(
    kind: str, model: FakeAccountModel | SpamCommentModel, report: CvReport, data: Path, out: Path, seed: int
) -> Path:
    """Write ``<kind>.joblib`` and ``<kind>.json`` (method, data sha256, CV figures) into ``out``; return the model path."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{kind}.joblib"
    model.save(target)
    _write_json(out / f"{kind}.json", metadata(kind, report, data, seed, METHODS[kind], TERMS[kind]))
    return target


def train_model(kind: str, path: Path, *, seed: int = SEED) -> tuple[FakeAccountModel | SpamCommentModel, CvReport]:
    """Train the ``kind`` model (fake_accounts or spam_comments) on its data file, with CV figures."""
    if kind == "fake_accounts":
        return train_fake_accounts(path, seed=seed)
    return train_spam_comments(path, seed=seed)


def evaluate_model(kind: str, path: Path) -> dict[str, float | int]:
    """Score a labelled file with the shipped ``kind`` model."""
    return evaluate_fake_accounts(path) if kind == "fake_accounts" else evaluate_spam_comments(path)


def recorded_metadata(kind: str, directory: Path = TRAINED_DIR) -> dict[str, Any]:
    """The metadata JSON shipped next to a model (kind: fake_accounts or spam_comments)."""
    loaded: dict[str, Any] = json.loads((directory / f"{kind}.json").read_text(encoding="utf-8"))
    return loaded


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
