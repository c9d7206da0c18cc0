"""Pages: the approvals queue, a collaboration's drafts, one draft, the UGC library (and the portal's Content)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.approvals import forms, library, service
from grassroots.approvals.portal_routes import router as portal_router
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.forms import Posted, flash, one, safe_next, take_flash
from grassroots.errors import Conflict, InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(portal_router)
CSRF = [Depends(verify_csrf)]


@router.get("/approvals", response_class=HTMLResponse)
def approvals_queue(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """Versions awaiting review, oldest first; the ones whose disclosure check failed are marked."""
    items = service.queue(db, user.workspace_id)
    ctx = {"items": items, "blocked": sum(1 for i in items if i.version.blocked_reason), "flash": take_flash(request),
           "next": "/approvals", "nav": "approvals"}  # fmt: skip
    return render(request, "approvals/queue.html", ctx)


def _collaboration_page(request: Request, db: DB, workspace_id: int, collaboration_id: int, **extra: Any) -> Response:
    ctx = service.collaboration_context(db, workspace_id, collaboration_id)
    ctx |= {"drafts": service.drafts_of(db, workspace_id, collaboration_id), "flash": take_flash(request),
            "errors": {}, "form": {}, "nav": "approvals", **extra}  # fmt: skip
    return render(request, "approvals/collaboration.html", ctx, status=400 if ctx["errors"] else 200)


@router.get("/approvals/collaborations/{collaboration_id}", response_class=HTMLResponse)
def collaboration_drafts(request: Request, collaboration_id: Id, user: PageUser, db: DB) -> Response:
    """A collaboration's drafts with every version, and a form to add one by hand."""
    return _collaboration_page(request, db, user.workspace_id, collaboration_id)


@router.post("/approvals/collaborations/{collaboration_id}/drafts", dependencies=CSRF)
def add_version(request: Request, collaboration_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """The brand adds a version by hand (content the creator sent by email, say); checked like any other."""
    data, errors = forms.version_in(fields)
    if data is not None:
        try:
            version = service.submit(db, user.workspace_id, collaboration_id, data, Actor.of(user), via="page",
                                     from_creator=False)  # fmt: skip
        except InvalidInput as exc:
            errors = {"form": exc.detail, **exc.errors}
        else:
            flash(request, f"Version {version.number} added." + (f" {version.blocked_reason}" if version.blocked_reason
                                                                  else ""))  # fmt: skip
            return RedirectResponse(f"/approvals/drafts/{version.draft_id}", status_code=303)
    return _collaboration_page(request, db, user.workspace_id, collaboration_id, errors=errors,
                               form=forms.boxes(fields))  # fmt: skip


@router.get("/approvals/drafts/{draft_id}", response_class=HTMLResponse)
def draft_page(request: Request, draft_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """One draft: its versions (newest first) with their disclosure checks, the comments, approve or send back."""
    draft = service.draft(db, user.workspace_id, draft_id)
    ctx = service.collaboration_context(db, user.workspace_id, draft.collaboration_id)
    ctx |= {"draft": draft, "flash": take_flash(request), "next": f"/approvals/drafts/{draft_id}", "nav": "approvals"}
    return render(request, "approvals/draft.html", ctx)


@router.post("/approvals/versions/{version_id}/approve", dependencies=CSRF)
def approve(request: Request, version_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Approve a version (refused, with the reason, when its disclosure check failed)."""
    back = safe_next(one(fields, "next"), "/approvals")
    try:
        service.approve(db, user.workspace_id, version_id, Actor.of(user), one(fields, "comment") or None)
    except Conflict as exc:
        flash(request, f"Not approved. {exc.detail}")
    else:
        flash(request, "Approved: the content is in the UGC library.")
    return RedirectResponse(back, status_code=303)


@router.post("/approvals/versions/{version_id}/changes", dependencies=CSRF)
def request_changes(request: Request, version_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Send a version back with a comment the creator reads in the portal."""
    back = safe_next(one(fields, "next"), "/approvals")
    try:
        service.request_changes(db, user.workspace_id, version_id, Actor.of(user), one(fields, "comment"))
    except (Conflict, InvalidInput) as exc:
        flash(request, f"Nothing was sent back. {exc.detail}")
    else:
        flash(request, "Changes requested: the creator sees your comment in their portal.")
    return RedirectResponse(back, status_code=303)


@router.post("/approvals/drafts/{draft_id}/comments", dependencies=CSRF)
def comment(request: Request, draft_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Add a comment to a draft (the creator sees it)."""
    try:
        service.add_comment(db, user.workspace_id, draft_id, Actor.of(user), one(fields, "comment"))
    except InvalidInput as exc:
        flash(request, exc.detail)
    else:
        flash(request, "Comment added.")
    return RedirectResponse(f"/approvals/drafts/{draft_id}", status_code=303)


def _positive(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) < 2**63 else None


@router.get("/ugc", response_class=HTMLResponse)
def ugc_library(request: Request, user: PageUser, db: DB, campaign: str = "", creator: str = "",
                rights: str = "") -> HTMLResponse:  # fmt: skip
    """Approved content with its usage rights and their expiry, by campaign, creator and rights status."""
    chosen = library.LibraryFilters(_positive(campaign), _positive(creator),
                                    rights if rights in library.RIGHTS_FILTERS else None)  # fmt: skip
    ctx = {"library": library.library(db, user.workspace_id, chosen), "filters": chosen,
           "rights_filters": library.RIGHTS_FILTERS, "nav": "ugc"}  # fmt: skip
    return render(request, "approvals/ugc.html", ctx)
