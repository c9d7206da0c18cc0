"""The brand's portal page of a collaboration: create, copy and revoke links; the creator's answers, signatures,
address and (masked) payout details. Mounted by portal/routes.py."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns import forms
from grassroots.portal import manage
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
BASE = "/campaigns/{campaign_id}/collaborations/{collaboration_id}/portal"


def _here(campaign_id: int, collaboration_id: int) -> str:
    return BASE.format(campaign_id=campaign_id, collaboration_id=collaboration_id)


@router.get(BASE, response_class=HTMLResponse)
def portal_overview(request: Request, campaign_id: Id, collaboration_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """Links and what the creator did in the portal."""
    view = manage.overview(db, request.app.state.settings, user.workspace_id, campaign_id, collaboration_id)
    ctx = {"o": view, "campaign": view.ctx.campaign, "nav": "campaigns", "flash": forms.take_flash(request)}
    return render(request, "portal/manage.html", ctx)


@router.post(BASE + "/links", dependencies=CSRF)
def create_link(request: Request, campaign_id: Id, collaboration_id: Id, user: PageWriter, db: DB) -> Response:
    """A new link for the creator (older ones keep working until revoked or expired)."""
    manage.issue_link(db, request.app.state.settings, user.workspace_id, campaign_id, collaboration_id, by=user.email)
    forms.flash(request, "New portal link created: copy it below and send it to the creator.")
    return RedirectResponse(_here(campaign_id, collaboration_id) + "#links", status_code=303)


@router.post(BASE + "/links/{link_id}/revoke", dependencies=CSRF)
def revoke_link(
    request: Request, campaign_id: Id, collaboration_id: Id, link_id: Id, user: PageWriter, db: DB
) -> Response:
    """Revoke a link: it stops opening at once, for good."""
    manage.revoke_link(db, user.workspace_id, campaign_id, collaboration_id, link_id)
    forms.flash(request, "Link revoked: it no longer opens.")
    return RedirectResponse(_here(campaign_id, collaboration_id) + "#links", status_code=303)


@router.get(BASE + "/signatures/{signature_id}/pdf")
def signature_pdf(campaign_id: Id, collaboration_id: Id, signature_id: Id, user: PageUser, db: DB) -> Response:
    """The signed PDF copy."""
    data, name = manage.signature_pdf(db, user.workspace_id, campaign_id, collaboration_id, signature_id)
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})
