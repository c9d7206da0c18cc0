"""The vetting page of a creator (credibility, reasons, charts) and its "Vet now" button."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.vetting import service
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/creators/{creator_id}/vetting", response_class=HTMLResponse)
def vetting_page(request: Request, creator_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """Credibility, reasons, ER against the tier's peers, follower history with anomalies, comment breakdown."""
    ctx = service.vetting_page(db, user.workspace_id, creator_id)
    return render(request, "vetting/report.html", {**ctx, "nav": "creators"})


@router.post("/creators/{creator_id}/vetting", dependencies=[Depends(verify_csrf)])
def vet_now(creator_id: Id, user: PageWriter, db: DB) -> Response:
    """Re-vet this creator's accounts now."""
    service.vet_creator(db, user.workspace_id, creator_id)
    return RedirectResponse(f"/creators/{creator_id}/vetting", status_code=303)
