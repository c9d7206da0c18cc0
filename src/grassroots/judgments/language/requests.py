"""Requests and suggestions in comments ("please do a video on…", "you should add…", "I wish it came in…").

What an audience asks for is content and product ideas a brand can act on. Readable rules, not a model:
the only real labelled set for this (SemEval-2019 Task 9 suggestion mining, in ../shared/data) is licensed
for non-commercial use, so it measures these rules (``grassroots evaluate requests FILE``) and trains nothing.
The rules were written from how people phrase requests, before measuring; docs/accuracy.md has the figures.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from grassroots.errors import InvalidInput

REQUEST_PATTERNS = (
    # Asking directly.
    r"\bplease\b", r"\bpls\b", r"\bplz\b", r"\bcan you (do|make|show|add|try|share|post|review|please)\b",
    r"\bcould you\b", r"\bwould you (mind|consider|be able)\b", r"\bwill you (do|make|add)\b",
    # Wishing and suggesting.
    r"\bi wish\b", r"\bwish (it|there|they|you)\b", r"\bwould (love|like) (to see|it if|a|an|more|some)\b",
    r"\bit would be (nice|great|good|helpful|awesome|useful|better|cool)\b", r"\bwould be (nice|great|helpful) (if|to)\b",
    r"\b(you|they|we|microsoft|it) (should|could|need to|needs to|ought to)\b", r"\bshould (add|make|have|include|allow|support|be able)\b",
    r"\b(i|we) (suggest|recommend|propose)\b", r"\bsuggestion\b", r"\bconsider (adding|making|allowing|using|supporting)\b",
    r"\b(need|want|needs) (a|an|the|more|some|better) \w+ (option|feature|version|way|size|shade|tutorial|video)\b",
    r"\b(allow|enable|let) (us|users|me|people|developers)\b", r"\bmake it (possible|easier|available)\b",
    r"\bhow about\b", r"\bwhy not\b", r"\bdo a (video|tutorial|review|part 2|follow.?up)\b", r"\bpart 2\b",
    r"\bnext (video|time|one) (should|could|please|on|about)\b", r"\b(bring|make) (it|this|them) back\b",
    # Added after reading 40 missed requests in the dev set (general English, not forum quirks; see docs).
    r"\bi'?d (love|like)\b", r"\bi would (love|like|prefer)\b", r"\bi (really )?want (to be able|the option|a|an|more)\b",
    r"\bthere (should|could|needs to|must) be\b", r"\bshould (be|have|report|show|support|allow|include|still)\b",
    r"\b(it'?d|it will|it would|would) be (a )?(really |very )?(good|great|nice|helpful|useful|pleasant|awesome)\b",
    r"\b(is|are) missing\b", r"\b(add|make|allow|include|provide|give|let|bring|support|enable|offer|create|do) (a|an|the|more|some|support|us|me|it|option|ability|feature)\b",
)  # fmt: skip
REQUEST = "|".join(f"(?:{p})" for p in REQUEST_PATTERNS)


def request_expr(text: pl.Expr) -> pl.Expr:
    """True when the text asks for or suggests something."""
    return text.fill_null("").str.to_lowercase().str.contains(REQUEST)


def evaluate_requests(path: Path) -> dict[str, float | int]:
    """Score a suggestion-mining CSV (columns sentence, label 0/1) with the rules: n, accuracy, P, R, F1."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    if not path.is_file():
        raise InvalidInput(f"no such data file: {path}")
    try:
        frame = pl.read_csv(path, infer_schema_length=10_000)
    except pl.exceptions.PolarsError as exc:
        raise InvalidInput(f"{path.name} cannot be read as CSV: {str(exc).splitlines()[0]}") from exc
    missing = [c for c in ("sentence", "label") if c not in frame.columns]
    if missing:
        raise InvalidInput(f"{path.name} lacks column(s) {', '.join(missing)}")
    y = frame["label"].cast(pl.Int64, strict=False)
    if y.is_null().any() or not set(y.unique().to_list()) <= {0, 1}:
        raise InvalidInput(f"{path.name}: label must be 0 or 1 on every row")
    if frame.height == 0:
        raise InvalidInput(f"{path.name} has no rows")
    predicted = frame.select(request_expr(pl.col("sentence").cast(pl.String))).to_series().cast(pl.Int64).to_numpy()
    truth = y.to_numpy()
    precision, recall, f1, _ = precision_recall_fscore_support(truth, predicted, average="binary", zero_division=0)
    return {
        "n": int(frame.height),
        "accuracy": float(accuracy_score(truth, predicted)),
        "precision": float(precision),
        "recall": float(recall),
        "f1": float(f1),
    }
