"""Sign-in, sign-out, password, sessions and API token pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.errors import InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, SESSION_VERSION, PageUser, PageWriter, session_user, start_session
from grassroots.web.paths import Id
from grassroots.web.templating import render
from grassroots.workspaces import service
from grassroots.workspaces.models import User
from grassroots.workspaces.throttle import TooManyAttempts

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect after login is a phishing aid.
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/creators"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    """The sign-in form."""
    return render(request, "workspaces/login.html", {"next": _safe_next(next), "errors": {}, "email": ""})


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    db: DB,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/creators",
) -> Response:
    """Check the credentials (failures are throttled per account and address) and start a session."""
    ctx: dict[str, object] = {"next": _safe_next(next), "email": email}
    try:
        user = service.sign_in(db, email, password, _client_ip(request)) if email and password else None
    except TooManyAttempts as exc:
        response = render(request, "workspaces/login.html", {**ctx, "errors": {"form": exc.detail}}, status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if user is None:
        errors = {"form": "Email or password is wrong."}
        if not email:
            errors = {"email": "Enter your email."}
        elif not password:
            errors = {"password": "Enter your password."}
        return render(request, "workspaces/login.html", {**ctx, "errors": errors}, status=400)
    start_session(request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


def _client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, db: DB) -> Response:
    """End the session: the user's session version moves on, so a copy of the cookie stops working too."""
    user = session_user(request, db)
    if user is not None:
        service.end_sessions(db, user)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _tokens_page(request: Request, user: User, db: DB, status: int = 200, **ctx: object) -> HTMLResponse:
    defaults: dict[str, object] = {"new_token": None, "errors": {}, "password_errors": {}, "nav": "settings"}
    defaults["now"] = datetime.now(UTC)  # tokens past their expiry show as expired
    context = {**defaults, "tokens": service.list_tokens(db, user.workspace_id), **ctx}
    return render(request, "workspaces/tokens.html", context, status=status)


@router.get("/settings/tokens", response_class=HTMLResponse)
def tokens(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """The workspace's API tokens, and the signed-in person's password and sessions."""
    return _tokens_page(request, user, db)


@router.post("/settings/tokens", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def create_token(request: Request, user: PageWriter, db: DB, name: Annotated[str, Form()] = "") -> HTMLResponse:
    """Create a token and show it once."""
    new_token, errors = None, {}
    try:
        _, new_token = service.create_token(db, user, name)
    except InvalidInput as exc:
        errors = exc.errors
    return _tokens_page(request, user, db, 400 if errors else 200, new_token=new_token, errors=errors)


@router.post("/settings/tokens/{token_id}/revoke", dependencies=[Depends(verify_csrf)])
def revoke_token(token_id: Id, user: PageWriter, db: DB) -> Response:
    """Revoke a token."""
    service.revoke_token(db, user.workspace_id, token_id)
    return RedirectResponse("/settings/tokens", status_code=303)


@router.post("/settings/password", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def change_password(
    request: Request,
    user: PageUser,
    db: DB,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Change the signed-in person's password; every other session ends, this one stays signed in."""
    if new != confirm:
        return _tokens_page(request, user, db, 400, password_errors={"confirm": "The two new passwords differ."})
    try:
        version = service.change_password(db, user, current, new, _client_ip(request))
    except TooManyAttempts as exc:
        response = _tokens_page(request, user, db, 429, password_errors={"form": exc.detail})
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except InvalidInput as exc:
        return _tokens_page(request, user, db, 400, password_errors=exc.errors)
    request.session[SESSION_VERSION] = version
    return RedirectResponse("/settings/tokens?password=changed", status_code=303)


@router.post("/settings/sessions/end", dependencies=[Depends(verify_csrf)])
def sign_out_everywhere(request: Request, user: PageUser, db: DB) -> Response:
    """Sign out on every browser and device, this one included (API tokens are not touched)."""
    service.end_sessions(db, user)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _brand_context(
    db: DB, user: PageUser, errors: dict[str, str], form: dict[str, object] | None = None
) -> dict[str, object]:
    from grassroots.judgments.language.fit import CATEGORIES

    current = form or service.brand_profile(db, user.workspace_id)
    return {"form": current, "categories": CATEGORIES, "errors": errors, "nav": "settings"}


@router.get("/settings/brand", response_class=HTMLResponse)
def brand_profile(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """The brand profile: niche, values, tone and the categories the brand will not stand next to."""
    return render(request, "workspaces/brand.html", _brand_context(db, user, {}))


@router.post("/settings/brand", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def save_brand_profile(
    request: Request,
    user: PageWriter,
    db: DB,
    niche: Annotated[str, Form()] = "",
    values: Annotated[str, Form()] = "",
    tone: Annotated[str, Form()] = "",
    banned: Annotated[list[str] | None, Form()] = None,
    handles: Annotated[str, Form()] = "",
) -> Response:
    """Save the profile, or show the form again with what is wrong."""
    try:
        service.update_brand_profile(
            db, user.workspace_id, niche=niche, values=values, tone=tone, banned=banned or [], handles=handles
        )
    except InvalidInput as exc:
        form: dict[str, object] = {"niche": niche, "values": values, "tone": tone, "banned": banned or [],
                                   "handles": handles}  # fmt: skip
        return render(request, "workspaces/brand.html", _brand_context(db, user, exc.errors, form), status=400)
    return RedirectResponse("/settings/brand?saved=1", status_code=303)
