"""Pages: connect an account from the portal (OAuth start and callback), revoke; the brand's shared insights."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.errors import GrassrootsError, InvalidInput
from grassroots.insights import service
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
PENDING = "creator_oauth"  # the browser session's pending Connect click: {"nonce", "token", "platform"}
MESSAGES = {
    "shared": "Thank you: your figures are shared with the brand. You can stop sharing at any time.",
    "stopped": "Sharing stopped: your tokens and the figures you shared are deleted.",
    "declined": "Nothing was connected, and nothing was shared.",
}


def _portal(request: Request, db: DB, token: str, message: str | None = None, status: int = 200) -> HTMLResponse:
    page: dict[str, Any] = service.portal_page(db, request.app.state.settings, token)
    page.update(portal_token=token, portal_nav="insights", message=message)
    return render(request, "portal/insights.html", page, status=status)


@router.get("/p/{token}/insights", response_class=HTMLResponse)
def portal_insights(request: Request, db: DB, token: str, done: str = "") -> HTMLResponse:
    """What sharing means, the Connect buttons, and what is shared."""
    return _portal(request, db, token, MESSAGES.get(done))


@router.post("/p/{token}/insights/connect/{platform}", dependencies=CSRF)
def connect(request: Request, db: DB, token: str, platform: str) -> Response:
    """Send the creator to the platform's authorization page with a signed state."""
    url, nonce = service.start_connect(db, request.app.state.settings, token, platform)
    request.session[PENDING] = {"nonce": nonce, "token": token, "platform": platform}
    return RedirectResponse(url, status_code=303)


@router.get("/oauth/creator/{platform}/callback", response_class=HTMLResponse)
def callback(request: Request, db: DB, platform: str, code: str = "", state: str = "", error: str = "") -> Response:
    """The platform sends the creator back here with a code (or an error) and our state."""
    pending = request.session.pop(PENDING, None)
    token = pending.get("token") if isinstance(pending, dict) else None
    if error or not code:
        if token and isinstance(token, str):
            return RedirectResponse(f"/p/{token}/insights?done=declined", status_code=303)
        return _failed(request, "Nothing was connected, and nothing was shared.")
    try:
        back = service.complete_connect(db, request.app.state.settings, platform, code, state,
                                        pending if isinstance(pending, dict) else None)  # fmt: skip
    except GrassrootsError as err:
        return _failed(request, str(err), token if isinstance(token, str) else None)
    return RedirectResponse(f"/p/{back}/insights?done=shared", status_code=303)


def _failed(request: Request, message: str, token: str | None = None) -> HTMLResponse:
    return render(request, "insights/connect_failed.html", {"message": message, "back_token": token}, status=400)


@router.post("/p/{token}/insights/{grant_id}/stop", dependencies=CSRF)
def stop(request: Request, db: DB, token: str, grant_id: int) -> Response:
    """Stop sharing: delete the tokens and the figures."""
    service.stop_sharing(db, request.app.state.settings, token, grant_id)
    return RedirectResponse(f"/p/{token}/insights?done=stopped", status_code=303)


@router.get("/insights/shared", response_class=HTMLResponse)
def shared(request: Request, db: DB, user: PageUser, saved: str = "") -> HTMLResponse:
    """What each creator shared, their connections' state, and the apps creators authorise."""
    page = service.brand_page(db, user.workspace_id)
    return render(request, "insights/shared.html", {**page, "saved": saved, "errors": {}})


@router.post("/insights/shared/apps/{platform}", dependencies=CSRF)
async def save_app(request: Request, db: DB, user: PageWriter, platform: str) -> Response:
    """Set the brand's app (client id and secret) for one platform."""
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        service.save_app(db, request.app.state.settings, user.workspace_id, platform, form, user.email)
    except InvalidInput as err:
        page = service.brand_page(db, user.workspace_id)
        return render(request, "insights/shared.html", {**page, "saved": "", "errors": {platform: str(err)},
                                                       "form": form}, status=400)  # fmt: skip
    return RedirectResponse(f"/insights/shared?saved={platform}", status_code=303)
