"""Comment authenticity: a spam / bot comment classifier and rule-based generic-praise detection.

The classifier is trained on the YouTube Spam Collection (CC BY 4.0): TF-IDF over words and character
n-grams plus a few signals of self-promotion that hold on any platform (links, "check out my",
"subscribe", "share this", phone numbers), fed to a linear SVM whose scores are calibrated into
probabilities. Generic praise ("Great post!", "Nice pic 🔥", emoji only) is not spam, so it is judged
by the documented rules in ``generic_praise_expr`` rather than learned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import polars as pl
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.svm import LinearSVC

from grassroots.judgments.vetting.files import TRAINED_DIR

MODEL_FILE = "spam_comments.joblib"
# Self-promotion cues from the TubeSpam paper's error analysis and common comment-spam templates;
# "share" alone lifts leave-one-video-out F1 by about 0.01 (docs/accuracy.md).
# The shipped model calls these at predict time: change them only together with `grassroots train`.
SPAM_PATTERNS = {
    "link": r"(?i)https?://|www\.|\.com\b|watch\?v=",
    "check_out": r"(?i)\bcheck\s*(out|it|this|my)\b",
    "subscribe": r"(?i)\bsub(scribe|scribing)?\b",
    "my_channel": r"(?i)\bmy\s+(channel|video|music|song|page|track|playlist)",
    "like_share_this": r"(?i)\b(like|share)\s+(this|my)\b",
    "please": r"(?i)\bplease\b",
    "follow": r"(?i)\bfollow\b",
    "money": r"(?i)\bfree\b|\bwin\b|\bmoney\b|\$",
    "share": r"(?i)\bshare\b",
    "like_this_comment": r"(?i)\blike\s+this\s+comment\b",
    "phone_number": r"\+?\d[\d\s-]{8,}\d",
    "look_up": r'(?i)\b(look\s+up|search\s+(for\s+)?["\w])',
}
# The hand-made signals are 15 dense columns next to ~30k sparse TF-IDF ones; half weight keeps them
# from drowning the text (0.5 beat 1 and 2 under leave-one-video-out CV).
SIGNAL_WEIGHT = 0.5
SVM_C = 1.0
CALIBRATION_FOLDS = 5
# YouTube returns HTML-escaped text with a byte-order mark; other sources may not, so both are handled.
_ENTITIES = {"&amp;": "&", "&quot;": '"', "&#39;": "'", "&lt;": "<", "&gt;": ">", "&nbsp;": " "}


def clean_text_expr(text: pl.Expr) -> pl.Expr:
    """Unescape the common HTML entities, drop tags and byte-order marks, and trim."""
    out = text.fill_null("").str.replace_all("\ufeff", "", literal=True)
    for entity, char in _ENTITIES.items():
        out = out.str.replace_all(entity, char, literal=True)
    return out.str.replace_all(r"<[^>]*>", " ").str.strip_chars()


def clean_texts(texts: Sequence[str] | np.ndarray) -> list[str]:
    """Cleaned copies of comment texts (first step of the spam pipeline)."""
    series = pl.Series("text", list(texts), dtype=pl.String)
    return pl.select(clean_text_expr(pl.lit(series))).to_series().to_list()


def comment_signals(texts: pl.Series) -> pl.DataFrame:
    """Hand-made spam signals per comment: pattern flags, log length, uppercase share, log exclamations."""
    text = pl.col("text")
    letters = text.str.count_matches(r"\p{L}").cast(pl.Float64)
    flags = [text.str.contains(pattern).cast(pl.Float64).alias(name) for name, pattern in SPAM_PATTERNS.items()]
    return pl.DataFrame({"text": texts}).select(
        *flags,
        (text.str.len_chars().cast(pl.Float64) + 1).log().alias("log_length"),
        (text.str.count_matches(r"\p{Lu}").cast(pl.Float64) / letters.clip(lower_bound=1.0)).alias("upper_share"),
        (text.str.count_matches("!", literal=True).cast(pl.Float64) + 1).log().alias("log_exclamations"),
    )


def signal_matrix(texts: Sequence[str] | np.ndarray) -> np.ndarray:
    """comment_signals as a float matrix (a pipeline step)."""
    return comment_signals(pl.Series("text", list(texts), dtype=pl.String)).to_numpy().astype(np.float64)


def build_estimator(seed: int) -> Pipeline:
    """The untrained spam pipeline: clean -> words + chars + signals -> calibrated linear SVM."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
            ("signals", Pipeline([("extract", FunctionTransformer(signal_matrix)), ("scale", StandardScaler())])),
        ],
        transformer_weights={"words": 1.0, "chars": 1.0, "signals": SIGNAL_WEIGHT},
    )
    svm = LinearSVC(C=SVM_C, random_state=seed)
    return Pipeline(
        [
            ("clean", FunctionTransformer(clean_texts)),
            ("features", features),
            ("classify", CalibratedClassifierCV(svm, cv=CALIBRATION_FOLDS, ensemble=False)),
        ]
    )


