"""`/api/v1/campaigns`: plan, roster, pipeline and payments; forecast, optimiser and fair compensation."""

from __future__ import annotations

from fastapi import APIRouter, Response

from grassroots.campaigns import pipeline_api, service
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.schemas import CampaignIn, CampaignOut, CampaignPatch, RosterIn, RosterResult
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

# isort: split
# Forecast, optimiser and compensation (the routes below the marker at the end).
from typing import Annotated

from fastapi import Query

from grassroots.campaigns import planning
from grassroots.campaigns.planning_schemas import (
    AssumptionsIn,
    CompensationIn,
    CompensationOut,
    ForecastOut,
    OptimiseIn,
    PlanOut,
)

router = APIRouter(prefix="/api/v1/campaigns", tags=["campaigns"], responses=PROBLEM_RESPONSES)


@router.get("", response_model=list[CampaignOut])
def list_campaigns(user: ApiUser, db: DB, archived: bool = False) -> list[CampaignOut]:
    """The workspace's campaigns, newest first (archived=true for the archived ones)."""
    return [service.campaign_out(db, c) for c in service.list_campaigns(db, user.workspace_id, archived=archived)]


@router.post("", response_model=CampaignOut, status_code=201)
def create_campaign(data: CampaignIn, user: ApiWriter, db: DB) -> CampaignOut:
    """Create a campaign (kind seeding and gift-only compensation unless said otherwise)."""
    return service.campaign_out(db, service.create_campaign(db, user.workspace_id, data))


@router.get("/{campaign_id}", response_model=CampaignOut)
def get_campaign(campaign_id: Id, user: ApiUser, db: DB) -> CampaignOut:
    """One campaign with its collaborations per stage."""
    return service.campaign_out(db, service.require_campaign(db, user.workspace_id, campaign_id))


@router.patch("/{campaign_id}", response_model=CampaignOut)
def update_campaign(campaign_id: Id, patch: CampaignPatch, user: ApiWriter, db: DB) -> CampaignOut:
    """Change some fields; the whole campaign must stay valid (422 names each bad field, nothing changes)."""
    changes = patch.model_dump(exclude_unset=True)
    return service.campaign_out(db, service.update_campaign(db, user.workspace_id, campaign_id, changes))


@router.post("/{campaign_id}/archive", response_model=CampaignOut)
def archive_campaign(campaign_id: Id, user: ApiWriter, db: DB) -> CampaignOut:
    """Archive a campaign: it leaves the list, nothing is deleted."""
    return service.campaign_out(db, service.set_archived(db, user.workspace_id, campaign_id, True))


@router.post("/{campaign_id}/restore", response_model=CampaignOut)
def restore_campaign(campaign_id: Id, user: ApiWriter, db: DB) -> CampaignOut:
    """Bring an archived campaign back."""
    return service.campaign_out(db, service.set_archived(db, user.workspace_id, campaign_id, False))


@router.post("/{campaign_id}/roster", response_model=RosterResult)
def add_to_roster(campaign_id: Id, data: RosterIn, user: ApiWriter, db: DB) -> RosterResult:
    """Add creators to the roster as prospects (those on it already are left as they are)."""
    return service.add_creators(db, user.workspace_id, campaign_id, data.creator_ids, Actor.of(user))


@router.delete("/{campaign_id}/roster/{creator_id}", status_code=204)
def remove_from_roster(campaign_id: Id, creator_id: Id, user: ApiWriter, db: DB) -> Response:
    """Take a creator off the roster (409 once money is on the ledger: move them to declined instead)."""
    service.remove_from_roster(db, user.workspace_id, campaign_id, creator_id)
    return Response(status_code=204)


router.include_router(pipeline_api.router)

# --- plan, roster, pipeline and payments above; forecast, optimiser and compensation below this line ---


@router.get("/{campaign_id}/forecast", response_model=ForecastOut)
def forecast_json(campaign_id: Id, user: ApiUser, db: DB) -> ForecastOut:
    """The roster's Monte-Carlo forecast (P10/P50/P90), the seeds' arithmetic, one macro creator, actual sales."""
    return planning.forecast_out(planning.forecast_view(db, user.workspace_id, campaign_id))


@router.put("/{campaign_id}/assumptions", response_model=ForecastOut)
def assumptions_json(campaign_id: Id, data: AssumptionsIn, user: ApiWriter, db: DB) -> ForecastOut:
    """Change forecast assumptions (in the units the page shows) and re-run; 422 names each bad one, none saved."""
    planning.save_assumptions(db, user.workspace_id, campaign_id, data.values, reset=data.reset)
    return planning.forecast_out(planning.forecast_view(db, user.workspace_id, campaign_id))


@router.post("/{campaign_id}/optimise", response_model=PlanOut)
def optimise_json(campaign_id: Id, data: OptimiseIn, user: ApiUser, db: DB) -> PlanOut:
    """Choose creators and offers within a budget that maximise the goal, with reasons (changes nothing)."""
    return planning.optimise_campaign(db, user.workspace_id, campaign_id, data)


@router.get("/{campaign_id}/compensation", response_model=list[CompensationOut])
def compensation_json(
    campaign_id: Id, user: ApiUser, db: DB, terms: Annotated[CompensationIn, Query()]
) -> list[CompensationOut]:
    """A fair compensation range with its reasoning for every roster member, for the terms asked."""
    return planning.compensation_rows(db, user.workspace_id, campaign_id, terms)
