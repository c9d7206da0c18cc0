"""Pages: the mentions inbox."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns.forms import Posted, flash, one, safe_next, take_flash
from grassroots.errors import InvalidInput
from grassroots.mentions import service
from grassroots.mentions.models import MentionStatus
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
FILTERS = ("none", "overdue", "replied", "liked", "shared")


@router.get("/mentions", response_class=HTMLResponse)
def mentions_inbox(request: Request, user: PageUser, db: DB, status: str = "", offset: int = 0) -> HTMLResponse:
    """Every post that tags or mentions the brand, newest first, with what the brand did about it."""
    chosen = status if status in FILTERS else ""
    start = min(max(offset, 0), 10**9)
    page = service.inbox(db, user.workspace_id, request.app.state.settings, chosen or None, start)
    here = f"/mentions?status={chosen}&offset={start}" if chosen or start else "/mentions"
    ctx = {"inbox": page, "status": chosen, "offset": start, "statuses": list(MentionStatus), "filters": FILTERS,
           "flash": take_flash(request), "next": here, "nav": "mentions"}  # fmt: skip
    return render(request, "mentions/inbox.html", ctx)


@router.post("/mentions/{post_id}/status", dependencies=[Depends(verify_csrf)])
def set_status(request: Request, post_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Mark a mention replied, liked, shared or not answered, in one click."""
    back = safe_next(one(fields, "next"), "/mentions")
    try:
        chosen = service.set_status(db, user.workspace_id, post_id, one(fields, "status"), user.email)
    except InvalidInput as exc:
        flash(request, exc.detail)
    else:
        flash(request, f"Marked {chosen.label.lower()}.")
    return RedirectResponse(f"{back}#mention-{post_id}", status_code=303)
