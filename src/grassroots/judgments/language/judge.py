"""Every judgment on a comment or caption in one pass: a pure function from a frame of texts to labels.

``judge_texts`` adds sentiment (with a -1..1 score), emotion, purchase intent, question type and language to
any frame with a ``text`` column. Each distinct text is judged once (comment sections repeat themselves:
"love this 😍", "🔥🔥🔥"), so the cost follows the number of distinct texts, not of rows. It has no I/O, so
the engine can run it in a process pool or on Spark like the vetting functions.

Two modes: ``full`` (the shipped judgment: sentence embeddings + lexical model, the one whose accuracy
docs/accuracy.md reports) and ``fast`` (``fasttone``: hashed words and lexicon features computed by Polars
and a linear model, no transformer: lower accuracy, for first passes over very large backlogs). The mode
is recorded with every label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

from grassroots.judgments.language.fast_sentiment import FastToneModel, featurize
from grassroots.judgments.language.intent import annotate_comments
from grassroots.judgments.language.language_id import detect_languages
from grassroots.judgments.language.requests import request_expr
from grassroots.judgments.language.sentiment import EmotionModel, SentimentModel

Mode = Literal["full", "fast"]
LABEL_COLUMNS = ("sentiment", "sentiment_score", "emotion", "purchase_intent", "question_type", "request", "language")
# TweetEval's emotion set has no "neutral": a comment whose strongest emotion is this unsure shows none.
EMOTION_MIN_PROBABILITY = 0.5
NO_EMOTION = "none"
LABEL_SCHEMA = {
    "sentiment": pl.String,
    "sentiment_score": pl.Float64,
    "emotion": pl.String,
    "purchase_intent": pl.String,
    "question_type": pl.String,
    "request": pl.Boolean,
    "language": pl.String,
}


@dataclass(frozen=True)
class ToneModels:
    """The shipped sentiment and emotion models (full: they share the embedding cache) and their fast twins."""

    sentiment: SentimentModel
    emotion: EmotionModel
    fast_sentiment: FastToneModel
    fast_emotion: FastToneModel

    @classmethod
    def load(cls) -> ToneModels:
        """Every shipped tone model."""
        return cls(SentimentModel.load(), EmotionModel.load(), FastToneModel.load("sentiment"),
                   FastToneModel.load("emotion"))  # fmt: skip


def tone_labels(texts: list[str], models: ToneModels, mode: Mode) -> pl.DataFrame:
    """Sentiment, its score (P(positive) - P(negative)) and emotion for each text, in order."""
    if mode == "fast":
        features = featurize(texts)  # shared by both models: the featurising is most of the cost
        sentiment = models.fast_sentiment.proba_of(features)
        emotion = models.fast_emotion.proba_of(features)
    else:
        vectors = models.sentiment.embedder.embed(texts)
        sentiment = models.sentiment.proba_from_vectors(texts, vectors)
        emotion = models.emotion.proba_from_vectors(texts, vectors)
    labels = models.sentiment.LABELS
    score = sentiment[:, labels.index("positive")] - sentiment[:, labels.index("negative")]
    emotions = models.emotion.labels_of(emotion)
    sure = emotion.max(axis=1) >= EMOTION_MIN_PROBABILITY
    emotions = [
        label if ok and text.strip() else NO_EMOTION for label, ok, text in zip(emotions, sure, texts, strict=True)
    ]
    return pl.DataFrame(
        {
            "sentiment": models.sentiment.labels_of(sentiment),
            "sentiment_score": np.round(score, 4),
            "emotion": emotions,
        },
        schema={k: LABEL_SCHEMA[k] for k in ("sentiment", "sentiment_score", "emotion")},
    )


def judge_texts(frame: pl.DataFrame, models: ToneModels, *, mode: Mode = "full") -> pl.DataFrame:
    """``frame`` with LABEL_COLUMNS added (any existing columns of those names are replaced)."""
    base = frame.drop([c for c in LABEL_COLUMNS if c in frame.columns])
    key = pl.col("text").fill_null("")
    unique = base.select(key.alias("_text")).unique(maintain_order=True)["_text"].to_list()
    if not unique:
        return base.with_columns(pl.lit(None, dtype=dtype).alias(name) for name, dtype in LABEL_SCHEMA.items())
    rules = annotate_comments(pl.DataFrame({"text": unique}, schema={"text": pl.String}))
    labels = pl.concat(
        [
            pl.DataFrame({"_text": unique}, schema={"_text": pl.String}),
            tone_labels(unique, models, mode),
            rules.select("purchase_intent", "question_type", request_expr(pl.col("text")).alias("request")),
            pl.DataFrame({"language": detect_languages(unique)}, schema={"language": pl.String}),
        ],
        how="horizontal",
    )
    return (
        base.with_columns(key.alias("_text")).join(labels, on="_text", how="left", maintain_order="left").drop("_text")
    )
