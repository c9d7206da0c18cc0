"""The brand-fit check set: brand profiles and topics of real captions, to see that unrelated niches land low.

Captions are real posts written by people: TweetEval tweets (shared/data/tweeteval_sentiment and
tweeteval_emotion, deduplicated) selected by the topic words below, so each topic is what people actually
write about it, off-hand remarks included. Brand profiles are written the way the Brand profile form asks
(niche, values, tone) for five kinds of small brand. A pair is related when the topic is the brand's own field.
Used by benchmarks/brand_fit.py (the table in docs/language.md) and tests/comments/test_brand_fit.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TOPICS: dict[str, str] = {
    "skincare": r"\b(skin ?care|moisturi[sz]er|sunscreen|serum|acne|makeup|lipstick|mascara)\b",
    "food": r"\b(recipe|baking|bake|vegan|cooking|dinner|pizza|cake|bread)\b",
    "dogs": r"\b(dog|dogs|puppy|puppies)\b",
    "gaming": r"\b(xbox|ps4|playstation|gaming|nintendo|zelda)\b",
    "fitness": r"\b(gym|workout|marathon|fitness)\b",
    "music": r"\b(album|concert|song)\b",
    "football": r"\b(football|soccer|arsenal|chelsea|premier league)\b",
}
BRANDS: dict[str, tuple[str, str, str]] = {  # brand -> (niche, values, tone); its own topic has the same key
    "skincare": ("clean skincare", "cruelty-free, fragrance-free, honest reviews of what works on sensitive skin",
                 "calm, knowledgeable, no filters"),
    "food": ("home baking and sourdough", "real ingredients, slow fermentation, recipes anyone can follow",
             "warm, cosy, practical"),
    "dogs": ("natural dog treats and training gear", "positive reinforcement, healthy happy dogs", "friendly, playful"),
    "gaming": ("gaming headsets and controllers", "competitive play, fair play, streaming", "energetic, geeky"),
    "fitness": ("activewear and gym gear", "strength training, running, healthy habits", "motivating, honest"),
}  # fmt: skip


def by_topic(texts: Iterable[str]) -> dict[str, list[str]]:
    """Each topic's texts (a text may belong to several topics), in the order given, without repeats."""
    unique = list(dict.fromkeys(texts))
    return {topic: [t for t in unique if re.search(pattern, t, re.IGNORECASE)] for topic, pattern in TOPICS.items()}
