"""The fast tone path: sentiment and emotion from features Polars computes in Rust, and a linear model.

For first passes over very large backlogs (`--mode fast`): no transformer and no per-text Python. Words
and word pairs are hashed into a fixed number of buckets (no vocabulary to store), and a few dense
features come from the VADER lexicon (sum of positive and negative valences, with a negation flip),
comment-section emoji, "!" and "?", shouting and elongation. A class-balanced logistic regression over
those is the whole model. It is less accurate than the shipped judgment (docs/accuracy.md), and every label
it writes records mode "fast".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import polars as pl
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from grassroots.judgments.language.files import TRAINED_DIR
from grassroots.judgments.language.lexicon import EMOTION_WORDS, emotion_word_counts, sentiment_analyzer

BUCKETS = 1 << 18
SEED = 42
TOKEN = r"#?[\p{L}\p{N}_']+|[\x{1F300}-\x{1FAFF}\x{2600}-\x{27BF}]|[!?]"
NEGATIONS = ["not", "no", "never", "nothing", "nobody", "cannot", "cant", "can't", "dont", "don't", "didnt",
             "didn't", "isnt", "isn't", "wont", "won't", "aint", "ain't", "wasnt", "wasn't", "doesnt", "doesn't"]  # fmt: skip
EMOTION_COLUMNS = tuple(f"emotion_{e}" for e in EMOTION_WORDS)  # already log(1 + count)
LOGGED = ("pos_valence", "neg_valence", "valence_words", "exclamations", "questions")
DENSE = (*LOGGED, "upper_share", "elongated", *EMOTION_COLUMNS)
C = 2.0
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ELONGATED = "|".join(f"{c}{{3,}}" for c in LETTERS)  # Rust regex has no back-references


def shorten(token: pl.Expr) -> pl.Expr:
    """Letters repeated three times or more cut to two ("soooo" -> "soo"), so elongations share a bucket."""
    for c in LETTERS:
        token = token.str.replace_all(f"{c}{{3,}}", c + c)
    return token


@lru_cache(maxsize=1)
def valence_table() -> pl.DataFrame:
    """The VADER lexicon the lexical model uses (with this project's slang and emoji): token -> valence."""
    lexicon = sentiment_analyzer().lexicon
    return pl.DataFrame(
        {"tok": list(lexicon), "valence": list(lexicon.values())}, schema={"tok": pl.String, "valence": pl.Float64}
    )


def featurize(texts: Sequence[str]) -> sparse.csr_matrix:
    """Hashed word and word-pair counts (log-scaled) plus the dense features, one row per text."""
    n = len(texts)
    frame = pl.DataFrame({"text": list(texts)}, schema={"text": pl.String}).with_row_index("row")
    raw = pl.col("text").fill_null("")
    lowered = raw.str.to_lowercase().str.replace_all(r"https?://\S+|www\.\S+", "http")
    tokens = frame.select(
        "row",
        lowered.str.extract_all(TOKEN).alias("tok"),
        (raw.str.count_matches(r"\p{Lu}").cast(pl.Float64) / raw.str.count_matches(r"\p{L}").clip(lower_bound=1)).alias(
            "upper_share"
        ),
        lowered.str.contains(ELONGATED).cast(pl.Float64).alias("elongated"),
        *emotion_word_counts(raw),
    )
    long = (
        tokens.select("row", "tok")
        .explode("tok")
        .drop_nulls("tok")
        .with_columns(shorten(pl.col("tok")))
        .with_columns(
            pl.col("tok").shift(1).over("row").alias("prev"),
            pl.col("tok").shift(1).over("row").is_in(NEGATIONS).fill_null(False).alias("negated"),
        )
    )
    grams = pl.concat(
        [
            long.select("row", pl.col("tok").alias("gram")),
            long.drop_nulls("prev").select("row", pl.concat_str(["prev", "tok"], separator=" ").alias("gram")),
        ]
    )
    counts = grams.group_by("row", (pl.col("gram").hash(SEED) % BUCKETS).alias("col")).len()
    valence = long.join(valence_table(), on="tok", how="inner").with_columns(
        pl.when(pl.col("negated")).then(-0.74 * pl.col("valence")).otherwise(pl.col("valence")).alias("v")
    )
    dense = (
        tokens.select("row", "upper_share", "elongated", *EMOTION_COLUMNS)
        .join(
            valence.group_by("row").agg(
                pl.col("v").clip(lower_bound=0).sum().alias("pos_valence"),
                (-pl.col("v").clip(upper_bound=0)).sum().alias("neg_valence"),
                pl.len().cast(pl.Float64).alias("valence_words"),
            ),
            on="row",
            how="left",
        )
        .join(
            long.group_by("row").agg(
                (pl.col("tok") == "!").sum().cast(pl.Float64).alias("exclamations"),
                (pl.col("tok") == "?").sum().cast(pl.Float64).alias("questions"),
            ),
            on="row",
            how="left",
        )
        .fill_null(0.0)
        .sort("row")
        .select([pl.col(c).log1p() if c in LOGGED else pl.col(c) for c in DENSE])
        .to_numpy()
    )
    hashed = sparse.csr_matrix(
        (np.log1p(counts["len"].to_numpy().astype(np.float64)), (counts["row"].to_numpy(), counts["col"].to_numpy())),
        shape=(n, BUCKETS),
    )
    return sparse.hstack([hashed, sparse.csr_matrix(dense)], format="csr")


@dataclass(frozen=True)
class FastToneModel:
    """A linear model over ``featurize``; labels in the data set's order."""

    kind: str
    labels: tuple[str, ...]
    coef: np.ndarray  # (classes, features), float32
    intercept: np.ndarray

    @classmethod
    def fit(cls, kind: str, labels: tuple[str, ...], texts: Sequence[str], y: np.ndarray) -> FastToneModel:
        """Train on texts and their labels (class-balanced logistic regression)."""
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit(featurize(texts), y)
        if tuple(model.classes_) != labels:
            raise ValueError(f"training labels must be exactly {labels}")
        return cls(kind, labels, model.coef_.astype(np.float32), model.intercept_.astype(np.float32))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities (softmax of the linear scores)."""
        if len(texts) == 0:
            return np.zeros((0, len(self.labels)))
        return self.proba_of(featurize(texts))

    def proba_of(self, features: sparse.csr_matrix) -> np.ndarray:
        """Class probabilities from ``featurize`` output (compute it once for both tone models)."""
        scores = np.asarray(features @ self.coef.T, dtype=np.float64) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp: np.ndarray = np.exp(scores)
        probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probabilities

    def save(self, path: Path) -> None:
        """Write the model (sparse coefficients: most hash buckets are never used)."""
        payload: dict[str, Any] = {"kind": self.kind, "labels": list(self.labels),
                                   "coef": sparse.csr_matrix(self.coef), "intercept": self.intercept}  # fmt: skip
        joblib.dump(payload, path, compress=3)

    @classmethod
    def load(cls, kind: str, path: Path | None = None) -> FastToneModel:
        """The shipped fast model of this kind (or one written by training)."""
        source = path or TRAINED_DIR / f"fast_{kind}.joblib"
        payload = joblib.load(source)
        if payload["kind"] != kind:
            raise ValueError(f"{source} holds a {payload['kind']} model, not {kind}")
        return cls(kind, tuple(payload["labels"]), payload["coef"].toarray().astype(np.float32), payload["intercept"])
