"""The redirector /r/{slug} and the links pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns import forms
from grassroots.campaigns.forms import Posted
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking import link_stats, links, redirector
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
REDIRECT_HEADERS = {"cache-control": "no-store, private", "x-robots-tag": "noindex", "referrer-policy": "unsafe-url"}


@router.api_route("/r/{slug}", methods=["GET", "HEAD"])
async def follow_link(slug: str, request: Request) -> Response:
    """Public by design: log the click (never waiting on the database) and redirect at once."""
    state = request.app.state
    url = await redirector.follow(
        state.engine,
        state.settings,
        slug,
        method=request.method,
        user_agent=request.headers.get("user-agent", ""),
        referer=request.headers.get("referer"),
        ip=request.client.host if request.client else "",
    )
    if url is None:
        raise NotFound("This link does not exist or was switched off.")
    return Response(status_code=302, headers={"location": url, **REDIRECT_HEADERS})


def _link_in(fields: forms.Fields) -> links.LinkIn:
    def number(name: str) -> int | None:
        found = forms.ids(fields, name)
        return found[0] if found else None

    text = {n: forms.one(fields, n) for n in ("destination", "slug", *links.UTM_FIELDS)}
    return links.LinkIn(collaboration_id=number("collaboration_id"), campaign_id=number("campaign_id"), **text)


def _list_page(request: Request, user: Any, db: DB, filters: dict[str, Any], form: dict[str, str] | None = None,
               errors: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    rows = links.list_links(db, user.workspace_id, **filters)
    ctx = {"rows": rows, "filters": filters, "form": form or {}, "errors": errors or {}, "nav": "tracking",
           "base_url": request.app.state.settings.base_url, "flash": forms.take_flash(request),
           **links.form_choices(db, user.workspace_id)}  # fmt: skip
    return render(request, "tracking/links.html", ctx, status=400 if errors else 200)


@router.get("/tracking/links", response_class=HTMLResponse)
def links_page(request: Request, user: PageUser, db: DB, campaign_id: int = 0, creator_id: int = 0,
               archived: bool = False) -> HTMLResponse:  # fmt: skip
    """The workspace's short links with clicks, unique visitors per hour and bot share; the create form."""
    return _list_page(request, user, db, {"campaign_id": campaign_id, "creator_id": creator_id, "archived": archived})


@router.post("/tracking/links", dependencies=CSRF)
def create_link(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Create one link, or re-render the form with a message beside each bad field."""
    try:
        link = links.create_link(db, user.workspace_id, _link_in(fields), actor=user.email)
    except InvalidInput as exc:
        filters = {"campaign_id": 0, "creator_id": 0, "archived": False}
        form = {k: forms.one(fields, k) for k in fields}
        return _list_page(request, user, db, filters, form, exc.errors or {"form": exc.detail})
    forms.flash(request, f"Created /r/{link.slug}.")
    return RedirectResponse(f"/tracking/links/{link.id}", status_code=303)


@router.post("/tracking/links/roster", dependencies=CSRF)
def create_roster_links(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """One link for every roster creator of a campaign who has none yet."""
    campaign = forms.ids(fields, "campaign_id")
    if not campaign:
        forms.flash(request, "Choose a campaign first.")
        return RedirectResponse("/tracking/links", status_code=303)
    try:
        made = links.create_for_roster(db, user.workspace_id, campaign[0], actor=user.email,
                                       destination=forms.one(fields, "destination"))  # fmt: skip
    except InvalidInput as exc:
        forms.flash(request, "No links were created: " + "; ".join(exc.errors.values() or [exc.detail]))
        return RedirectResponse(f"/tracking/links?campaign_id={campaign[0]}", status_code=303)
    forms.flash(request, f"Created {len(made)} link{'s' if len(made) != 1 else ''} for the roster."
                if made else "Every creator on this roster already has a link.")  # fmt: skip
    return RedirectResponse(f"/tracking/links?campaign_id={campaign[0]}", status_code=303)


@router.get("/tracking/links/{link_id}", response_class=HTMLResponse)
def link_page(request: Request, link_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """One link: its short address, QR code, figures by hour and latest clicks."""
    row = links.link_row(db, user.workspace_id, link_id)
    ctx = {"row": row, "hours": link_stats.by_hour(db, link_id), "clicks": link_stats.recent(db, link_id),
           "short_url": links.short_url(request.app.state.settings, row.link.slug), "nav": "tracking",
           "flash": forms.take_flash(request)}  # fmt: skip
    return render(request, "tracking/links_detail.html", ctx)


@router.get("/tracking/links/{link_id}/qr.svg")
def link_qr(request: Request, link_id: Id, user: PageUser, db: DB) -> Response:
    """The link's QR code as SVG."""
    link = links.require_link(db, user.workspace_id, link_id)
    svg = links.qr_svg(request.app.state.settings, link)
    disposition = f'inline; filename="{link.slug}.svg"'
    return Response(svg, media_type="image/svg+xml", headers={"content-disposition": disposition})


@router.post("/tracking/links/{link_id}/archive", dependencies=CSRF)
def archive_link(request: Request, link_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Switch a link off (it answers 404; its clicks stay) or, with restore=1, back on."""
    restore = forms.one(fields, "restore") == "1"
    link = links.set_archived(db, user.workspace_id, link_id, not restore)
    forms.flash(request, f"{'Restored' if restore else 'Switched off'} /r/{link.slug}.")
    return RedirectResponse(f"/tracking/links/{link_id}", status_code=303)
