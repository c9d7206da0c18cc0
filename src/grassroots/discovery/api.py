"""`/api/v1/discovery`: search, lookalikes, shortlists, saved searches, natural advocates and audience overlap."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from grassroots.discovery import advocates as advocates_service
from grassroots.discovery import audience, service, shortlists
from grassroots.discovery.advocate_schemas import AdvocatesPage, Overlap, OverlapIn
from grassroots.discovery.schemas import (
    AddedOut,
    CampaignIn,
    EntriesIn,
    SearchPage,
    SearchQuery,
    ShortlistDetail,
    ShortlistIn,
    ShortlistOut,
)
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/discovery", tags=["discovery"], responses=PROBLEM_RESPONSES)


@router.get("/search", response_model=SearchPage)
def search_json(query: Annotated[SearchQuery, Query()], user: ApiUser, db: DB) -> SearchPage:
    """Search creators by words (stemmed), meaning, niche and filters; `like` gives lookalikes of seed creators."""
    return service.search(db, user.workspace_id, query)


@router.get("/shortlists", response_model=list[ShortlistOut])
def shortlists_json(user: ApiUser, db: DB) -> list[ShortlistOut]:
    """The workspace's shortlists with their sizes."""
    return [ShortlistOut.of(s, n) for s, n in shortlists.shortlist_choices(db, user.workspace_id)]


@router.post("/shortlists", response_model=ShortlistOut, status_code=201)
def create_shortlist_json(body: ShortlistIn, user: ApiWriter, db: DB) -> ShortlistOut:
    """Create a shortlist, optionally with creators on it."""
    created = shortlists.create_shortlist(db, user.workspace_id, body.name, body.notes)
    added = shortlists.add_to_shortlist(db, user.workspace_id, created.id, body.creator_ids) if body.creator_ids else 0
    return ShortlistOut.of(created, added)


@router.get("/shortlists/{shortlist_id}", response_model=ShortlistDetail)
def shortlist_json(shortlist_id: Id, user: ApiUser, db: DB) -> ShortlistDetail:
    """A shortlist with its creators, notes and tags."""
    return ShortlistDetail.of(shortlists.shortlist_view(db, user.workspace_id, shortlist_id))


@router.post("/shortlists/{shortlist_id}/creators", response_model=AddedOut)
def add_to_shortlist_json(shortlist_id: Id, body: EntriesIn, user: ApiWriter, db: DB) -> AddedOut:
    """Add creators (one or many) to a shortlist, with a note and tags."""
    added = shortlists.add_to_shortlist(
        db, user.workspace_id, shortlist_id, body.creator_ids, note=body.note, tags=body.tags
    )
    return AddedOut(added=added)


@router.delete("/shortlists/{shortlist_id}/creators/{creator_id}", status_code=204)
def remove_from_shortlist_json(shortlist_id: Id, creator_id: Id, user: ApiWriter, db: DB) -> Response:
    """Take a creator off a shortlist."""
    shortlists.remove_from_shortlist(db, user.workspace_id, shortlist_id, creator_id)
    return Response(status_code=204)


@router.post("/shortlists/{shortlist_id}/campaign", response_model=AddedOut)
def shortlist_to_campaign_json(shortlist_id: Id, body: CampaignIn, user: ApiWriter, db: DB) -> AddedOut:
    """Put every creator of the shortlist on a campaign's roster."""
    return AddedOut(added=shortlists.shortlist_to_campaign(db, user.workspace_id, shortlist_id, body.campaign_id, user))


# --- search, shortlists and lookalikes above; natural advocates and audience overlap below this line ---


@router.get("/advocates", response_model=AdvocatesPage)
def advocates_json(user: ApiUser, db: DB, limit: int = 200, offset: int = 0) -> AdvocatesPage:
    """Natural advocates, best first, each with its score, signals and reasons (``limit`` 1–500)."""
    return advocates_service.find_advocates(db, user.workspace_id, limit=limit, offset=offset)


@router.post("/overlap", response_model=Overlap)
def overlap_json(body: OverlapIn, user: ApiUser, db: DB) -> Overlap:
    """Audience overlap of up to 200 of the workspace's creators: the matrix and the top overlapping pairs."""
    return audience.overlap_for(db, user.workspace_id, body.creator_ids)
