"""Campaign pages: the list, plan (new, edit, archive), the roster and the campaign's own content and voice."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns import content, forms, health, payment_routes, payments, pipeline_routes, service
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.forms import Posted
from grassroots.campaigns.models import Stage
from grassroots.campaigns.scope import content_terms
from grassroots.comments import reports
from grassroots.comments import service as comments
from grassroots.comments.service import campaign_scope
from grassroots.errors import Conflict, InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

# isort: split
# Forecast, optimiser and compensation (the pages below the marker at the end).
from grassroots.campaigns import planning
from grassroots.campaigns.models import CampaignGoal
from grassroots.campaigns.planning_schemas import CompensationIn, compensation_params, optimise_params

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(request: Request, user: PageUser, db: DB, archived: bool = False) -> HTMLResponse:
    """The workspace's campaigns (or the archived ones), with their roster by stage."""
    rows = service.list_campaigns(db, user.workspace_id, archived=archived)
    ctx = {"campaigns": rows, "count": len(rows), "stages": service.stage_counts(db, rows), "archived": archived}
    return render(request, "campaigns/list.html", ctx | {"nav": "campaigns", "flash": forms.take_flash(request)})


def _form_page(request: Request, boxes: dict[str, Any], errors: dict[str, str], **extra: Any) -> HTMLResponse:
    ctx = {"form": boxes, "errors": errors, "nav": "campaigns", **forms.CHOICES, **extra}
    return render(request, "campaigns/form.html", ctx, status=400 if errors else 200)


@router.get("/campaigns/new", response_class=HTMLResponse)
def new_campaign_form(request: Request, user: PageWriter) -> HTMLResponse:
    """The plan form for a new campaign."""
    return _form_page(request, forms.new_campaign_boxes(), {})


