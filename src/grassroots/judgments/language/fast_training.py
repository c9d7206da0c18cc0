"""Train and cross-validate the fast tone models (``fasttone``) on the same folds as the shipped ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grassroots.judgments.language.fast_sentiment import BUCKETS, DENSE, C, FastToneModel
from grassroots.judgments.language.files import SEED, TRAINED_DIR
from grassroots.judgments.language.training import MODELS, _summaries, cv_folds, read_tweets, scores
from grassroots.judgments.vetting.training import sha256


def train_fast(kind: str, path: Path, *, seed: int = SEED, n_splits: int = 5) -> tuple[FastToneModel, dict[str, Any]]:
    """5-fold CV figures of the fast model of ``kind``, then the model fitted on every row."""
    labels = MODELS[kind].LABELS
    texts, y = read_tweets(path, labels)
    per_fold = []
    for train, test in cv_folds(texts, y, seed, n_splits):
        model = FastToneModel.fit(kind, labels, [texts[i] for i in train], y[train])
        proba = model.predict_proba([texts[i] for i in test])
        per_fold.append(scores(y[test], [labels[i] for i in proba.argmax(axis=1)]))
    cv = {name: summary.__dict__ for name, summary in _summaries(per_fold).items()}
    meta = {
        "model": f"fast_{kind}",
        "labels": list(labels),
        "method": f"class-balanced logistic regression (C={C}) over hashed word 1-2-grams ({BUCKETS:,} buckets, "
        f"log counts) and {len(DENSE)} dense features ({', '.join(DENSE)})",
        "data": {"file": f"{path.parent.name}/{path.name}", "sha256": sha256(path), "rows": len(y)},
        "seed": seed,
        "cv": {
            "protocol": f"stratified {n_splits}-fold, shuffled, random_state={seed}, repeated texts in one fold",
            "model": cv,
        },
    }
    return FastToneModel.fit(kind, labels, texts, y), meta


def save_fast(model: FastToneModel, meta: dict[str, Any], out: Path = TRAINED_DIR) -> Path:
    """Write ``fast_<kind>.joblib`` and its JSON; return the model path."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"fast_{model.kind}.joblib"
    model.save(target)
    (out / f"fast_{model.kind}.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return target
