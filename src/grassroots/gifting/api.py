"""/api/v1 for gifts: list a campaign's gifts, plan one, move it on (ordered, shipped, delivered)."""

from __future__ import annotations

from fastapi import APIRouter

from grassroots.campaigns.audit import Actor
from grassroots.gifting import service
from grassroots.gifting.schemas import GiftIn, GiftOut, StatusIn
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["gifting"], responses=PROBLEM_RESPONSES)


@router.get("/campaigns/{campaign_id}/gifts", response_model=list[GiftOut])
def list_gifts(campaign_id: Id, user: ApiUser, db: DB) -> list[GiftOut]:
    """The campaign's gifts with their status, tracking and store order."""
    return service.list_gifts(db, user.workspace_id, campaign_id)


@router.post("/campaigns/{campaign_id}/collaborations/{collaboration_id}/gift", response_model=GiftOut,
             status_code=201)  # fmt: skip
def plan_gift(campaign_id: Id, collaboration_id: Id, data: GiftIn, user: ApiWriter, db: DB) -> GiftOut:
    """Plan (or re-plan, while planned) a collaboration's gift: product ids from the gift product list."""
    gift = service.plan_gift(db, user.workspace_id, campaign_id, collaboration_id, data, Actor.of(user))
    return service.gift_out(db, gift)


@router.get("/gifts/{gift_id}", response_model=GiftOut)
def get_gift(gift_id: Id, user: ApiUser, db: DB) -> GiftOut:
    """One gift."""
    return service.gift_out(db, service.require_gift(db, user.workspace_id, gift_id))


@router.post("/gifts/{gift_id}/status", response_model=GiftOut)
def change_status(gift_id: Id, data: StatusIn, user: ApiWriter, db: DB) -> GiftOut:
    """ordered (a store order job, or the warehouse CSV), shipped (tracking number or link), delivered."""
    gift = service.change_status(db, user.workspace_id, gift_id, data, Actor.of(user))
    return service.gift_out(db, gift)
