"""Stems, places and niches: the pure parts of discovery, pinned over texts written by people."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from grassroots.judgments.discovery import niches
from grassroots.judgments.discovery.places import country_code, split_location
from grassroots.judgments.discovery.text import highlight_spans, matches, query_stems, snippet, stems
from grassroots.judgments.language.embeddings import Embedder

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"


def test_baking_finds_bake_baked_and_baker_but_short_stems_match_whole_words() -> None:
    stored = stems(["Baker of weekend loaves", "Baked a bakery-style crumb", "art print"])
    (bake,) = query_stems("baking")
    assert {s for s in stored if matches(bake, s)} == {"baker", "bake", "bakeri"}
    assert not matches("art", "articl") and matches("art", "art")
    text = "Crackly crust, baked by 9"
    assert [text[a:b] for a, b in highlight_spans(text, [bake])] == ["baked"]
    cut, spans = snippet("x " * 200 + "my sourdough starter", ["sourdough"], width=60)
    assert cut.startswith("…") and cut[spans[0][0] : spans[0][1]] == "sourdough"


@pytest.mark.parametrize("text", ["UK", "United Kingdom", "GB", "Britain", "great britain", "England", "gbr"])
def test_one_country_however_it_is_written(text: str) -> None:
    assert country_code(text) == "GB"


def test_locations_split_into_city_and_country() -> None:
    assert split_location("Leeds, UK") == ("leeds", "GB")
    assert split_location("Berlin, Germany") == ("berlin", "DE")
    assert split_location("Portland, US") == ("portland", "US")
    assert split_location("Lisbon") == ("lisbon", None)
    assert split_location("Narnia, Nowhere") == ("narnia", None)
    assert country_code("Nowhere") is None and split_location("") == (None, None)


def _tweets(*words: str) -> list[str]:
    """Real tweets (TweetEval, written by people) that contain one of the words."""
    with (SHARED / "tweeteval_emotion" / "tweets.csv").open(encoding="utf-8") as f:
        rows = [r["text"] for r in csv.DictReader(f)]
    with (SHARED / "tweeteval_sentiment" / "tweets.csv").open(encoding="utf-8") as f:
        rows += [r["text"] for r in csv.DictReader(f)]
    return [t for t in rows if any(w in t.lower() for w in words)]


@pytest.fixture(scope="module")
def described() -> np.ndarray:
    return Embedder().embed([n.description for n in niches.TAXONOMY])


def _niches_of(texts: list[str], described: np.ndarray) -> list[str]:
    vectors = Embedder().embed(texts)
    mean = vectors.mean(axis=0)
    mean = (mean / np.linalg.norm(mean)).astype(np.float32)
    scores = niches.niche_scores(mean[None, :], described, np.zeros((1, len(niches.TAXONOMY)), np.float32))
    return [k for k, _ in niches.assign(scores)[0]]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("xbox", "playstation", "ps4"), "gaming"),
        ((" gym", "workout"), "fitness/gym"),
        (("cake", "baking"), "food/baking"),
    ],
)
def test_real_tweets_about_a_subject_get_its_niche(
    words: tuple[str, ...], expected: str, described: np.ndarray
) -> None:
    tweets = _tweets(*words)[:12]
    assert len(tweets) >= 5
    assert expected in _niches_of(tweets, described)


def test_tweets_about_nothing_in_particular_get_no_niche(described: np.ndarray) -> None:
    tweets = ["I hate Mondays so much", "Can't believe it's already Friday, where did the week go", "so tired today"]
    assert _niches_of(tweets, described) == []


def test_hashtags_add_evidence_and_a_parent_selects_its_children() -> None:
    hits = niches.hashtag_hits([["Sourdough", "realbread", "breadbaking", "other"]])
    baking = [n.key for n in niches.TAXONOMY].index("food/baking")
    assert hits[0, baking] == 3
    assert niches.keys_under("food") >= {"food/baking", "food/vegan", "food/cooking"}
    assert niches.keys_under("food/baking") == {"food/baking"}
