"""Creator pages: the filterable list, the profile, the add form and CSV upload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from grassroots.campaigns import forms as campaign_forms
from grassroots.campaigns import service as campaign_service
from grassroots.connectors import service as connectors
from grassroots.creators import importer, service
from grassroots.creators.models import Platform
from grassroots.creators.repository import SORT_LABELS, SORTS, CreatorFilters
from grassroots.creators.schemas import AccountIn, CreatorIn
from grassroots.creators.tiers import Tier
from grassroots.discovery import shortlists
from grassroots.errors import Conflict, ImportRejected
from grassroots.insights import service as insights
from grassroots.outreach import service as outreach
from grassroots.vetting import service as vetting
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
FILTER_KEYS = (
    "platform",
    "tier",
    "min_followers",
    "max_followers",
    "min_engagement",
    "max_engagement",
    "location",
    "q",
    "sort",
    "min_credibility",
    "max_credibility",
)


def parse_filters(params: Mapping[str, str]) -> tuple[CreatorFilters, dict[str, str]]:
    """Read list filters from query parameters; bad values are reported and ignored."""
    filters, errors = CreatorFilters(), {}
    choices: dict[str, Any] = {"platform": Platform, "tier": Tier}
    for key, kind in choices.items():
        if value := params.get(key, "").strip():
            try:
                setattr(filters, key, kind(value))
            except ValueError:
                errors[key] = f"unknown {key} {value!r}"
    for key, number in (
        ("min_followers", int),
        ("max_followers", int),
        ("min_engagement", float),
        ("max_engagement", float),
        ("min_credibility", int),
        ("max_credibility", int),
    ):
        if value := params.get(key, "").strip().replace(",", ""):
            try:
                parsed = number(value)
                if parsed < 0:
                    raise ValueError
                setattr(filters, key, parsed)
            except ValueError:
                errors[key] = "must be a number of 0 or more"
    filters.location = params.get("location", "").strip() or None
    filters.q = params.get("q", "").strip() or None
    sort = params.get("sort", "-followers")
    filters.sort = sort if sort in SORTS else "-followers"
    return filters, errors


@router.get("/creators", response_class=HTMLResponse)
def creators_list(request: Request, user: PageUser, db: DB, page: int = 1) -> HTMLResponse:
    """The filterable, sortable, paginated creators list (HTMX swaps only the results)."""
    filters, errors = parse_filters(request.query_params)
    page = max(1, min(page, 10_000))
    result = service.list_creators(db, user.workspace_id, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    kept = {k: v for k in FILTER_KEYS if (v := request.query_params.get(k, "").strip())}
    ctx = {
        "result": result,
        "page": page,
        "pages": max(1, -(-result.total // PAGE_SIZE)),
        "params": kept,
        "query": urlencode(kept),
        "errors": errors,
        "sorts": SORT_LABELS,
        "platforms": list(Platform),
        "nav": "creators",
        "workspace": user.workspace,
        "campaigns": campaign_service.list_campaigns(db, user.workspace_id) if user.role.can_write else [],
        "flash": campaign_forms.take_flash(request),
    }
    partial = request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == "results"
    return render(request, "creators/_results.html" if partial else "creators/list.html", ctx)


def _form_context(db: DB, workspace_id: int, form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    fetchable = sorted(connectors.watchers(db, workspace_id))  # platforms whose connection can read counts
    return {"form": form, "errors": errors, "platforms": list(Platform), "fetchable": fetchable}


@router.get("/creators/new", response_class=HTMLResponse)
def new_creator_form(request: Request, user: PageWriter, db: DB) -> HTMLResponse:
    """The add-a-creator form (the follower count can come from a connected platform instead of by hand)."""
    return render(request, "creators/new.html", _form_context(db, user.workspace_id, {}, {}))


@router.post("/creators/new", dependencies=[Depends(verify_csrf)])
async def create_creator(request: Request, user: PageWriter, db: DB) -> Response:
    """Create a creator with one account, or re-render the form with messages."""
    form = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf_token"}
    errors: dict[str, str] = {}
    fetch = form.get("fetch") == "on"
    try:
        values = {k: form.get(k) or None for k in ("platform", "handle", "followers")}
        if fetch and not values["followers"]:
            values["followers"] = "0"  # until the connection's next sync reads the real count
        account = AccountIn.model_validate(values)
        data = CreatorIn(
            display_name=form.get("display_name") or account.handle,
            location=form.get("location") or None,
            accounts=[account],
        )
        creator = await run_in_threadpool(service.create_creator, db, user.workspace_id, data)
        if fetch:
            await run_in_threadpool(
                connectors.watch_account, db, user.workspace_id, account.platform.value, account.handle
            )
    except ValidationError as exc:
        errors = {
            str(e["loc"][0]) if e["loc"] else "form": e["msg"].removeprefix("Value error, ") for e in exc.errors()
        }
    except Conflict as exc:
        errors = {"handle": exc.detail}
    if errors:
        return render(request, "creators/new.html", _form_context(db, user.workspace_id, form, errors), status=400)
    return RedirectResponse(f"/creators/{creator.id}" + ("?fetching=1" if fetch else ""), status_code=303)


@router.get("/creators/import", response_class=HTMLResponse)
def import_form(request: Request, user: PageWriter) -> HTMLResponse:
    """The CSV upload form."""
    return render(request, "creators/import.html", {"rejected": None, "result": None})


@router.post("/creators/import", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def import_upload(
    request: Request, user: PageWriter, db: DB, file: Annotated[UploadFile, File()]
) -> HTMLResponse:
    """Import an uploaded CSV: all rows or none."""
    raw = await file.read(importer.MAX_BYTES + 1)
    ctx: dict[str, Any] = {"rejected": None, "result": None}
    try:
        # A 200,000-row file takes seconds: off the event loop, so the server keeps answering meanwhile.
        ctx["result"] = await run_in_threadpool(importer.import_upload, db, user.workspace_id, raw)
    except ImportRejected as exc:
        ctx["rejected"] = exc
    return render(request, "creators/import.html", ctx, status=422 if ctx["rejected"] else 200)


@router.get("/creators/{creator_id}", response_class=HTMLResponse)
def creator_profile(request: Request, creator_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """A creator's profile: accounts, key stats, recent posts and comments, follower history."""
    jumps = vetting.follower_jumps(db, user.workspace_id, creator_id)
    ctx = service.profile(db, user.workspace_id, creator_id, jumps) | {"nav": "creators", "workspace": user.workspace}
    ctx["discovery"] = shortlists.profile_panel(db, user.workspace_id, creator_id)
    ctx["timeline"] = outreach.creator_timeline(db, user.workspace_id, creator_id)
    ctx["shared"] = insights.shared_for_creator(db, user.workspace_id, creator_id)
    return render(request, "creators/detail.html", ctx)
