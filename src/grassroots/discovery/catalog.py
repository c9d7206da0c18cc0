"""The search catalog: one workspace's creators as columns in memory, a stem index and the vector index.

Filters are vectorised masks over the columns, text search looks stems up in a sorted vocabulary
(prefixes included), and semantic search asks the vector index for the nearest creators among those the
filters allow. A catalog is built from the database once per process and rebuilt when the workspace's
profiles or brand profile change (checked at most every ``STAMP_TTL`` seconds).
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.config import get_settings
from grassroots.creators.models import Creator
from grassroots.creators.tiers import tier_for
from grassroots.discovery import stored
from grassroots.discovery.models import SearchProfile
from grassroots.discovery.profiles import from_blob, niche_field
from grassroots.discovery.vectors import VectorIndex
from grassroots.judgments.discovery.text import matches
from grassroots.judgments.language.embeddings import EMBEDDING_DIM, shared_embedder
from grassroots.judgments.language.fit import best_other, calibrated, profile_text
from grassroots.workspaces.models import Workspace

STAMP_TTL = 5.0  # seconds a catalog is trusted before the database is asked whether it changed
BACKGROUND_MIN = 50_000  # catalogs this large are updated in a background thread
UPDATE_LIMIT = 2_000  # more changed creators than this: rebuild the catalog instead of updating it
Ids = npt.NDArray[np.int64]
Matrix = npt.NDArray[np.float32]


@dataclass
class Catalog:
    """Columns, stems and vectors of one workspace's creators, rows sorted by creator id."""

    workspace_id: int
    stamp: tuple[object, ...]
    frame: pl.DataFrame
    vocabulary: list[str]
    postings: list[Ids]  # per stem, the sorted ids of the creators who use it
    vectors: VectorIndex
    checked_at: float = field(default_factory=time.monotonic)
    ids: Ids = field(init=False)
    has_vector: npt.NDArray[np.bool_] = field(init=False)
    _niches: dict[str, npt.NDArray[np.bool_]] = field(init=False, default_factory=dict)
    _keys: dict[str, npt.NDArray[np.float64]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.ids = self.frame["id"].to_numpy().astype(np.int64)
        self.has_vector = self.frame["has_vector"].to_numpy().astype(bool)

    def sort_key(self, column: str) -> npt.NDArray[np.float64]:
        """A column as float64 for sorting, nulls and unvetted credibility as NaN (computed once per catalog)."""
        if column not in self._keys:
            key = self.frame[column].cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)
            if column == "credibility":
                key = np.where(key < 0, np.nan, key)  # not vetted yet
            self._keys[column] = key
        return self._keys[column]

    def niche_rows(self, key: str) -> npt.NDArray[np.bool_]:
        """Rows of creators with this niche (computed once per niche)."""
        if key not in self._niches:
            self._niches[key] = self.frame["niches"].list.contains(key).fill_null(False).to_numpy().astype(bool)
        return self._niches[key]

    def rows_with(self, query_stem: str) -> npt.NDArray[np.int64]:
        """Rows whose stems answer one query stem (equal, or longer stems it is a prefix of)."""
        start = bisect.bisect_left(self.vocabulary, query_stem)
        found: list[Ids] = []
        for i in range(start, len(self.vocabulary)):
            word = self.vocabulary[i]
            if not word.startswith(query_stem):
                break
            if matches(query_stem, word):
                found.append(self.postings[i])
        if not found:
            return np.zeros(0, dtype=np.int64)
        return self.rows_of(np.unique(np.concatenate(found)))

    def rows_of(self, creator_ids: Ids) -> npt.NDArray[np.int64]:
        """Row positions of these creator ids (unknown ids are dropped)."""
        ids = self.ids
        pos = np.searchsorted(ids, creator_ids)
        pos = np.clip(pos, 0, max(len(ids) - 1, 0))
        return pos[(len(ids) > 0) & (ids[pos] == creator_ids)] if len(ids) else np.zeros(0, np.int64)


_CACHE: dict[tuple[str, int], Catalog] = {}  # (database, workspace)
_PENDING: dict[tuple[str, int], tuple[float, int]] = {}  # when changed creators were last looked for, and how many wait
_UPDATING: set[tuple[str, int]] = set()  # catalogs being updated in a background thread
_LOCK = threading.Lock()
logger = logging.getLogger(__name__)


def pending_check(session: Session, workspace_id: int, look: Callable[[], int]) -> int:
    """Creators waiting to be indexed: ``look()`` runs at most every STAMP_TTL seconds per workspace."""
    key = (str(session.get_bind().engine.url), workspace_id)
    checked, pending = _PENDING.get(key, (-STAMP_TTL, 0))
    if time.monotonic() - checked < STAMP_TTL:
        return pending
    pending = look()
    _PENDING[key] = (time.monotonic(), pending)
    return pending


