"""`/api/v1/campaigns/{id}/…`: collaborations, stage moves, the payments ledger, relationship health, posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from grassroots.campaigns import content, health, payments, pipeline
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Stage
from grassroots.campaigns.repository import BoardFilters
from grassroots.campaigns.schemas import (
    BulkMoveIn,
    CollaborationDetail,
    CollaborationOut,
    EntryIn,
    EntryOut,
    HealthOut,
    MoveIn,
    MoveResult,
    PaidIn,
    PostsPage,
    TermsIn,
)
from grassroots.creators.tiers import Tier
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id

router = APIRouter()
State = Annotated[str, Query(pattern="^(|payable|on_hold|paid)$", description="payable, on_hold or paid")]


@router.get("/{campaign_id}/collaborations", response_model=list[CollaborationOut])
def list_collaborations(
    campaign_id: Id,
    user: ApiUser,
    db: DB,
    stage: Stage | None = None,
    tier: Tier | None = None,
    q: Annotated[str | None, Query(max_length=100, description="words in the name or handle")] = None,
) -> list[CollaborationOut]:
    """The roster: each creator's collaboration, stage, effective terms and asks in the last 90 days."""
    return pipeline.collaborations(db, user.workspace_id, campaign_id, BoardFilters(stage=stage, tier=tier, q=q))


@router.get("/{campaign_id}/collaborations/{collaboration_id}", response_model=CollaborationDetail)
def get_collaboration(campaign_id: Id, collaboration_id: Id, user: ApiUser, db: DB) -> CollaborationDetail:
    """One collaboration with its audit trail and ledger."""
    return pipeline.collaboration_detail(db, user.workspace_id, campaign_id, collaboration_id)


@router.patch("/{campaign_id}/collaborations/{collaboration_id}", response_model=CollaborationDetail)
def set_terms(campaign_id: Id, collaboration_id: Id, data: TermsIn, user: ApiWriter, db: DB) -> CollaborationDetail:
    """This creator's own terms and note (compensation null: the campaign's terms apply)."""
    pipeline.set_terms(db, user.workspace_id, campaign_id, collaboration_id, data)
    return pipeline.collaboration_detail(db, user.workspace_id, campaign_id, collaboration_id)


@router.post("/{campaign_id}/collaborations/{collaboration_id}/stage", response_model=CollaborationDetail)
def move_collaboration(
    campaign_id: Id, collaboration_id: Id, data: MoveIn, user: ApiWriter, db: DB
) -> CollaborationDetail:
    """Move one collaboration to a stage (written to the audit trail)."""
    pipeline.move(db, user.workspace_id, campaign_id, [collaboration_id], data.stage, Actor.of(user), note=data.note)
    return pipeline.collaboration_detail(db, user.workspace_id, campaign_id, collaboration_id)


@router.post("/{campaign_id}/moves", response_model=MoveResult)
def move_many(campaign_id: Id, data: BulkMoveIn, user: ApiWriter, db: DB) -> MoveResult:
    """Move several collaborations to one stage: all or none."""
    ids, stage = data.collaboration_ids, data.stage
    return pipeline.move(db, user.workspace_id, campaign_id, ids, stage, Actor.of(user), note=data.note)


@router.get("/{campaign_id}/payments", response_model=list[EntryOut])
def list_payments(campaign_id: Id, user: ApiUser, db: DB, state: State = "") -> list[EntryOut]:
    """The campaign's ledger: fees, commissions and gift costs, payable, on hold or paid."""
    return payments.ledger(db, user.workspace_id, campaign_id, state=state)


@router.post("/{campaign_id}/collaborations/{collaboration_id}/payments", response_model=EntryOut, status_code=201)
def record_payment(campaign_id: Id, collaboration_id: Id, data: EntryIn, user: ApiWriter, db: DB) -> EntryOut:
    """Record an amount owed (or paid already); a commission is payable after the campaign's hold period."""
    entry = payments.add_entry(db, user.workspace_id, campaign_id, collaboration_id, data, Actor.of(user))
    return payments.entry_out(db, entry)


@router.post("/{campaign_id}/payments/{entry_id}/paid", response_model=EntryOut)
def mark_paid(campaign_id: Id, entry_id: Id, data: PaidIn, user: ApiWriter, db: DB) -> EntryOut:
    """Mark an owed amount as paid (422 while a commission is on hold)."""
    entry = payments.mark_paid(db, user.workspace_id, campaign_id, entry_id, data, Actor.of(user))
    return payments.entry_out(db, entry)


@router.get("/{campaign_id}/health", response_model=HealthOut)
def relationship_health(campaign_id: Id, user: ApiUser, db: DB) -> HealthOut:
    """Who is waiting on the brand (don't ghost) and who was asked too often (don't over-ask)."""
    return health.campaign_health(db, user.workspace_id, campaign_id)


@router.get("/{campaign_id}/posts", response_model=PostsPage)
def campaign_posts(
    campaign_id: Id,
    user: ApiUser,
    db: DB,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = content.PER_PAGE,
) -> PostsPage:
    """The campaign's own posts, newest first: roster posts in its dates that mention the brand, a tag or a code."""
    return content.posts_page(db, user.workspace_id, campaign_id, page=page, per_page=per_page)
