"""Discovery queries: texts for snippets, shortlists and their entries, saved searches."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.creators.models import Creator, Post, SocialAccount
from grassroots.discovery.models import SavedSearch, Shortlist, ShortlistEntry
from grassroots.errors import NotFound

SNIPPET_CAPTIONS = 12


def texts_of(session: Session, workspace_id: int, creator_ids: list[int]) -> dict[int, list[str]]:
    """Bio and most recent captions of each creator, newest first: what a snippet is cut from."""
    out: dict[int, list[str]] = defaultdict(list)
    if not creator_ids:
        return out
    bios = select(SocialAccount.creator_id, SocialAccount.bio).where(
        SocialAccount.workspace_id == workspace_id, SocialAccount.creator_id.in_(creator_ids)
    )
    for creator_id, bio in session.execute(bios):
        if bio:
            out[creator_id].append(bio)
    rank = func.row_number().over(partition_by=Post.account_id, order_by=Post.posted_at.desc()).label("rank")
    inner = (
        select(SocialAccount.creator_id, Post.caption, Post.posted_at, rank)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == workspace_id, SocialAccount.creator_id.in_(creator_ids))
        .subquery()
    )
    query = select(inner.c.creator_id, inner.c.caption).where(inner.c.rank <= SNIPPET_CAPTIONS)
    for creator_id, caption in session.execute(query.order_by(inner.c.posted_at.desc())):
        out[creator_id].append(caption)
    return out


def require_shortlist(session: Session, workspace_id: int, shortlist_id: int) -> Shortlist:
    """A shortlist of the workspace, or NotFound."""
    found = session.get(Shortlist, shortlist_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound(f"shortlist {shortlist_id} not found")
    return found


def shortlists(session: Session, workspace_id: int) -> list[tuple[Shortlist, int]]:
    """The workspace's shortlists with their sizes, newest first."""
    size = (
        select(ShortlistEntry.shortlist_id, func.count().label("n"))
        .where(ShortlistEntry.workspace_id == workspace_id)
        .group_by(ShortlistEntry.shortlist_id)
        .subquery()
    )
    query = (
        select(Shortlist, func.coalesce(size.c.n, 0))
        .outerjoin(size, size.c.shortlist_id == Shortlist.id)
        .where(Shortlist.workspace_id == workspace_id)
        .order_by(Shortlist.id.desc())
    )
    return [(s, int(n)) for s, n in session.execute(query)]


def entries(session: Session, shortlist: Shortlist) -> list[tuple[ShortlistEntry, Creator]]:
    """A shortlist's creators with their entries, in the order they were added."""
    query = (
        select(ShortlistEntry, Creator)
        .join(Creator, Creator.id == ShortlistEntry.creator_id)
        .where(ShortlistEntry.shortlist_id == shortlist.id)
        .order_by(ShortlistEntry.id)
    )
    return [(e, c) for e, c in session.execute(query)]


def own_creator_ids(session: Session, workspace_id: int, creator_ids: list[int]) -> set[int]:
    """Those of the ids that are creators of this workspace."""
    if not creator_ids:
        return set()
    query = select(Creator.id).where(Creator.workspace_id == workspace_id, Creator.id.in_(set(creator_ids)))
    return set(session.scalars(query))


def shortlists_of_creator(session: Session, workspace_id: int, creator_id: int) -> list[Shortlist]:
    """The shortlists a creator is on."""
    query = (
        select(Shortlist)
        .join(ShortlistEntry, ShortlistEntry.shortlist_id == Shortlist.id)
        .where(Shortlist.workspace_id == workspace_id, ShortlistEntry.creator_id == creator_id)
        .order_by(Shortlist.name)
    )
    return list(session.scalars(query))


def saved_searches(session: Session, workspace_id: int) -> list[SavedSearch]:
    """The workspace's saved searches by name."""
    query = select(SavedSearch).where(SavedSearch.workspace_id == workspace_id).order_by(SavedSearch.name)
    return list(session.scalars(query))
