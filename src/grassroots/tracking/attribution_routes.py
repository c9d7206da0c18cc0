"""Pages: attribution per creator and campaign by every method, ROI, drill-down to orders and clicks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from grassroots.errors import InvalidInput
from grassroots.judgments.tracking.attribution import AttributionRules
from grassroots.tracking import attribution as service
from grassroots.web.deps import DB, PageUser
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)


def _settings(request: Request) -> tuple[str, AttributionRules, dict[str, str]]:
    """The method and rules asked for; on bad input the defaults, with the messages to show (status 400)."""
    q = request.query_params
    try:
        method, rules = service.parse_rules(q.get("method"), q.get("window_days"), q.get("half_life_days"),
                                            q.get("priority"))  # fmt: skip
    except InvalidInput as bad:
        return service.DEFAULT_METHOD, AttributionRules(), bad.errors
    return method, rules, {}


@router.get("/tracking/attribution", response_class=HTMLResponse)
def attribution_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """Every method side by side per creator and campaign, with ROI for the chosen method and a chart."""
    method, rules, errors = _settings(request)
    report = service.report(db, user.workspace_id, method, rules)
    context = {"report": report, "errors": errors, "form": dict(request.query_params)}
    return render(request, "tracking/attribution.html", context, status=400 if errors else 200)


def _drilldown(request: Request, user: PageUser, db: DB, kind: str, key_id: int) -> HTMLResponse:
    method, rules, errors = _settings(request)
    found = service.drilldown(db, user.workspace_id, kind, key_id, method, rules)
    context = {"d": found, "errors": errors, "form": dict(request.query_params)}
    return render(request, "tracking/attribution_drilldown.html", context, status=400 if errors else 200)


@router.get("/tracking/attribution/creator/{creator_id}", response_class=HTMLResponse)
def creator_orders(creator_id: Id, request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """The orders credited to (and assisted by) one creator, with codes, clicks, UTM and shares."""
    return _drilldown(request, user, db, "creator", creator_id)


@router.get("/tracking/attribution/campaign/{campaign_id}", response_class=HTMLResponse)
def campaign_orders(campaign_id: Id, request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """The orders credited to (and assisted in) one campaign."""
    return _drilldown(request, user, db, "campaign", campaign_id)
