"""Compare fake-account classifiers on the same folds: the additive model, its variants and the RF baseline.

Every candidate is scored with stratified 5-fold CV (shuffled) repeated over seeds 0-4 on the InstaFake dev
file, and every fold of every candidate uses the same split. Anything tuned (the decision threshold, the
choice among configurations) is tuned by an inner 5-fold CV on the training part of each outer fold only,
so the "nested" rows are honest estimates for unseen accounts.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fake_accounts_models.py [--data PATH] [--seeds 5] [--ebm]

(OMP_NUM_THREADS=1: on a shared 2-core machine the threaded fits otherwise spend their time contending.)

``--ebm`` adds an Explainable Boosting Machine (interpret-core, if installed); it is slow (~20-40 s a fit
on a busy 2-core machine) and, measured once, not better than the additive model (docs/accuracy.md).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import BaggingClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import SplineTransformer

from grassroots.judgments.vetting import fake_accounts
from grassroots.judgments.vetting.fake_accounts import FEATURES, PROFILE_COLUMNS
from grassroots.judgments.vetting.files import SEED
from grassroots.judgments.vetting.training import read_accounts

DATA = Path("/work/shared/data/instafake/accounts.csv")
THRESHOLDS = fake_accounts.THRESHOLD_GRID
# A probability-producing fit: (train X, train y) -> (test X -> P(fake)).
Fitter = Callable[[np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]


def gam(c: float = fake_accounts.REGULARISATION_C, knots: int = fake_accounts.SPLINE_KNOTS) -> Fitter:
    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        est = Pipeline(
            [
                ("splines", SplineTransformer(n_knots=knots, degree=3)),
                ("logit", LogisticRegression(C=c, max_iter=10_000)),
            ]
        ).fit(x, y)
        return lambda t: est.predict_proba(t)[:, 1]

    return fit


def with_pairs(inner: Fitter, pairs: list[tuple[str, str]]) -> Fitter:
    """Explicit product terms (still decomposable per pair) appended to the features."""
    ix = {n: i for i, n in enumerate(FEATURES)}

    def widen(x: np.ndarray) -> np.ndarray:
        return np.hstack([x, *[(x[:, ix[a]] * x[:, ix[b]])[:, None] for a, b in pairs]])

    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        predict = inner(widen(x), y)
        return lambda t: predict(widen(t))

    return fit


def derived(inner: Fitter) -> Fitter:
    """Give ``inner`` only the 12 derived features (the matrix also carries the 8 raw columns)."""
    n = len(FEATURES)
    return lambda x, y: (lambda predict: lambda t: predict(t[:, :n]))(inner(x[:, :n], y))


def sklearn_fitter(est: Any, columns: list[int] | None = None) -> Fitter:
    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        model = clone(est).fit(x if columns is None else x[:, columns], y)
        return lambda t: model.predict_proba(t if columns is None else t[:, columns])[:, 1]

    return fit


def ebm(interactions: int = 10) -> Fitter:
    from interpret.glassbox import ExplainableBoostingClassifier  # optional, only with --ebm

    return sklearn_fitter(
        ExplainableBoostingClassifier(
            feature_names=list(FEATURES), interactions=interactions, outer_bags=4, random_state=0, n_jobs=1
        )
    )


def logit_mean(*fitters: Fitter) -> Fitter:
    """Average in log-odds: each member is additive, so the average stays additive per feature."""

    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        members = [f(x, y) for f in fitters]

        def predict(t: np.ndarray) -> np.ndarray:
            p = np.clip(np.stack([m(t) for m in members]), 1e-9, 1 - 1e-9)
            return np.asarray(1 / (1 + np.exp(-np.log(p / (1 - p)).mean(axis=0))))

        return predict

    return fit


def tuned(options: dict[str, Fitter], inner_seed: int = 0) -> Callable[[np.ndarray, np.ndarray], tuple[Any, float]]:
    """Pick (option, threshold) by inner 5-fold CV F1 on the training part only; refit the option on all of it."""

    def fit(x: np.ndarray, y: np.ndarray) -> tuple[Any, float]:
        inner = StratifiedKFold(n_splits=5, shuffle=True, random_state=inner_seed)
        best: tuple[float, str, float] = (-1.0, "", 0.5)
        for name, option in options.items():
            oof = np.zeros(len(y))
            for tr, te in inner.split(x, y):
                oof[te] = option(x[tr], y[tr])(x[te])
            for t in THRESHOLDS:
                score = float(f1_score(y, oof >= t))
                if score > best[0] + 1e-12:
                    best = (score, name, float(t))
        return options[best[1]](x, y), best[2]

    return fit


def gam_pipeline() -> Pipeline:
    return fake_accounts.build_estimator()


def tuned_sklearn(est: Any, repeats: int = 1) -> Callable[[np.ndarray, np.ndarray], tuple[Any, float]]:
    """``est`` with its threshold picked by sklearn's TunedThresholdClassifierCV (as shipped), other inner CVs."""
    n = len(FEATURES)
    inner = RepeatedStratifiedKFold(n_splits=5, n_repeats=repeats, random_state=SEED)

    def fit(x: np.ndarray, y: np.ndarray) -> tuple[Any, float]:
        grid = list(THRESHOLDS)
        model = TunedThresholdClassifierCV(est, scoring="f1", thresholds=grid, cv=inner).fit(x[:, :n], y)
        return (lambda t: model.estimator_.predict_proba(t[:, :n])[:, 1]), float(model.best_threshold_)

    return fit


