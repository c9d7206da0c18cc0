"""/api/v1 for attribution: orders per creator by every method, with drill-down."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from grassroots.tracking import attribution as service
from grassroots.web.deps import DB, ApiUser
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/tracking/attribution", tags=["tracking"], responses=PROBLEM_RESPONSES)


class Out(BaseModel):
    """Read from the service's dataclasses."""

    model_config = ConfigDict(from_attributes=True)


class RulesOut(Out):
    """The window (days before the order a click counts), the time-decay half-life and the evidence priority."""

    window_days: float
    half_life_days: float
    priority: tuple[str, ...]
    reorder_days: int


class RowOut(Out):
    """A creator or campaign with its figures by every method."""

    id: int
    name: str
    by_method: dict[str, service.Figures]


class ReportOut(Out):
    """Every method side by side per creator and campaign."""

    method: str
    rules: RulesOut
    currency: str
    orders: int
    reversed_orders: int
    methods: dict[str, str]
    creators: list[RowOut]
    campaigns: list[RowOut]


class ClickOut(Out):
    """A qualifying click on the order."""

    click_id: str
    at: datetime
    link: str | None


class OrderOut(Out):
    """An order behind a number, with its evidence and its share by every method."""

    order_id: int
    number: str
    created_at: datetime
    net_total: Decimal
    refunded: Decimal
    reversed: bool
    new_customer: bool
    self_purchase: bool
    codes: list[str]
    clicks: list[ClickOut]
    carried_click_ids: list[str]
    utm: dict[str, str]
    shares: dict[str, float]
    credited_revenue: Decimal
    evidence: str | None
    assisted: bool


class DrilldownOut(Out):
    """The orders credited to and assisted by one creator or campaign under one method."""

    kind: str
    id: int
    name: str
    method: str
    rules: RulesOut
    currency: str
    figures: service.Figures | None
    credited: list[OrderOut]
    assisted: list[OrderOut]


Method = Annotated[str | None, Query(description="code_then_click, last_click, first_click, linear or time_decay")]
Days = Annotated[float | None, Query(gt=0, le=365)]
Priority = Annotated[str | None, Query(description="'code' (a creator's code wins) or 'click' (the last click wins)")]


@router.get("", response_model=ReportOut)
def attribution_report(
    user: ApiUser, db: DB, method: Method = None, window_days: Days = None, half_life_days: Days = None,
    priority: Priority = None,
) -> ReportOut:  # fmt: skip
    """Per creator and campaign: orders, net revenue and customers by every method; ROI by ``method``."""
    chosen, rules = service.parse_rules(method, window_days, half_life_days, priority)
    return ReportOut.model_validate(service.report(db, user.workspace_id, chosen, rules))


@router.get("/creators/{creator_id}", response_model=DrilldownOut)
def creator_orders(
    creator_id: Id, user: ApiUser, db: DB, method: Method = None, window_days: Days = None,
    half_life_days: Days = None, priority: Priority = None,
) -> DrilldownOut:  # fmt: skip
    """The orders behind one creator's numbers: codes, clicks, UTM and shares (404 for another workspace's)."""
    chosen, rules = service.parse_rules(method, window_days, half_life_days, priority)
    return DrilldownOut.model_validate(service.drilldown(db, user.workspace_id, "creator", creator_id, chosen, rules))


@router.get("/campaigns/{campaign_id}", response_model=DrilldownOut)
def campaign_orders(
    campaign_id: Id, user: ApiUser, db: DB, method: Method = None, window_days: Days = None,
    half_life_days: Days = None, priority: Priority = None,
) -> DrilldownOut:  # fmt: skip
    """The orders behind one campaign's numbers (404 for another workspace's)."""
    chosen, rules = service.parse_rules(method, window_days, half_life_days, priority)
    return DrilldownOut.model_validate(service.drilldown(db, user.workspace_id, "campaign", campaign_id, chosen, rules))
