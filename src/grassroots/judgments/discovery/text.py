"""Words for text search: Snowball (Porter 2) stems, so "baking" finds "bake", "baked" and "baker".

A creator's searchable words are the distinct stems of their bio, captions and hashtags. A query word matches
a stored stem that equals its stem or, for stems of four letters or more, starts with it: "bake" finds
"baker" and "bakeri" (bakery), "bread" finds the hashtag "breadbaking". Short stems match exactly only, so
"art" does not find "article".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
PREFIX_MIN = 4  # stems at least this long also match longer stems that start with them
# Words that carry no topic; kept out of the index and ignored in queries.
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "i", "in", "is", "it",
    "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "this", "to", "was", "we", "with", "you", "your",
})  # fmt: skip
_STEMMER = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lowercase without accents: "Crème" and "creme" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of a text, folded, in order; stopwords dropped."""
    return [w for w in WORD.findall(fold(text)) if w not in STOPWORDS]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of one folded word."""
    return str(_STEMMER.stemWord(word))


def stems(texts: Iterable[str]) -> list[str]:
    """Distinct stems of all words in the texts, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            seen.setdefault(stem(word), None)
    return list(seen)


def query_stems(query: str) -> list[str]:
    """The distinct stems of a search query, in order."""
    return stems([query])


def matches(query_stem: str, stored: str) -> bool:
    """Whether a stored stem answers a query stem (equal, or a prefix for long enough query stems)."""
    return stored == query_stem or (len(query_stem) >= PREFIX_MIN and stored.startswith(query_stem))


def highlight_spans(text: str, query: list[str]) -> list[tuple[int, int]]:
    """(start, end) character spans of the words in ``text`` that match any of the query stems."""
    spans: list[tuple[int, int]] = []
    if not query:
        return spans
    for m in WORD.finditer(text):
        word = fold(m.group())
        if word in STOPWORDS:
            continue
        s = stem(word)
        if any(matches(q, s) for q in query):
            spans.append((m.start(), m.end()))
    return spans


def snippet(text: str, query: list[str], width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around its first match (or its start), with the match spans inside the window."""
    spans = highlight_spans(text, query)
    start = 0
    if spans and len(text) > width:
        start = max(0, min(spans[0][0] - width // 3, len(text) - width))
    window = text[start : start + width]
    inside = [(a - start, b - start) for a, b in spans if a >= start and b <= start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return prefix + window + suffix, [(a + len(prefix), b + len(prefix)) for a, b in inside]