def shipped(x: np.ndarray, y: np.ndarray) -> tuple[Callable[[np.ndarray], np.ndarray], float]:
    """The shipped classifier exactly as ``grassroots train`` fits it (sklearn's TunedThresholdClassifierCV)."""
    n = len(FEATURES)
    model = fake_accounts.build_classifier(SEED).fit(x[:, :n], y)
    return (lambda t: model.estimator_.predict_proba(t[:, :n])[:, 1]), float(model.best_threshold_)


def evaluate(x: np.ndarray, y: np.ndarray, seeds: int, make: Any, nested: bool, k: int = 5) -> dict[str, Any]:
    per_seed: list[float] = []
    pooled: list[float] = []  # F1 of each seed's out-of-fold calls taken together (folds of 20 hold ~6 fakes)
    folds: list[float] = []
    prec: list[float] = []
    rec: list[float] = []
    thresholds: list[float] = []
    for seed in range(seeds):
        fold_f1 = []
        called = np.zeros(len(y), dtype=bool)
        for tr, te in StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(x, y):
            if nested:
                predict, threshold = make(x[tr], y[tr])
            else:
                predict, threshold = make(x[tr], y[tr]), 0.5
            hit = predict(x[te]) >= threshold
            called[te] = hit
            fold_f1.append(float(f1_score(y[te], hit)))
            prec.append(float(precision_score(y[te], hit, zero_division=0)))
            rec.append(float(recall_score(y[te], hit)))
            thresholds.append(threshold)
        per_seed.append(float(np.mean(fold_f1)))
        pooled.append(float(f1_score(y, called)))
        folds.extend(fold_f1)
    return {"f1": float(np.mean(per_seed)), "pooled": float(np.mean(pooled)), "seeds": per_seed, "folds": folds, "precision": float(np.mean(prec)),
            "recall": float(np.mean(rec)), "thresholds": thresholds}  # fmt: skip