@router.post("/campaigns/new", dependencies=CSRF)
def create_campaign(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Create the campaign, or re-render the form with a message beside each bad field."""
    try:
        data = service.validate_campaign(forms.campaign_values(fields))
    except InvalidInput as exc:
        return _form_page(request, forms.posted_boxes(fields), exc.errors)
    campaign = service.create_campaign(db, user.workspace_id, data)
    forms.flash(request, f"Created “{campaign.name}”. Add creators to its roster next.")
    return RedirectResponse(f"/campaigns/{campaign.id}", status_code=303)


@router.get("/campaigns/{campaign_id}/edit", response_class=HTMLResponse)
def edit_campaign_form(request: Request, campaign_id: Id, user: PageWriter, db: DB) -> HTMLResponse:
    """The plan form filled with the campaign's values."""
    campaign = service.require_campaign(db, user.workspace_id, campaign_id)
    return _form_page(request, forms.campaign_boxes(service.campaign_values(campaign)), {}, campaign=campaign)


@router.post("/campaigns/{campaign_id}/edit", dependencies=CSRF)
def edit_campaign(request: Request, campaign_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Save the edit, or re-render the form with messages (nothing changes on error)."""
    campaign = service.require_campaign(db, user.workspace_id, campaign_id)
    try:
        service.update_campaign(db, user.workspace_id, campaign_id, forms.campaign_values(fields))
    except InvalidInput as exc:
        return _form_page(request, forms.posted_boxes(fields), exc.errors, campaign=campaign)
    forms.flash(request, "Saved.")
    return RedirectResponse(f"/campaigns/{campaign_id}", status_code=303)


@router.post("/campaigns/{campaign_id}/archive", dependencies=CSRF)
def archive_campaign(request: Request, campaign_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Archive (or, with restore=1, restore) a campaign."""
    restore = forms.one(fields, "restore") == "1"
    campaign = service.set_archived(db, user.workspace_id, campaign_id, not restore)
    forms.flash(request, f"{'Restored' if restore else 'Archived'} “{campaign.name}”.")
    return RedirectResponse("/campaigns" if not restore else f"/campaigns/{campaign_id}", status_code=303)


@router.post("/campaigns/roster", dependencies=CSRF)
def add_to_chosen_campaign(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """The same, for a form that picks the campaign in a ``campaign_id`` box (the creators list, a profile)."""
    campaign_id = forms.ids(fields, "campaign_id")
    if not campaign_id:
        forms.flash(request, "Choose a campaign to add the creators to.")
        return RedirectResponse(forms.safe_next(forms.one(fields, "next"), "/campaigns"), status_code=303)
    return _add_to_roster(request, campaign_id[0], user, db, fields)


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(request: Request, campaign_id: Id, user: PageUser, db: DB, page: int = 1) -> HTMLResponse:
    """A campaign: plan, roster by stage, relationship health, its own posts (paged) and what people say."""
    campaign = service.require_campaign(db, user.workspace_id, campaign_id)
    scope = campaign_scope(db, user.workspace_id, campaign.id)
    ctx: dict[str, Any] = {
        "campaign": campaign,
        "stages": service.stage_counts(db, [campaign]).get(campaign.id, {}),
        "health": health.campaign_health(db, user.workspace_id, campaign.id),
        "posts": content.posts_page(db, user.workspace_id, campaign.id, page=max(1, min(page, 100_000))),
        "disclosure": content.disclosure(db, user.workspace_id, campaign.id),
        "terms": content_terms(db, campaign),
        "totals": payments.totals(payments.ledger(db, user.workspace_id, campaign.id)),
        "report": reports.language_report(db, scope),
        "overlap": service.roster_overlap(db, user.workspace_id, campaign.id),
        "base_url": f"/campaigns/{campaign.id}",
        "stage_list": list(Stage),
        "flash": forms.take_flash(request),
        "nav": "campaigns",
    }
    return render(request, "campaigns/detail.html", ctx)


@router.post("/campaigns/{campaign_id}", dependencies=CSRF)
def analyze_campaign_now(campaign_id: Id, user: PageWriter, db: DB) -> Response:
    """Label the campaign's unlabelled comments now."""
    comments.analyze_comments(db, campaign_scope(db, user.workspace_id, campaign_id))
    return RedirectResponse(f"/campaigns/{campaign_id}", status_code=303)


@router.get("/campaigns/{campaign_id}/roster/add", response_class=HTMLResponse)
def roster_picker(request: Request, campaign_id: Id, user: PageWriter, db: DB) -> HTMLResponse:
    """Pick creators for the roster: search the workspace's creators, tick, add."""
    picker = service.roster_picker(db, user.workspace_id, campaign_id, request.query_params)
    ctx = {"picker": picker, "campaign": picker.campaign, "nav": "campaigns"}
    return render(request, "campaigns/roster_add.html", ctx)


@router.post("/campaigns/{campaign_id}/roster", dependencies=CSRF)
def add_to_roster(request: Request, campaign_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Add creators (ticked ``creator_ids`` and/or typed ``handles``), then go back to ``next``."""
    return _add_to_roster(request, campaign_id, user, db, fields)


def _add_to_roster(request: Request, campaign_id: int, user: PageWriter, db: DB, fields: Posted) -> Response:
    back = forms.safe_next(forms.one(fields, "next"), f"/campaigns/{campaign_id}")
    campaign = service.require_campaign(db, user.workspace_id, campaign_id)
    try:
        wanted = forms.ids(fields, "creator_ids")
        if handles := forms.one(fields, "handles"):
            wanted += service.creator_ids_for_handles(db, user.workspace_id, handles)
        if not wanted:
            raise InvalidInput("Tick at least one creator, or type their handles.")
        result = service.add_creators(db, user.workspace_id, campaign_id, wanted, Actor.of(user))
    except InvalidInput as exc:
        forms.flash(request, exc.detail)
        return RedirectResponse(back, status_code=303)
    already = f" ({result.already} already on it)" if result.already else ""
    forms.flash(request, f"Added {result.added} creator{'s' * (result.added != 1)} to “{campaign.name}”{already}.")
    return RedirectResponse(back, status_code=303)


@router.post("/campaigns/{campaign_id}/roster/{creator_id}/remove", dependencies=CSRF)
def remove_from_roster(
    request: Request, campaign_id: Id, creator_id: Id, user: PageWriter, db: DB, fields: Posted
) -> Response:
    """Take a creator off the roster (refused once money is on the ledger)."""
    try:
        service.remove_from_roster(db, user.workspace_id, campaign_id, creator_id)
        forms.flash(request, "Removed from the roster.")
    except (Conflict, InvalidInput) as exc:
        forms.flash(request, exc.detail)
    back = forms.safe_next(forms.one(fields, "next"), f"/campaigns/{campaign_id}/board")
    return RedirectResponse(back, status_code=303)


router.include_router(pipeline_routes.router)
router.include_router(payment_routes.router)

# --- plan, roster, pipeline and payments above; forecast, optimiser and compensation below this line ---


def _planning_page(request: Request, page: str, panel: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    """The full page, or only its panel when the campaign page loads it with HTMX."""
    partial = request.headers.get("hx-request") == "true" and status == 200
    name = f"campaigns/{panel}.html" if partial else f"campaigns/{page}.html"
    return render(request, name, {"nav": "campaigns", "errors": {}, **ctx}, status=status)


@router.get("/campaigns/{campaign_id}/forecast", response_class=HTMLResponse)
def forecast_page(request: Request, campaign_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """The roster's Monte-Carlo forecast beside the seeds' arithmetic and one macro creator, with actual sales."""
    view = planning.forecast_view(db, user.workspace_id, campaign_id)
    ctx = {"fc": view, "form": {}, "flash": forms.take_flash(request)}
    return _planning_page(request, "forecast", "_forecast", ctx)


@router.post("/campaigns/{campaign_id}/forecast", dependencies=CSRF)
def save_assumptions(request: Request, campaign_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Save the edited assumptions (or reset them), or show them again with what is wrong (nothing is saved)."""
    typed = {k: forms.one(fields, k) for k in fields if k != "reset"}
    reset = forms.one(fields, "reset") == "1"
    try:
        planning.save_assumptions(db, user.workspace_id, campaign_id, {} if reset else typed, reset=reset)
    except InvalidInput as exc:
        view = planning.forecast_view(db, user.workspace_id, campaign_id)
        return _planning_page(request, "forecast", "_forecast", {"fc": view, "form": typed, "errors": exc.errors}, 400)
    forms.flash(request, "Back to the default assumptions." if reset else "Assumptions saved: the forecast uses them.")
    return RedirectResponse(f"/campaigns/{campaign_id}/forecast", status_code=303)


def _optimise_ctx(db: DB, user: PageUser, campaign_id: Id, form: dict[str, Any]) -> dict[str, Any]:
    campaign = service.require_campaign(db, user.workspace_id, campaign_id)
    choices = planning.shortlist_choices(db, user.workspace_id)
    return {"campaign": campaign, "form": form, "goals": list(CampaignGoal), "shortlists": choices, "plan": None}


@router.get("/campaigns/{campaign_id}/optimise", response_class=HTMLResponse)
def optimise_page(request: Request, campaign_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """The optimiser's limits, filled with the campaign's budget and goal."""
    boxes = planning.optimise_boxes(db, user.workspace_id, campaign_id)
    return _planning_page(request, "optimise", "optimise", _optimise_ctx(db, user, campaign_id, boxes))


@router.post("/campaigns/{campaign_id}/optimise", response_class=HTMLResponse, dependencies=CSRF)
def optimise_roster(request: Request, campaign_id: Id, user: PageUser, db: DB, fields: Posted) -> HTMLResponse:
    """Choose the roster within the limits typed (this changes nothing), or show what is wrong."""
    boxes: dict[str, Any] = {k: forms.one(fields, k) for k in fields} | {"tiers": fields.get("tiers", [])}
    ctx = _optimise_ctx(db, user, campaign_id, boxes)
    try:
        plan = planning.optimise_campaign(db, user.workspace_id, campaign_id, optimise_params(fields))
    except InvalidInput as exc:
        return _planning_page(request, "optimise", "optimise", ctx | {"errors": exc.errors}, 400)
    return _planning_page(request, "optimise", "_optimiser", ctx | {"plan": plan})


@router.get("/campaigns/{campaign_id}/compensation", response_class=HTMLResponse)
def compensation_page(request: Request, campaign_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """A fair compensation range with its reasoning for every roster member, for the terms asked."""
    campaign = service.require_campaign(db, user.workspace_id, campaign_id)
    typed = dict(request.query_params)
    terms, errors = CompensationIn(), {}
    try:
        terms = compensation_params(typed)
    except InvalidInput as exc:
        errors = exc.errors
    rows = planning.compensation_rows(db, user.workspace_id, campaign_id, terms)
    ctx = {"campaign": campaign, "rows": rows, "terms": typed, "errors": errors}
    return _planning_page(request, "compensation", "_compensation", ctx, 400 if errors else 200)
