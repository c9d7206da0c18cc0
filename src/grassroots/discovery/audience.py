"""Audience overlap of a set of the workspace's creators: who shares engaged commenters with whom.

The commenters are read with one set-based query; the shares come from the pure ``judgments/discovery/overlap.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.creators.models import Comment, Creator, Post, SocialAccount
from grassroots.discovery.advocate_schemas import MAX_OVERLAP_CREATORS, Overlap, OverlapCreator, OverlapPair
from grassroots.errors import InvalidInput, NotFound
from grassroots.judgments.discovery.advocates import clean_handles
from grassroots.judgments.discovery.overlap import TOP_PAIRS, engaged_commenters, overlap
from grassroots.workspaces.models import Workspace


def parse_ids(text: str | None) -> list[int]:
    """ "1, 2,3" -> [1, 2, 3] (distinct, in order); InvalidInput when a part is not a positive id."""
    ids: list[int] = []
    for part in (text or "").replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) < 2**63:
            raise InvalidInput(f"{part!r} is not a creator id", {"ids": "comma-separated creator ids, e.g. 12,40,41"})
        if int(part) not in ids:
            ids.append(int(part))
    return ids


def _creators(session: Session, workspace_id: int, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Id -> (name, handle) of the requested creators; NotFound for any id outside the workspace."""
    rows = session.execute(
        select(Creator.id, Creator.display_name, Creator.primary_handle).where(
            Creator.workspace_id == workspace_id, Creator.id.in_(ids)
        )
    ).all()
    found = {i: (name, handle) for i, name, handle in rows}
    if missing := [i for i in ids if i not in found]:
        raise NotFound(f"creator {missing[0]} not found")
    return found


def _engaged(session: Session, workspace_id: int, ids: list[int]) -> pl.DataFrame:
    """Distinct (creator, commenter) under the creators' posts, without their own replies or the brand's."""
    author = func.lower(Comment.author_handle)
    rows = session.execute(
        select(SocialAccount.creator_id, author)
        .join(Post, Post.account_id == SocialAccount.id)
        .join(Comment, Comment.post_id == Post.id)
        .where(SocialAccount.workspace_id == workspace_id, SocialAccount.creator_id.in_(ids))
        .distinct()
    ).all()
    comments = pl.DataFrame(rows, schema={"creator_id": pl.Int64, "author_handle": pl.String}, orient="row")
    handles = session.execute(
        select(SocialAccount.creator_id, SocialAccount.handle).where(
            SocialAccount.workspace_id == workspace_id, SocialAccount.creator_id.in_(ids)
        )
    ).all()
    own = pl.DataFrame(handles, schema={"creator_id": pl.Int64, "handle": pl.String}, orient="row")
    workspace = session.get(Workspace, workspace_id)
    brand = clean_handles(workspace.brand_handles if workspace else None)
    return engaged_commenters(comments, own, exclude=brand)


def overlap_for(session: Session, workspace_id: int, creator_ids: Sequence[int], *, top: int = TOP_PAIRS) -> Overlap:
    """The overlap matrix and top pairs of up to 200 of the workspace's creators.

    Ids are compared in the given order (repeats dropped); an id of another workspace, or of no creator, is a
    NotFound, exactly as a missing one, so nothing about other workspaces leaks; more than 200 is InvalidInput.
    """
    ids = list(dict.fromkeys(creator_ids))
    if len(ids) > MAX_OVERLAP_CREATORS:
        raise InvalidInput(
            f"compare at most {MAX_OVERLAP_CREATORS} creators at a time ({len(ids)} given)",
            {"creator_ids": f"at most {MAX_OVERLAP_CREATORS}"},
        )
    if not ids:
        return Overlap(creators=[], overlap=[], shared=[], pairs=[])
    people = _creators(session, workspace_id, ids)
    matrix, pairs = overlap(_engaged(session, workspace_id, ids), ids, top=top)
    size = len(ids)
    audience = dict(zip(matrix["a"].to_list()[:: size + 1], matrix["shared"].to_list()[:: size + 1], strict=True))
    creators = {i: OverlapCreator(id=i, name=people[i][0], handle=people[i][1], audience=audience[i]) for i in ids}
    shares, shared = matrix["overlap"].to_list(), matrix["shared"].to_list()
    return Overlap(
        creators=[creators[i] for i in ids],
        overlap=[shares[r * size : (r + 1) * size] for r in range(size)],
        shared=[shared[r * size : (r + 1) * size] for r in range(size)],
        pairs=[
            OverlapPair(
                a=creators[p["a"]], b=creators[p["b"]], shared=p["shared"], overlap=p["overlap"], jaccard=p["jaccard"]
            )
            for p in pairs.iter_rows(named=True)
        ],
    )