def candidates(ebm_too: bool) -> list[tuple[str, Any, bool]]:
    raw = list(range(len(FEATURES), len(FEATURES) + len(PROFILE_COLUMNS)))
    engineered = list(range(len(FEATURES)))
    pair = [("has_picture", "follow_ratio_log")]
    rows: list[tuple[str, Any, bool]] = [
        ("RF 100 trees, 8 raw columns (training baseline)", sklearn_fitter(RandomForestClassifier(100, random_state=42), raw), False),
        ("RF 300 trees, 12 derived features", sklearn_fitter(RandomForestClassifier(300, random_state=42), engineered), False),
        ("HistGB, monotone (picture, posts, bio down; digits, follow ratio up)", sklearn_fitter(HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, monotonic_cst=_monotone(), random_state=42), engineered), False),
        ("GAM splines+LR C=3, threshold 0.5 (previous model)", derived(gam()), False),
        ("GAM C=3 + picture x follow-ratio product", derived(with_pairs(gam(), pair)), False),
        ("GAM C=3, threshold by inner CV: SHIPPED (nested)", shipped, True),
        ("GAM C=3, threshold by pooled inner out-of-fold F1 (nested)", tuned({"gam": derived(gam())}), True),
        ("GAM + picture x follow-ratio, threshold by inner CV (nested)", tuned({"p": derived(with_pairs(gam(), pair))}), True),
        ("GAM, threshold by inner 2x repeated 5-fold CV (nested)", tuned_sklearn(gam_pipeline(), repeats=2), True),
        ("bagged GAM (20 bootstraps, still additive), threshold by inner CV", tuned_sklearn(
            BaggingClassifier(gam_pipeline(), n_estimators=20, random_state=0)), True),
        ("GAM C in {1,3,10} and threshold by inner CV (nested)", tuned({str(c): derived(gam(c)) for c in (1.0, 3.0, 10.0)}), True),
    ]  # fmt: skip
    if ebm_too:
        rows.append(("EBM, 10 interactions, 4 outer bags", derived(ebm(10)), False))
        rows.append(("mean log-odds of GAM and EBM", derived(logit_mean(gam(), ebm(10))), False))
    return rows


def _monotone() -> list[int]:
    signs = {"has_picture": -1, "log_posts": -1, "bio_length_log": -1, "username_digit_ratio": 1, "follow_ratio_log": 1}
    return [signs.get(name, 0) for name in FEATURES]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--ebm", action="store_true")
    parser.add_argument("--only", default="", help="run only candidates whose name contains this text")
    parser.add_argument(
        "--folds",
        type=int,
        default=5,
        help="outer folds (10 or 20: training parts nearer the 776 accounts the shipped model sees)",
    )
    args = parser.parse_args()
    features, y = read_accounts(args.data)
    # Derived features first, then the 8 raw columns (for the RF baseline), so one matrix serves all.
    x = np.hstack([fake_accounts.feature_matrix(features), features.select(PROFILE_COLUMNS).to_numpy().astype(float)])
    print(f"{args.data.name}: {len(y)} accounts, {int(y.sum())} fake; stratified {args.folds}-fold x seeds "
          f"0-{args.seeds - 1}")  # fmt: skip
    print(f"{'candidate':<72} {'F1':>6} {'min':>6} {'max':>6} {'pooled':>6} {'prec':>6} {'rec':>6} {'thr':>9} {'s':>5}")
    for name, make, nested in candidates(args.ebm):
        if args.only and args.only not in name:
            continue
        start = time.perf_counter()
        r = evaluate(x, y, args.seeds, make, nested, args.folds)
        thr = f"{min(r['thresholds']):.2f}-{max(r['thresholds']):.2f}"
        print(f"{name:<72} {r['f1']:6.4f} {min(r['seeds']):6.4f} {max(r['seeds']):6.4f} {r['pooled']:6.4f} {r['precision']:6.3f} "
              f"{r['recall']:6.3f} {thr:>9} {time.perf_counter() - start:5.0f}", flush=True)  # fmt: skip
        if args.seeds >= 1:
            print("    F1 per fold, seed 0:", " ".join(f"{f:.3f}" for f in r["folds"][:5]))


if __name__ == "__main__":
    main()
