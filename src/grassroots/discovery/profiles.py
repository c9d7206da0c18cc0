"""Search profiles: what discovery knows of each creator, rebuilt when creators change.

A profile holds the creator's country and city, up to three niches, the hashtags they use, the stems of
their words, when they last posted, their sponsored share, 30-day growth and a content vector: the mean of
the sentence embeddings of their bio and most recent captions (hashtags and mentions removed).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from grassroots.creators.models import Creator, FollowerSnapshot, Post, SocialAccount
from grassroots.db.base import utcnow
from grassroots.discovery.models import SearchProfile
from grassroots.judgments.discovery import niches as taxonomy
from grassroots.judgments.discovery.places import split_location
from grassroots.judgments.discovery.text import stems
from grassroots.judgments.language.embeddings import EMBEDDING_DIM, Embedder, shared_embedder
from grassroots.judgments.language.fit import Niches

CAPTIONS = 12  # most recent captions per account that shape the content vector
HASHTAGS_KEPT = 30
CHUNK = 1000
TAG_OR_MENTION = re.compile(r"[#@][\w.]+")
HASHTAG = re.compile(r"#(\w+)")

Progress = Callable[[int, int], None]


@dataclass
class _Content:
    bio: list[str] = field(default_factory=list)
    captions: list[tuple[datetime, str]] = field(default_factory=list)
    hashtags: Counter[str] = field(default_factory=Counter)
    locations: list[str] = field(default_factory=list)


def sentence(text: str) -> str:
    """A caption or bio as embedded: hashtags and mentions removed, whitespace collapsed."""
    return " ".join(TAG_OR_MENTION.sub(" ", text).split())


def to_blob(vector: npt.NDArray[np.float32]) -> bytes:
    """A content vector as stored: 384 float16 values."""
    return vector.astype(np.float16).tobytes()


def from_blob(blob: bytes) -> npt.NDArray[np.float32]:
    """A stored content vector back as float32."""
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


@lru_cache(maxsize=1)
def described_niches() -> npt.NDArray[np.float32]:
    """The taxonomy's descriptions through the model, one row per niche."""
    return shared_embedder().embed([n.description for n in taxonomy.TAXONOMY])


def niche_field() -> Niches:
    """The taxonomy as brand fit compares with it: the "something else" a creator's posts may be about."""
    return Niches(described_niches(), [n.label for n in taxonomy.TAXONOMY])


def stale_ids(session: Session, workspace_id: int) -> list[int]:
    """Creators without a profile, or changed since their profile was built."""
    query = (
        select(Creator.id)
        .outerjoin(SearchProfile, SearchProfile.creator_id == Creator.id)
        .where(Creator.workspace_id == workspace_id)
        .where((SearchProfile.creator_id.is_(None)) | (SearchProfile.updated_at < Creator.updated_at))
        .order_by(Creator.id)
    )
    return list(session.scalars(query))


def refresh_profiles(session: Session, workspace_id: int, creator_ids: list[int] | None = None, *,
                     embedder: Embedder | None = None, progress: Progress | None = None) -> int:  # fmt: skip
    """Rebuild the profiles of these creators (default: the stale ones); returns how many were built."""
    ids = stale_ids(session, workspace_id) if creator_ids is None else sorted(set(creator_ids))
    model = embedder or shared_embedder()
    done = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        _build(session, workspace_id, chunk, model)
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))
    session.flush()
    return done


def _recent_posts(session: Session, workspace_id: int, creator_ids: list[int]) -> Iterable[tuple[int, datetime, str]]:
    rank = func.row_number().over(partition_by=Post.account_id, order_by=Post.posted_at.desc()).label("rank")
    inner = (
        select(SocialAccount.creator_id, Post.posted_at, Post.caption, rank)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == workspace_id, SocialAccount.creator_id.in_(creator_ids))
        .subquery()
    )
    rows = session.execute(
        select(inner.c.creator_id, inner.c.posted_at, inner.c.caption).where(inner.c.rank <= CAPTIONS)
    )
    return [(c, p, t) for c, p, t in rows]


def _post_facts(session: Session, workspace_id: int, creator_ids: list[int]) -> dict[int, tuple[int, int, datetime]]:
    query = (
        select(SocialAccount.creator_id, func.count(Post.id), func.sum(case((Post.sponsored, 1), else_=0)),
               func.max(Post.posted_at))
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == workspace_id, SocialAccount.creator_id.in_(creator_ids))
        .group_by(SocialAccount.creator_id)
    )  # fmt: skip
    return {c: (n, int(s or 0), last) for c, n, s, last in session.execute(query)}


def _hashtags(session: Session, workspace_id: int, creator_ids: list[int]) -> dict[int, Counter[str]]:
    query = (
        select(SocialAccount.creator_id, Post.hashtags, Post.caption)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == workspace_id, SocialAccount.creator_id.in_(creator_ids))
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for creator_id, tags, caption in session.execute(query):
        # Connectors fill the hashtag list; posts added by hand or by older imports have them only in the caption.
        found = {t.lower().lstrip("#") for t in tags or []} | {t.lower() for t in HASHTAG.findall(caption or "")}
        counts[creator_id].update(found)
    return counts


