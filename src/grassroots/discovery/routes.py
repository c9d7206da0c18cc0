"""Discovery pages: search, shortlists, saved searches, lookalikes, natural advocates and audience overlap."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends
from fastapi.requests import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns.forms import safe_next
from grassroots.creators.models import Platform
from grassroots.creators.tiers import describe_tiers
from grassroots.discovery import advocates as advocates_service
from grassroots.discovery import audience, service, shortlists
from grassroots.discovery.schemas import SORTS, parse_query
from grassroots.errors import Conflict, InvalidInput, NotFound
from grassroots.judgments.discovery.niches import TAXONOMY
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render
from grassroots.workspaces.models import User

router = APIRouter(include_in_schema=False)

PER_PAGE = 25
EXPORT_LIMIT = 5000


def _search_context(request: Request, db: DB, user: User) -> dict[str, Any]:
    """Run the search in the query string; a bad value re-renders the form with the message, no results."""
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    if "hashtag" in params:  # one box, several hashtags: "sourdough, #bread"
        params["hashtag"] = [t for v in params["hashtag"] for t in v.replace(",", " ").split()]
    ctx: dict[str, Any] = {"nav": "discovery", "errors": [], "result": None, "raw": params,
                           "sorts": SORTS, "taxonomy": TAXONOMY, "tiers": describe_tiers(), "platforms": list(Platform),
                           "shortlists": shortlists.shortlist_choices(db, user.workspace_id),
                           "campaigns": shortlists.open_campaigns(db, user.workspace_id),
                           "saved": shortlists.saved_searches(db, user.workspace_id)}  # fmt: skip
    try:
        query = parse_query(params)
        ctx["query"] = query
        ctx["result"] = service.search(db, user.workspace_id, query)
        ctx["query_string"] = service.query_string(query)
    except InvalidInput as exc:
        ctx["errors"] = exc.detail.split("; ")
        ctx["query"] = None
        ctx["query_string"] = ""
    return ctx


@router.get("/discovery", response_class=HTMLResponse)
def search_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """Search creators by words, meaning, niche and filters; results explain themselves (HTMX swaps results)."""
    ctx = _search_context(request, db, user)
    partial = request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == "results"
    status = 400 if ctx["errors"] else 200
    return render(request, "discovery/_results.html" if partial else "discovery/search.html", ctx, status=status)


@router.get("/discovery.csv")
def search_csv(request: Request, user: PageUser, db: DB) -> Response:
    """The search's results (up to 5,000) as CSV."""
    params = {k: request.query_params.getlist(k) for k in request.query_params} | {
        "page": ["1"], "per_page": ["100"]}  # fmt: skip
    query = parse_query(params)
    text = service.export_all_csv(db, user.workspace_id, query, limit=EXPORT_LIMIT)
    headers = {"Content-Disposition": 'attachment; filename="creators-search.csv"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


async def _form(request: Request) -> tuple[dict[str, str], list[int]]:
    form = await request.form()
    ids = [int(str(v)) for v in form.getlist("creator_ids") if str(v).isdigit()]
    return {k: str(v).strip() for k, v in form.items() if k not in ("csrf_token", "creator_ids")}, ids


def _back(form: dict[str, str], fallback: str, message: str) -> RedirectResponse:
    target = safe_next(form.get("next"), fallback)  # same-site paths only: no open redirect
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{joiner}{urlencode({'flash': message})}", status_code=303)


@router.post("/discovery/shortlist", dependencies=[Depends(verify_csrf)])
async def add_results_to_shortlist(request: Request, user: PageWriter, db: DB) -> Response:
    """Add the ticked creators to a shortlist (an existing one, or a new one named in the form)."""
    form, ids = await _form(request)
    try:
        shortlist_id, added = shortlists.add_to_named_shortlist(
            db, user.workspace_id, ids, shortlist_id=form.get("shortlist_id", ""), new_name=form.get("new_name", "")
        )
    except (InvalidInput, Conflict) as exc:
        return _back(form, "/discovery", f"Nothing added: {exc.detail}")
    return _back(form, f"/discovery/shortlists/{shortlist_id}", f"Added {added} creator(s) to the shortlist.")


@router.post("/discovery/saved", dependencies=[Depends(verify_csrf)])
async def save_search_form(request: Request, user: PageWriter, db: DB) -> Response:
    """Save the current search under a name."""
    form, _ = await _form(request)
    query_text = form.get("query", "")
    try:
        query = parse_query(parse_qs(query_text))
        shortlists.save_search(db, user.workspace_id, form.get("name", ""), query)
    except (InvalidInput, Conflict) as exc:
        return _back({"next": f"/discovery?{query_text}"}, "/discovery", f"Not saved: {exc.detail}")
    return _back({"next": f"/discovery?{query_text}"}, "/discovery", "Search saved.")


@router.get("/discovery/shortlists", response_class=HTMLResponse)
def shortlists_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """The workspace's shortlists and saved searches."""
    ctx = {"lists": shortlists.shortlist_choices(db, user.workspace_id), "saved": shortlists.saved_searches(db, user.workspace_id),
           "nav": "discovery", "errors": [], "form": {}}  # fmt: skip
    return render(request, "discovery/shortlists.html", ctx)


@router.post("/discovery/shortlists", dependencies=[Depends(verify_csrf)])
async def create_shortlist_form(request: Request, user: PageWriter, db: DB) -> Response:
    """Create a shortlist, or re-render the page with the message."""
    form, _ = await _form(request)
    try:
        shortlist = shortlists.create_shortlist(db, user.workspace_id, form.get("name", ""), form.get("notes"))
    except (InvalidInput, Conflict) as exc:
        ctx = {"lists": shortlists.shortlist_choices(db, user.workspace_id),
               "saved": shortlists.saved_searches(db, user.workspace_id), "nav": "discovery",
               "errors": [exc.detail], "form": form}  # fmt: skip
        return render(request, "discovery/shortlists.html", ctx, status=400)
    return RedirectResponse(f"/discovery/shortlists/{shortlist.id}", status_code=303)


@router.get("/discovery/shortlists/{shortlist_id}", response_class=HTMLResponse)
def shortlist_page(request: Request, shortlist_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """A shortlist: its creators with notes and tags, audience overlap, add to a campaign, export."""
    ctx = shortlists.shortlist_view(db, user.workspace_id, shortlist_id) | {"nav": "discovery"}
    return render(request, "discovery/shortlist.html", ctx)


@router.get("/discovery/shortlists/{shortlist_id}/export.csv")
def shortlist_export(shortlist_id: Id, user: PageUser, db: DB) -> Response:
    """A shortlist as CSV."""
    name, text = shortlists.shortlist_csv(db, user.workspace_id, shortlist_id)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/discovery/shortlists/{shortlist_id}/campaign", dependencies=[Depends(verify_csrf)])
async def shortlist_campaign_form(request: Request, shortlist_id: Id, user: PageWriter, db: DB) -> Response:
    """Put the shortlist's creators on a campaign's roster in one click."""
    form, _ = await _form(request)
    back = f"/discovery/shortlists/{shortlist_id}"
    campaign = form.get("campaign_id", "")
    if not campaign.isdigit():
        return _back({"next": back}, back, "Choose a campaign first.")
    try:
        added = shortlists.shortlist_to_campaign(db, user.workspace_id, shortlist_id, int(campaign), user)
    except InvalidInput as exc:
        return _back({"next": back}, back, f"Nothing added: {exc.detail}")
    return _back({"next": f"/campaigns/{campaign}"}, back, f"Added {added} creator(s) from the shortlist.")


@router.post("/discovery/shortlists/{shortlist_id}/entries/{creator_id}", dependencies=[Depends(verify_csrf)])
async def shortlist_entry_form(
    request: Request, shortlist_id: Id, creator_id: Id, user: PageWriter, db: DB
) -> Response:
    """Change a creator's note and tags on the shortlist, or take them off (``remove``)."""
    form, _ = await _form(request)
    back = f"/discovery/shortlists/{shortlist_id}"
    try:
        if form.get("action") == "remove":
            shortlists.remove_from_shortlist(db, user.workspace_id, shortlist_id, creator_id)
            return _back({"next": back}, back, "Removed from the shortlist.")
        tags = [t for t in form.get("tags", "").split(",")]
        shortlists.update_entry(db, user.workspace_id, shortlist_id, creator_id, note=form.get("note"), tags=tags)
    except InvalidInput as exc:
        return _back({"next": back}, back, exc.detail)
    return _back({"next": back}, back, "Saved.")


@router.post("/discovery/shortlists/{shortlist_id}/delete", dependencies=[Depends(verify_csrf)])
def shortlist_delete_form(shortlist_id: Id, user: PageWriter, db: DB) -> Response:
    """Delete a shortlist (its creators stay in the workspace)."""
    shortlists.delete_shortlist(db, user.workspace_id, shortlist_id)
    return RedirectResponse("/discovery/shortlists?flash=Shortlist+deleted.", status_code=303)


@router.post("/discovery/campaign", dependencies=[Depends(verify_csrf)])
async def add_to_campaign_form(request: Request, user: PageWriter, db: DB) -> Response:
    """Put the ticked creators (from a search or a profile) on the campaign chosen in the form."""
    form, ids = await _form(request)
    try:
        added = shortlists.creators_to_campaign(db, user.workspace_id, form.get("campaign_id", ""), ids, user)
    except (InvalidInput, NotFound) as exc:
        return _back(form, "/discovery", f"Nothing added: {exc.detail}")
    return _back(form, f"/campaigns/{form.get('campaign_id')}", f"Added {added} creator(s) to the campaign.")


# --- search, shortlists and lookalikes above; natural advocates and audience overlap below this line ---

ADVOCATES_PER_PAGE = 50


@router.get("/discovery/advocates", response_class=HTMLResponse)
def advocates_page(request: Request, user: PageUser, db: DB, page: int = 1) -> HTMLResponse:
    """Natural advocates: the brand's customers, commenters and fans who create, with why each was suggested."""
    offset = (page - 1) * ADVOCATES_PER_PAGE
    result = advocates_service.find_advocates(db, user.workspace_id, limit=ADVOCATES_PER_PAGE, offset=offset)
    pages = max(1, -(-result.total // ADVOCATES_PER_PAGE))
    ctx = {"result": result, "page": page, "pages": pages, "nav": "discovery"}
    return render(request, "discovery/advocates.html", ctx)


@router.get("/discovery/overlap", response_class=HTMLResponse)
def overlap_page(request: Request, user: PageUser, db: DB, ids: str = "") -> HTMLResponse:
    """Audience overlap of the creators in ``ids`` (comma-separated): the matrix and the top overlapping pairs."""
    result = audience.overlap_for(db, user.workspace_id, audience.parse_ids(ids))
    return render(request, "discovery/overlap.html", {"overlap": result, "ids": ids, "nav": "discovery"})