def _stamp(session: Session, workspace_id: int) -> tuple[Any, ...]:
    """(profiles, newest profile change, creators, newest creator change, brand profile hash)."""
    profiles = session.execute(
        select(func.count(), func.max(SearchProfile.updated_at)).where(SearchProfile.workspace_id == workspace_id)
    ).one()
    creators = session.execute(
        select(func.count(), func.max(Creator.updated_at)).where(Creator.workspace_id == workspace_id)
    ).one()
    brand = session.execute(
        select(Workspace.niche, Workspace.values, Workspace.tone).where(Workspace.id == workspace_id)
    ).one()
    return (*profiles, *creators, hashlib.sha1(repr(tuple(brand)).encode()).hexdigest())


def catalog_for(session: Session, workspace_id: int) -> Catalog:
    """The workspace's catalog: built once, then updated with the creators changed since (rebuilt after deletions).

    A large catalog is checked and updated in a background thread: searches keep using the current one, so no
    request waits for the database's counts or for an update.
    """
    key = (str(session.get_bind().engine.url), workspace_id)
    with _LOCK:
        current = _CACHE.get(key)
        if current is not None and time.monotonic() - current.checked_at < STAMP_TTL:
            return current
        if current is not None and len(current.frame) >= BACKGROUND_MIN:
            current.checked_at = time.monotonic()
            if key not in _UPDATING:
                _UPDATING.add(key)
                engine = session.get_bind().engine
                threading.Thread(target=_refresh_later, args=(engine, key, current), daemon=True).start()
            return current
        catalog = _refreshed(session, key, current)
        _CACHE[key] = catalog
        return catalog


def _refreshed(session: Session, key: tuple[str, int], current: Catalog | None) -> Catalog:
    """The catalog as the database has it now: the current one, updated in place, loaded from disk, or rebuilt."""
    workspace_id = key[1]
    stamp = _stamp(session, workspace_id)
    if current is not None and current.stamp == stamp:
        current.checked_at = time.monotonic()
        return current
    folder = stored.folder_for(key[0], workspace_id)
    current = current or _from_disk(workspace_id, folder)
    catalog = None
    if current is not None and current.stamp == stamp:
        return current
    if current is not None and _can_update(current.stamp, stamp):
        catalog = update_catalog(session, current, stamp)
    if catalog is None:
        catalog = build_catalog(session, workspace_id, stamp)
        stored.save(folder, catalog.frame, catalog.vectors, stamp)
    return catalog


def _refresh_later(engine: Engine, key: tuple[str, int], current: Catalog) -> None:
    """Bring a large catalog up to date in a thread, then swap it in (dropped on failure, rebuilt by the next search)."""
    try:
        with Session(engine) as session:
            refreshed = _refreshed(session, key, current)
        with _LOCK:
            if _CACHE.get(key) is current:
                _CACHE[key] = refreshed
    except Exception:
        logger.exception("updating the discovery catalog failed; it will be rebuilt")
        with _LOCK:
            _CACHE.pop(key, None)
    finally:
        _UPDATING.discard(key)


def _from_disk(workspace_id: int, folder: Path) -> Catalog | None:
    """The catalog saved on disk, with its stem postings rebuilt from its columns."""
    found = stored.load(folder)
    if found is None:
        return None
    frame, vectors, stamp = found
    vocabulary, postings = _postings(frame["id"].to_numpy().astype(np.int64), frame["stems"].to_list())
    return Catalog(workspace_id, stamp, frame, vocabulary, postings, vectors)