@dataclass(frozen=True)
class SpamCommentModel:
    """The trained spam-comment classifier."""

    estimator: Pipeline

    @classmethod
    def fit(cls, texts: Sequence[str], labels: np.ndarray, seed: int) -> SpamCommentModel:
        """Train on raw comment texts and 0/1 labels (1 = spam)."""
        return cls(build_estimator(seed).fit(list(texts), labels))

    @classmethod
    def load(cls, path: Path | None = None) -> SpamCommentModel:
        """Load the model shipped in the package (or one written by ``grassroots train``)."""
        source = path or TRAINED_DIR / MODEL_FILE
        payload: dict[str, Any] = joblib.load(source)
        return cls(payload["estimator"])

    def save(self, path: Path) -> None:
        """Write the model file (compressed)."""
        joblib.dump({"estimator": self.estimator}, path, compress=3)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability that each comment is spam."""
        if len(texts) == 0:
            return np.zeros(0)
        return np.asarray(self.estimator.predict_proba(list(texts))[:, 1])


# Generic praise: a comment of at most six words, every one a praise word or filler, at least one praise
# word; or emoji only. Says nothing about the post, so a bot or a pod can leave it anywhere.
PRAISE_WORDS = (
    r"gre+a+t", r"ni+ce+", r"amazing", r"awesome", r"beautiful", r"cool", r"lovely", r"gorgeous", r"stunning",
    r"perfect", r"wo+w+", r"lo+ve+", r"loved", r"loving", r"lit", r"fire", r"cute", r"dope", r"good", r"best",
    r"excellent", r"fantastic", r"incredible", r"brilliant", r"superb", r"fab", r"fabulous", r"wonderful",
    r"pretty", r"sweet", r"epic", r"goals", r"slay", r"omg", r"ya+y+", r"congrats", r"congratulations", r"bravo",
    r"beauty", r"queen", r"legend", r"insane", r"sick", r"stylish", r"classy", r"inspiring", r"inspirational",
)  # fmt: skip
FILLER_WORDS = (
    r"so+", r"very", r"really", r"super", r"such", r"a", r"an", r"the", r"this", r"that", r"it", r"its", r"is",
    r"was", r"what", r"i", r"you", r"your", r"ur", r"u", r"my", r"just", r"too", r"post", r"pic", r"pics",
    r"picture", r"photo", r"photos", r"shot", r"content", r"video", r"vid", r"feed", r"one", r"work", r"job",
    r"page", r"account", r"profile", r"look", r"looks", r"looking", r"bro", r"dude", r"dear", r"babe", r"girl",
    r"man", r"guys", r"keep", r"up", r"well", r"done", r"always", r"as", r"usual", r"ever", r"all", r"of",
    r"these", r"lol", r"haha", r"ye+s+", r"and", r"are", r"be+",
)  # fmt: skip
_WORD = "(?:" + "|".join(PRAISE_WORDS + FILLER_WORDS) + ")"
_ONLY_GENERIC_WORDS = rf"^{_WORD}(?:\s+{_WORD}){{0,5}}$"
_HAS_PRAISE_WORD = r"\b(?:" + "|".join(PRAISE_WORDS) + r")\b"
_PICTOGRAPH = r"[\p{Extended_Pictographic}\p{So}]"


def generic_praise_expr(text: pl.Expr) -> pl.Expr:
    """True where a comment is generic praise or emoji only (English praise words; see the rule above)."""
    raw = clean_text_expr(text)
    words = (
        raw.str.to_lowercase()
        .str.replace_all("<3", " love ", literal=True)
        .str.replace_all("'", "", literal=True)
        .str.replace_all(r"[^\p{L}\s]+", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    emoji_only = (words == "") & raw.str.contains(_PICTOGRAPH) & ~raw.str.contains(r"[\p{L}\p{N}]")
    praise = words.str.contains(_ONLY_GENERIC_WORDS) & words.str.contains(_HAS_PRAISE_WORD)
    return emoji_only | praise


def generic_praise(texts: Sequence[str]) -> list[bool]:
    """generic_praise_expr over a list of comment texts."""
    series = pl.Series("text", list(texts), dtype=pl.String)
    return pl.DataFrame({"text": series}).select(generic_praise_expr(pl.col("text"))).to_series().to_list()
