"""Search over a catalog: filters as masks, stems and meaning for relevance, seeds for lookalikes.

Relevance = cosine similarity of the query (or the mean of the seed creators) with a creator's content
vector, plus ``TEXT_BONUS`` times the share of query words the creator uses. A creator found by meaning
alone must reach ``SEMANTIC_FLOOR``; one that uses the words is kept whatever the cosine. Lookalikes also
weigh the seeds' tier and engagement (``LOOKALIKE_WEIGHTS``). Every hit carries its reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl

from grassroots.db.base import utcnow
from grassroots.discovery.catalog import Catalog
from grassroots.discovery.profiles import described_niches
from grassroots.discovery.schemas import SearchQuery
from grassroots.errors import InvalidInput
from grassroots.judgments.discovery.niches import TAXONOMY, keys_under
from grassroots.judgments.discovery.text import query_stems
from grassroots.judgments.language.embeddings import shared_embedder

TEXT_BONUS = 0.25
NICHE_BONUS = 0.15  # the creator is in a niche the query is about ("cozy baking at home" -> Food › Baking)
QUERY_NICHE_MIN = 0.35  # a query is about a niche when its cosine with the niche description reaches this
SEMANTIC_FLOOR = 0.35  # relevance a creator found by meaning alone must reach
BEST_MARGIN = 0.35  # ... and be within this of the best creator's (meaning = cosine + niche bonus)
SEMANTIC_CANDIDATES = 1000  # nearest creators fetched from the vector index before paging
EXACT_TEXT_MAX = 5000  # creators using the words but not among the nearest: their cosine computed up to this many
LOOKALIKE_WEIGHTS = (0.7, 0.15, 0.15)  # content, same tier, engagement closeness
SORT_COLUMNS = {
    "fit": ("fit", True),
    "credibility": ("credibility", True),
    "engagement": ("er_vs_tier", True),
    "growth": ("growth", True),
    "followers": ("followers", True),
    "smallest": ("followers", False),
}


@dataclass
class Ranked:
    """The rows a search selected, ordered, with the scores that explain them."""

    rows: pl.DataFrame  # the page: catalog columns + relevance, similarity, text_share, matched_bits
    total: int
    sort: str
    query_stems: list[str]


@lru_cache(maxsize=2048)
def query_vector(text: str) -> npt.NDArray[np.float32]:
    """The query through the model (repeated queries cost a dictionary look-up)."""
    return shared_embedder().embed([text])[0]


@lru_cache(maxsize=2048)
def query_niches(text: str) -> tuple[str, ...]:
    """The niches a query is about: close enough to their description, and within 0.05 of the closest."""
    scores = described_niches() @ query_vector(text)
    best = float(scores.max())
    return tuple(n.key for n, s in zip(TAXONOMY, scores, strict=True) if s >= QUERY_NICHE_MIN and s >= best - 0.05)


def filter_mask(frame: pl.DataFrame, q: SearchQuery) -> npt.NDArray[np.bool_]:
    """Rows that pass every filter of the query."""
    conditions: list[pl.Expr] = []
    if q.platform:
        wanted = [p.value for p in q.platform]
        conditions.append(pl.any_horizontal(pl.col("platforms").str.contains(p, literal=True) for p in wanted))
    if q.tier:
        conditions.append(pl.col("tier").is_in([t.value for t in q.tier]))
    if q.followers_min is not None:
        conditions.append(pl.col("followers") >= q.followers_min)
    if q.followers_max is not None:
        conditions.append(pl.col("followers") <= q.followers_max)
    if q.er_min is not None:
        conditions.append(pl.col("er") >= q.er_min / 100)
    if q.er_max is not None:
        conditions.append(pl.col("er") <= q.er_max / 100)
    if q.credibility_min is not None:
        conditions.append(pl.col("credibility") >= q.credibility_min)
    if q.country:
        conditions.append(pl.col("country") == q.country)
    if q.city:
        conditions.append(pl.col("city").str.contains(q.city.lower(), literal=True))
    if q.language:
        conditions.append(pl.col("language").str.starts_with(q.language.lower()))
    if q.hashtag:
        conditions.append(pl.col("hashtags").list.eval(pl.element().is_in(q.hashtag)).list.any())
    if q.posted_within_days is not None:
        conditions.append(pl.col("last_post_at") >= utcnow() - timedelta(days=q.posted_within_days))
    if q.sponsored_max is not None:
        conditions.append(pl.col("sponsored_share") <= q.sponsored_max / 100)
    if q.fit_min is not None:
        conditions.append(pl.col("fit") >= q.fit_min)
    if not conditions:
        return np.ones(len(frame), dtype=bool)
    mask = frame.select(pl.all_horizontal(conditions).fill_null(False)).to_series()
    return mask.to_numpy().astype(bool)


def _seed_vector(catalog: Catalog, like: list[int]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    seeds = catalog.rows_of(np.array(like, dtype=np.int64))
    if len(seeds) != len(set(like)):
        raise InvalidInput("a seed creator for 'more like this' was not found")
    with_vectors = [int(catalog.frame["id"][int(r)]) for r in seeds if catalog.frame["has_vector"][int(r)]]
    if not with_vectors:
        raise InvalidInput("the seed creators have no posts or bio to compare with yet")
    mean = catalog.vectors.vectors_of(np.array(with_vectors, dtype=np.int64)).mean(axis=0)
    return (mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32), seeds


def rank(catalog: Catalog, q: SearchQuery, *, brand_profile: bool, offset: int = 0, limit: int = 25) -> Ranked:
    """Select and order the catalog's rows for a query; only the rows of the page asked for are materialised."""
    frame = catalog.frame
    mask = filter_mask(frame, q)
    if q.niche:
        keys = set().union(*(keys_under(n) for n in q.niche))
        mask &= np.logical_or.reduce([catalog.niche_rows(k) for k in keys])
    sort = q.effective_sort(brand_profile)
    stems = query_stems(q.q) if q.q else []
    n = len(frame)
    similarity = np.full(n, np.nan, dtype=np.float32)
    text_share = np.zeros(n, dtype=np.float32)
    matched_bits = np.zeros(n, dtype=np.int64)  # bit i: the creator uses query stem i
    relevance = np.full(n, np.nan, dtype=np.float32)
    seeds = np.zeros(0, dtype=np.int64)
    if q.has_query:
        vectors: list[npt.NDArray[np.float32]] = []
        if q.like:
            seed_vector, seeds = _seed_vector(catalog, q.like)
            mask[seeds] = False
            vectors.append(seed_vector)
        if q.q:
            vectors.append(query_vector(q.q))
        for i, s in enumerate(stems[:62]):
            using = catalog.rows_with(s)
            text_share[using] += 1 / len(stems)
            matched_bits[using] |= 1 << i
        vector = np.mean(vectors, axis=0)
        vector = (vector / (np.linalg.norm(vector) or 1.0)).astype(np.float32)
        has_vector = catalog.has_vector
        allowed = mask & has_vector
        everyone = bool(allowed.all()) and len(catalog.vectors) == len(allowed)
        found, scores = catalog.vectors.search(vector, SEMANTIC_CANDIDATES, None if everyone else catalog.ids[allowed])
        found_rows = catalog.rows_of(found)
        similarity[found_rows] = scores[: len(found_rows)]
        texted = np.flatnonzero(mask & (text_share > 0) & has_vector & np.isnan(similarity))
        if 0 < len(texted) <= EXACT_TEXT_MAX:  # more: they rank by their words, the nearest are found above
            similarity[texted] = catalog.vectors.vectors_of(catalog.ids[texted]) @ vector
        about = query_niches(q.q) if q.q else ()
        in_niche = np.logical_or.reduce([catalog.niche_rows(k) for k in about]) if about else np.zeros(n, bool)
        meaning = np.nan_to_num(similarity, nan=0.0) + NICHE_BONUS * in_niche
        relevance = meaning + TEXT_BONUS * text_share
        if q.q:
            best = float(meaning[mask].max()) if mask.any() else 0.0
            floor = max(SEMANTIC_FLOOR, best - BEST_MARGIN)
            mask &= (text_share >= 1.0 - 1e-6) | ((meaning >= floor) & ~np.isnan(similarity))
        else:
            found_sim = np.nan_to_num(similarity, nan=-1.0)
            best = float(found_sim[mask].max()) if mask.any() else 0.0
            mask &= found_sim >= max(SEMANTIC_FLOOR, best - BEST_MARGIN)
        if len(seeds):
            rows = np.flatnonzero(mask)
            relevance = np.full(n, np.nan, dtype=np.float32)
            relevance[rows] = _lookalike(frame, seeds, rows, np.nan_to_num(similarity[rows], nan=0.0))
    picked = np.flatnonzero(mask)
    page = picked[_order(catalog, picked, sort, relevance, offset + limit)][offset : offset + limit]
    selected = frame[page].with_columns(
        pl.Series("similarity", similarity[page]).fill_nan(None),
        pl.Series("text_share", text_share[page]),
        pl.Series("relevance", relevance[page]).fill_nan(None),
        pl.Series("matched_bits", matched_bits[page]),
    )
    return Ranked(selected, len(picked), sort, stems)


