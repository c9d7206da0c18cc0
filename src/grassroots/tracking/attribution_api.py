"""/api/v1 for attribution: orders per creator by every method, with drill-down."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from grassroots.tracking import attribution as service
from grassroots.web.deps import DB, ApiUser
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/tracking/attribution", tags=["tracking"], responses=PROBLEM_RESPONSES)


Method = Annotated[str | None, Query(description="code_then_click, last_click, first_click, linear or time_decay")]
Days = Annotated[float | None, Query(gt=0, le=365)]
Priority = Annotated[str | None, Query(description="'code' (a creator's code wins) or 'click' (the last click wins)")]


@router.get("", response_model=service.Report)
def attribution_report(
    user: ApiUser, db: DB, method: Method = None, window_days: Days = None, half_life_days: Days = None,
    priority: Priority = None,
) -> service.Report:  # fmt: skip
    """Per creator and campaign: orders, net revenue and customers by every method; ROI by ``method``."""
    chosen, rules = service.parse_rules(method, window_days, half_life_days, priority)
    return service.report(db, user.workspace_id, chosen, rules)


@router.get("/creators/{creator_id}", response_model=service.Drilldown)
def creator_orders(
    creator_id: Id, user: ApiUser, db: DB, method: Method = None, window_days: Days = None,
    half_life_days: Days = None, priority: Priority = None,
) -> service.Drilldown:  # fmt: skip
    """The orders behind one creator's numbers: codes, clicks, UTM and shares (404 for another workspace's)."""
    chosen, rules = service.parse_rules(method, window_days, half_life_days, priority)
    return service.drilldown(db, user.workspace_id, "creator", creator_id, chosen, rules)


@router.get("/campaigns/{campaign_id}", response_model=service.Drilldown)
def campaign_orders(
    campaign_id: Id, user: ApiUser, db: DB, method: Method = None, window_days: Days = None,
    half_life_days: Days = None, priority: Priority = None,
) -> service.Drilldown:  # fmt: skip
    """The orders behind one campaign's numbers (404 for another workspace's)."""
    chosen, rules = service.parse_rules(method, window_days, half_life_days, priority)
    return service.drilldown(db, user.workspace_id, "campaign", campaign_id, chosen, rules)