def _can_update(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Nothing was deleted and the brand profile is the same: the changes can be applied row by row."""
    return bool(old) and new[0] >= old[0] and new[2] >= old[2] and new[4] == old[4]


def touch_catalog(workspace_id: int) -> None:
    """Make the next search ask the database what changed (after indexing in this process)."""
    with _LOCK:
        for key, catalog in _CACHE.items():
            if key[1] == workspace_id:
                catalog.checked_at = -STAMP_TTL
        for key in [k for k in _PENDING if k[1] == workspace_id]:
            del _PENDING[key]


def forget_catalog(workspace_id: int | None = None) -> None:
    """Drop cached catalogs (one workspace, or all) so the next search rebuilds from the database."""
    with _LOCK:
        _PENDING.clear()
        if workspace_id is None:
            _CACHE.clear()
        else:
            for key in [k for k in _CACHE if k[1] == workspace_id]:
                del _CACHE[key]


def _read(
    session: Session, workspace_id: int, creator_ids: list[int] | None = None
) -> tuple[pl.DataFrame, Matrix, list[str]]:
    """Creators (all, or these) with their profiles: columns, content vectors (zeros without) and stems."""
    query = (
        select(
            Creator.id, Creator.display_name, Creator.primary_handle, Creator.primary_platform, Creator.platforms,
            Creator.followers, Creator.engagement_rate, Creator.credibility, Creator.language, Creator.location,
            SearchProfile.country, SearchProfile.city, SearchProfile.niches, SearchProfile.niche_scores,
            SearchProfile.hashtags, SearchProfile.stems, SearchProfile.last_post_at, SearchProfile.sponsored_share,
            SearchProfile.growth_30d, SearchProfile.vector,
        )
        .outerjoin(SearchProfile, SearchProfile.creator_id == Creator.id)
        .where(Creator.workspace_id == workspace_id)
        .order_by(Creator.id)
    )  # fmt: skip
    if creator_ids is not None:
        query = query.where(Creator.id.in_(creator_ids))
    rows = session.execute(query).all()
    settings = get_settings()
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in range(20)]
    vectors = columns[19]
    frame = pl.DataFrame(
        {
            "id": pl.Series(columns[0], dtype=pl.Int64),
            "name": pl.Series(columns[1], dtype=pl.String),
            "handle": pl.Series(columns[2], dtype=pl.String),
            "platform": pl.Series([p.value if p else None for p in columns[3]], dtype=pl.String),
            "platforms": pl.Series(columns[4], dtype=pl.String),
            "followers": pl.Series(columns[5], dtype=pl.Int64),
            "er": pl.Series(columns[6], dtype=pl.Float64),
            "credibility": pl.Series(columns[7], dtype=pl.Int64),
            "language": pl.Series([(x or "").lower() for x in columns[8]], dtype=pl.String),
            "location": pl.Series(columns[9], dtype=pl.String),
            "country": pl.Series(columns[10], dtype=pl.String),
            "city": pl.Series([x or "" for x in columns[11]], dtype=pl.String),
            "niches": pl.Series([x or [] for x in columns[12]], dtype=pl.List(pl.String)),
            "niche_scores": pl.Series([x or [] for x in columns[13]], dtype=pl.List(pl.Float64)),
            "hashtags": pl.Series([x or [] for x in columns[14]], dtype=pl.List(pl.String)),
            "last_post_at": pl.Series(columns[16], dtype=pl.Datetime("us", "UTC")),
            "sponsored_share": pl.Series([x or 0.0 for x in columns[17]], dtype=pl.Float64),
            "growth": pl.Series(columns[18], dtype=pl.Float64),
            "has_vector": pl.Series([v is not None for v in vectors], dtype=pl.Boolean),
        }
    )
    frame = frame.with_columns(
        pl.Series("tier", [tier_for(f, settings).value for f in frame["followers"]], dtype=pl.String)
    )
    matrix = np.zeros((len(rows), EMBEDDING_DIM), dtype=np.float32)
    for i, blob in enumerate(vectors):
        if blob is not None:
            matrix[i] = from_blob(blob)
    frame = frame.with_columns(_fit(session, workspace_id, matrix, frame["has_vector"].to_numpy()))
    return frame, matrix, [x or "" for x in columns[15]]


def build_catalog(session: Session, workspace_id: int, stamp: tuple[Any, ...] = ()) -> Catalog:
    """Read the workspace's creators and profiles into columns, stems and a vector index."""
    frame, matrix, stem_texts = _read(session, workspace_id)
    has = frame["has_vector"].to_numpy().astype(bool)
    ids = frame["id"].to_numpy().astype(np.int64)
    index = VectorIndex.build(ids[has], matrix[has]) if has.any() else VectorIndex.empty(EMBEDDING_DIM)
    vocabulary, postings = _postings(ids, stem_texts)
    frame = _with_tier_median(frame.with_columns(pl.Series("stems", stem_texts, dtype=pl.String)))
    return Catalog(workspace_id, stamp, frame, vocabulary, postings, index)


def update_catalog(session: Session, catalog: Catalog, stamp: tuple[Any, ...]) -> Catalog | None:
    """The catalog with the creators changed since its stamp re-read; None when too many changed to be worth it."""
    old = catalog.stamp
    since_profile, since_creator = old[1], old[3]
    changed = set(session.scalars(select(Creator.id).where(
        Creator.workspace_id == catalog.workspace_id, Creator.updated_at > since_creator)))  # fmt: skip
    if since_profile is not None:
        changed |= set(session.scalars(select(SearchProfile.creator_id).where(
            SearchProfile.workspace_id == catalog.workspace_id, SearchProfile.updated_at > since_profile)))  # fmt: skip
    else:
        changed |= set(session.scalars(select(SearchProfile.creator_id).where(
            SearchProfile.workspace_id == catalog.workspace_id)))  # fmt: skip
    if len(changed) > UPDATE_LIMIT:
        return None
    ids = sorted(changed)
    fresh, matrix, stem_texts = _read(session, catalog.workspace_id, ids)
    fresh = fresh.with_columns(pl.Series("stems", stem_texts, dtype=pl.String))
    before = catalog.frame.filter(pl.col("id").is_in(ids))
    vocabulary, postings = list(catalog.vocabulary), list(catalog.postings)
    for creator_id, text in zip(before["id"].to_list(), before["stems"].to_list(), strict=True):
        _unpost(vocabulary, postings, creator_id, text or "")
    for creator_id, text in zip(fresh["id"].to_list(), stem_texts, strict=True):
        _post(vocabulary, postings, creator_id, text)
    has = fresh["has_vector"].to_numpy().astype(bool)
    fresh_ids = fresh["id"].to_numpy().astype(np.int64)
    catalog.vectors.remove(np.array([i for i in ids if i in catalog.vectors], dtype=np.int64))
    if has.any():
        catalog.vectors.upsert(fresh_ids[has], matrix[has])
    kept = catalog.frame.filter(~pl.col("id").is_in(ids)).drop("tier_median_er", "er_vs_tier")
    frame = _with_tier_median(pl.concat([kept, fresh.select(kept.columns)]).sort("id"))
    return Catalog(catalog.workspace_id, stamp, frame, vocabulary, postings, catalog.vectors)


def _post(vocabulary: list[str], postings: list[Ids], creator_id: int, text: str) -> None:
    for stem in set(text.split()):
        at = bisect.bisect_left(vocabulary, stem)
        if at < len(vocabulary) and vocabulary[at] == stem:
            postings[at] = np.union1d(postings[at], np.array([creator_id], dtype=np.int64))
        else:
            vocabulary.insert(at, stem)
            postings.insert(at, np.array([creator_id], dtype=np.int64))


def _unpost(vocabulary: list[str], postings: list[Ids], creator_id: int, text: str) -> None:
    for stem in set(text.split()):
        at = bisect.bisect_left(vocabulary, stem)
        if at < len(vocabulary) and vocabulary[at] == stem:
            postings[at] = postings[at][postings[at] != creator_id]


def _with_tier_median(frame: pl.DataFrame) -> pl.DataFrame:
    """Each creator's engagement against the median of their tier (1.0 = at the median)."""
    medians = frame.filter(pl.col("er") > 0).group_by("tier").agg(pl.col("er").median().alias("tier_median_er"))
    joined = frame.join(medians, on="tier", how="left").sort("id")
    return joined.with_columns((pl.col("er") / pl.col("tier_median_er")).alias("er_vs_tier"))


def _fit(session: Session, workspace_id: int, matrix: npt.NDArray[np.float32],
         present: npt.NDArray[np.bool_]) -> pl.Series:  # fmt: skip
    """Brand fit 0-100 of every creator: the brand profile against their content vector (null without either)."""
    brand = session.execute(
        select(Workspace.niche, Workspace.values, Workspace.tone).where(Workspace.id == workspace_id)
    ).one()
    text = profile_text(*brand)
    if not text or not len(matrix):
        return pl.Series("fit", [None] * len(matrix), dtype=pl.Int64)
    profile = shared_embedder().embed([text])[0]
    cosine = matrix @ profile
    background, _ = best_other(matrix, niche_field().others(profile))
    score = calibrated(cosine, cosine - background)
    values = [round(float(s)) if p else None for s, p in zip(score, present, strict=True)]
    return pl.Series("fit", values, dtype=pl.Int64)


def _postings(ids: Ids, stem_texts: list[str]) -> tuple[list[str], list[Ids]]:
    """Sorted vocabulary and, for each stem, the sorted creator ids that use it."""
    if not stem_texts:
        return [], []
    exploded = (
        pl.DataFrame({"id": ids, "stems": stem_texts})
        .select(pl.col("id"), pl.col("stems").str.split(" ").alias("stem"))
        .explode("stem")
        .filter(pl.col("stem").is_not_null() & (pl.col("stem") != ""))
        .group_by("stem")
        .agg(pl.col("id").unique().sort())
        .sort("stem")
    )
    vocabulary = exploded["stem"].to_list()
    postings = [np.asarray(r, dtype=np.int64) for r in exploded["id"].to_list()]
    return vocabulary, postings


def last_changed(frame: pl.DataFrame) -> datetime | None:
    """When the newest post in the catalog was made (for the page's 'data as of')."""
    value = frame["last_post_at"].max() if len(frame) else None
    return value if isinstance(value, datetime) else None
