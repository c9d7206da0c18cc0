"""Pages: write a collaboration's brief and agreement, see versions and signatures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.agreements import documents, service
from grassroots.campaigns import forms
from grassroots.campaigns.forms import Posted
from grassroots.errors import InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
BASE = "/campaigns/{campaign_id}/collaborations/{collaboration_id}/documents"
BRIEF_BOXES = ("key_messages", "dos", "donts", "disclosure", "hashtags", "links", "deadlines")
AGREEMENT_BOXES = ("deliverables", "deadlines", "channels", "paid_usage", "usage_expires_on", "exclusivity",
                   "payment_terms", "disclosure")  # fmt: skip


def _page(request: Request, db: DB, workspace_id: int, campaign_id: int, collaboration_id: int,
          **extra: Any) -> HTMLResponse:  # fmt: skip
    page = service.editor(db, workspace_id, campaign_id, collaboration_id)
    ctx: dict[str, Any] = {"e": page, "campaign": page.ctx.campaign, "nav": "campaigns", "brief_errors": {},
                           "agreement_errors": {}, "flash": forms.take_flash(request), **extra}  # fmt: skip
    ctx.setdefault("brief_form", page.brief)
    ctx.setdefault("agreement_form", page.agreement)
    failed = bool(ctx["brief_errors"] or ctx["agreement_errors"])
    return render(request, "agreements/editor.html", ctx, status=400 if failed else 200)


@router.get(BASE, response_class=HTMLResponse)
def editor(request: Request, campaign_id: Id, collaboration_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """The brief and agreement of one collaboration: edit (a new version per save), history, signatures."""
    return _page(request, db, user.workspace_id, campaign_id, collaboration_id)


@router.post(BASE + "/{kind}", dependencies=CSRF)
def save(
    request: Request, campaign_id: Id, collaboration_id: Id, kind: str, user: PageWriter, db: DB, fields: Posted
) -> Response:
    """Save the brief or the agreement as a new version."""
    if kind not in {"brief", "agreement"}:
        raise InvalidInput("Save the brief or the agreement.")
    boxes = {k: forms.one(fields, k) for k in (BRIEF_BOXES if kind == "brief" else AGREEMENT_BOXES)}
    try:
        parsed = documents.brief_from_form(boxes) if kind == "brief" else documents.agreement_from_form(boxes)
        version, created = service.save_for_campaign(db, user.workspace_id, campaign_id, collaboration_id, parsed,
                                                     created_by=user.email)  # fmt: skip
    except InvalidInput as exc:
        errors = exc.errors or {"form": exc.detail}
        return _page(request, db, user.workspace_id, campaign_id, collaboration_id,
                     **{f"{kind}_errors": errors, f"{kind}_form": boxes})  # fmt: skip
    label = "Brief" if kind == "brief" else "Agreement"
    message = (
        f"{label} saved as version {version.number}." if created else f"No changes: still version {version.number}."
    )
    forms.flash(request, message)
    url = BASE.format(campaign_id=campaign_id, collaboration_id=collaboration_id)
    return RedirectResponse(f"{url}#{kind}", status_code=303)


@router.get(BASE + "/{version_id}", response_class=HTMLResponse)
def version(
    request: Request, campaign_id: Id, collaboration_id: Id, version_id: Id, user: PageUser, db: DB
) -> HTMLResponse:
    """One version as the creator reads it, with its signature record."""
    ctx, found, signature = service.version_for_campaign(db, user.workspace_id, campaign_id, collaboration_id,
                                                         version_id)  # fmt: skip
    page = {"ctx": ctx, "campaign": ctx.campaign, "v": found, "signature": signature, "nav": "campaigns"}
    return render(request, "agreements/version.html", page)


@router.get(BASE + "/{version_id}/pdf")
def version_pdf(campaign_id: Id, collaboration_id: Id, version_id: Id, user: PageUser, db: DB) -> Response:
    """The version as a PDF (the signed copy, when it was signed)."""
    data, name = service.pdf_for_campaign(db, user.workspace_id, campaign_id, collaboration_id, version_id)
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})