def _growth(session: Session, workspace_id: int, creator_ids: list[int]) -> dict[int, float]:
    """Follower change of each creator's accounts over the 30 days before their latest snapshot."""
    query = (
        select(SocialAccount.creator_id, FollowerSnapshot.day, func.sum(FollowerSnapshot.followers))
        .join(SocialAccount, SocialAccount.id == FollowerSnapshot.account_id)
        .where(FollowerSnapshot.workspace_id == workspace_id, SocialAccount.creator_id.in_(creator_ids))
        .group_by(SocialAccount.creator_id, FollowerSnapshot.day)
        .order_by(SocialAccount.creator_id, FollowerSnapshot.day)
    )
    series: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for creator_id, day, followers in session.execute(query):
        series[creator_id].append((day, int(followers or 0)))
    growth: dict[int, float] = {}
    for creator_id, points in series.items():
        last_day, last = points[-1]
        earlier = [f for d, f in points if d <= last_day - timedelta(days=30)]
        if earlier and earlier[-1] > 0:
            growth[creator_id] = round((last - earlier[-1]) / earlier[-1], 4)
    return growth


def _build(session: Session, workspace_id: int, creator_ids: list[int], embedder: Embedder) -> None:
    content: dict[int, _Content] = {c: _Content() for c in creator_ids}
    creators = session.execute(
        select(Creator.id, Creator.location).where(Creator.workspace_id == workspace_id, Creator.id.in_(creator_ids))
    ).all()
    for creator_id, location in creators:
        if location:
            content[creator_id].locations.append(location)
    accounts = select(SocialAccount.creator_id, SocialAccount.bio, SocialAccount.location).where(
        SocialAccount.workspace_id == workspace_id, SocialAccount.creator_id.in_(creator_ids)
    )
    for creator_id, bio, location in session.execute(accounts):
        if bio:
            content[creator_id].bio.append(bio)
        if location:
            content[creator_id].locations.append(location)
    for creator_id, posted_at, caption in _recent_posts(session, workspace_id, creator_ids):
        content[creator_id].captions.append((posted_at, caption))
    for creator_id, counts in _hashtags(session, workspace_id, creator_ids).items():
        content[creator_id].hashtags = counts
    facts = _post_facts(session, workspace_id, creator_ids)
    growth = _growth(session, workspace_id, creator_ids)
    present = [c for c, _ in creators]
    texts = {c: _sentences(content[c]) for c in present}
    vectors = _vectors(texts, embedder)
    tags = [[t for t, _ in content[c].hashtags.most_common(HASHTAGS_KEPT)] for c in present]
    matrix = np.stack([vectors[c] for c in present]) if present else np.zeros((0, EMBEDDING_DIM), np.float32)
    scores = taxonomy.niche_scores(matrix, described_niches(), taxonomy.hashtag_hits(tags))
    assigned = taxonomy.assign(scores)
    session.execute(delete(SearchProfile).where(SearchProfile.creator_id.in_(present)))
    now = utcnow()
    for row, creator_id in enumerate(present):
        info = content[creator_id]
        city, country = _place(info.locations)
        posts, sponsored, last = facts.get(creator_id, (0, 0, None))
        words = stems([*info.bio, *(c for _, c in info.captions)]) + [f"#{t}" for t in tags[row]]
        has_text = bool(texts[creator_id])
        session.add(SearchProfile(
            creator_id=creator_id, workspace_id=workspace_id, country=country, city=city,
            niches=[k for k, _ in assigned[row]] if has_text else [],
            niche_scores=[s for _, s in assigned[row]] if has_text else [],
            hashtags=tags[row], stems=" ".join(words), last_post_at=last,
            sponsored_share=round(sponsored / posts, 4) if posts else 0.0, posts=posts,
            growth_30d=growth.get(creator_id),
            vector=to_blob(vectors[creator_id]) if has_text else None,
            text_key=hashlib.sha1("\n".join(texts[creator_id]).encode()).hexdigest() if has_text else None,
            updated_at=now,
        ))  # fmt: skip


def _sentences(info: _Content) -> list[str]:
    recent = [c for _, c in sorted(info.captions, key=lambda pc: pc[0], reverse=True)]
    out = [sentence(t) for t in [*info.bio, *recent]]
    return [t for t in dict.fromkeys(out) if t]


def _vectors(texts: dict[int, list[str]], embedder: Embedder) -> dict[int, npt.NDArray[np.float32]]:
    """Each creator's content vector: the normalised mean of their sentences' vectors (zeros when none)."""
    distinct = list(dict.fromkeys(t for ts in texts.values() for t in ts))
    table = dict(zip(distinct, embedder.embed(distinct), strict=True)) if distinct else {}
    out: dict[int, npt.NDArray[np.float32]] = {}
    for creator_id, sentences in texts.items():
        if not sentences:
            out[creator_id] = np.zeros(EMBEDDING_DIM, dtype=np.float32)
            continue
        mean = np.mean([table[s] for s in sentences], axis=0)
        out[creator_id] = (mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32)
    return out


def _place(locations: list[str]) -> tuple[str | None, str | None]:
    city: str | None = None
    for location in locations:
        found_city, country = split_location(location)
        if country is not None:
            return found_city, country
        city = city or found_city
    return city, None
