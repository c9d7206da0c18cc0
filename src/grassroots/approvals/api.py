"""/api/v1 for drafts, approvals and the UGC library."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from grassroots.approvals import library, service
from grassroots.approvals.schemas import ApproveIn, CommentIn, DraftOut, QueueItemOut, UgcOut, VersionIn
from grassroots.campaigns.audit import Actor
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["approvals"], responses=PROBLEM_RESPONSES)
PositiveId = Annotated[int | None, Query(ge=1, le=2**63 - 1)]
Rights = Annotated[
    str | None, Query(pattern="^(agreed|expired|not_agreed)$", description="agreed, expired, not_agreed")
]


@router.get("/approvals", response_model=list[QueueItemOut])
def approvals_queue(user: ApiUser, db: DB) -> list[QueueItemOut]:
    """Versions awaiting review, oldest first; ``blocked_reason`` says why one cannot be approved."""
    return service.queue(db, user.workspace_id)


@router.get("/collaborations/{collaboration_id}/drafts", response_model=list[DraftOut])
def list_drafts(collaboration_id: Id, user: ApiUser, db: DB) -> list[DraftOut]:
    """A collaboration's drafts, each with its versions (newest first) and comments."""
    return service.drafts_of(db, user.workspace_id, collaboration_id)


@router.post("/collaborations/{collaboration_id}/drafts", response_model=DraftOut, status_code=201)
def submit_version(collaboration_id: Id, data: VersionIn, user: ApiWriter, db: DB) -> DraftOut:
    """Submit a version: of ``draft_id``, or the first of a new draft; its caption is checked for disclosure."""
    version = service.submit(db, user.workspace_id, collaboration_id, data, Actor.of(user), via="api",
                             from_creator=False)  # fmt: skip
    return service.draft(db, user.workspace_id, version.draft_id)


@router.get("/drafts/{draft_id}", response_model=DraftOut)
def get_draft(draft_id: Id, user: ApiUser, db: DB) -> DraftOut:
    """One draft with its versions and comments."""
    return service.draft(db, user.workspace_id, draft_id)


@router.post("/versions/{version_id}/approve", response_model=UgcOut)
def approve(version_id: Id, user: ApiWriter, db: DB, data: ApproveIn | None = None) -> UgcOut:
    """Approve a version awaiting review; 409 when its disclosure check failed (the problem says why)."""
    item_id = service.approve(db, user.workspace_id, version_id, Actor.of(user), data.comment if data else None)
    return library.item(db, user.workspace_id, item_id)


@router.post("/versions/{version_id}/request-changes", response_model=DraftOut)
def request_changes(version_id: Id, data: CommentIn, user: ApiWriter, db: DB) -> DraftOut:
    """Send a version back with a comment the creator reads in the portal."""
    service.request_changes(db, user.workspace_id, version_id, Actor.of(user), data.comment)
    return service.draft(db, user.workspace_id, service.require_version(db, user.workspace_id, version_id).draft_id)


@router.get("/ugc", response_model=list[UgcOut])
def ugc_library(user: ApiUser, db: DB, campaign_id: PositiveId = None, creator_id: PositiveId = None,
                rights: Rights = None) -> list[UgcOut]:  # fmt: skip
    """The UGC library, newest approval first, with usage rights and whether they expired."""
    return library.items(db, user.workspace_id, library.LibraryFilters(campaign_id, creator_id, rights))
