"""What the comments API returns: summaries of labelled comments, themes, analysis runs, brand fit."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class LanguageOut(BaseModel):
    """Labelled comments in a scope, summarised: shares, intent, phrases, questions, objections, own use."""

    total: int
    unlabelled: int
    sentiment: dict[str, float]
    emotion: dict[str, float]
    intent: dict[str, int]
    intent_share: float
    languages: dict[str, float]
    phrases: list[dict[str, Any]]
    questions: list[dict[str, Any]]
    objections: list[dict[str, Any]]
    own_use: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    over_time: dict[str, list[Any]]


class ThemeOut(BaseModel):
    """A theme: a group of comments that say the same kind of thing."""

    name: str
    words: list[str]
    comments: int
    share: float
    examples: list[str]
    sentiment_score: float | None


class AnalyzeOut(BaseModel):
    """What an analysis run did."""

    comments: int
    distinct_texts: int
    seconds: float
    mode: str


class FitOut(BaseModel):
    """A creator's brand fit: 0-100, the posts closest to the brand, and posts in excluded categories."""

    profile: bool
    profile_text: str | None = None
    score: int | None = None
    cosine: float | None = None
    closest: list[dict[str, Any]] = []
    exclusions: list[dict[str, Any]] = []
    banned: list[str] = []
