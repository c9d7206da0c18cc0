"""The portal's Content page, /p/{token}/content: the creator's drafts, the brand's comments, a new version."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.approvals import forms, portal
from grassroots.campaigns.forms import Posted
from grassroots.errors import InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
SENT = "portal_content_sent"


def _page(request: Request, db: DB, token: str, status: int = 200, **extra: Any) -> HTMLResponse:
    page = portal.content(db, request.app.state.settings, token)
    ctx = {"page": page, "brand_name": page.brand_name, "portal_token": token, "portal_nav": "content",
           "errors": {}, "form": {}, "sent": request.session.pop(SENT, None), **extra}  # fmt: skip
    return render(request, "portal/content.html", ctx, status=status)


@router.get("/p/{token}/content", response_class=HTMLResponse)
def content_page(request: Request, token: str, db: DB) -> HTMLResponse:
    """The creator's drafts, what the brand said, and the form for a new version."""
    return _page(request, db, token)


@router.post("/p/{token}/content", dependencies=[Depends(verify_csrf)])
def submit_version(request: Request, token: str, db: DB, fields: Posted) -> Response:
    """A new version from the creator; a mistake comes back with the form as typed."""
    data, errors = forms.version_in(fields)
    if data is None:
        return _page(request, db, token, status=400, errors=errors, form=forms.boxes(fields))
    try:
        title, number, blocked = portal.submit(db, request.app.state.settings, token, data)
    except InvalidInput as exc:
        return _page(
            request, db, token, status=400, errors={"form": exc.detail, **exc.errors}, form=forms.boxes(fields)
        )
    request.session[SENT] = {"title": title, "number": number, "blocked": blocked}
    return RedirectResponse(f"/p/{token}/content", status_code=303)