def _order(catalog: Catalog, picked: npt.NDArray[np.int64], sort: str, relevance: npt.NDArray[np.float32],
           first: int) -> npt.NDArray[np.int64]:  # fmt: skip
    """Positions into ``picked`` of the first ``first`` results, in order: key descending (or ascending), nulls
    last, then id. Only the candidates that can reach the page are fully sorted (a partition finds them)."""
    if sort == "relevance":
        key, descending = relevance[picked].astype(np.float64), True
    else:
        column, descending = SORT_COLUMNS[sort]
        key = catalog.sort_key(column)[picked]
    key = -key if descending else key  # ascending from here on
    key = np.where(np.isnan(key), np.inf, key)  # nulls last
    ids = catalog.ids[picked]
    if len(key) > 4 * first > 0:
        threshold = np.partition(key, first - 1)[first - 1]
        near = np.flatnonzero(key <= threshold)  # every candidate that can be among the first, ties included
        return near[np.lexsort((ids[near], key[near]))][:first]
    return np.lexsort((ids, key))[:first]


def matched_stems(bits: int, stems: list[str]) -> list[str]:
    """The query stems a creator uses, from their bit set."""
    return [s for i, s in enumerate(stems[:62]) if bits >> i & 1]


def _lookalike(frame: pl.DataFrame, seeds: npt.NDArray[np.int64], rows: npt.NDArray[np.int64],
               similarity: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:  # fmt: skip
    """For these rows: content similarity to the seeds, plus sharing a seed's tier and engagement close to theirs."""
    seed_tiers = set(frame["tier"].gather(seeds).to_list())
    seed_er = float(np.median(frame["er"].gather(seeds).to_numpy()))
    er = frame["er"].gather(rows).to_numpy()
    closeness = 1 - np.minimum(np.abs(np.log((er + 1e-4) / (seed_er + 1e-4))) / np.log(4), 1)
    same_tier = frame["tier"].gather(rows).is_in(list(seed_tiers)).to_numpy().astype(np.float32)
    content, tier, engagement = LOOKALIKE_WEIGHTS
    return (content * similarity + tier * same_tier + engagement * closeness).astype(np.float32)
