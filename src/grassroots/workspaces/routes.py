"""Sign-in, sign-out and API token pages."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.errors import InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.templating import render
from grassroots.workspaces import service

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
    """Check the credentials and start a session."""
    user = service.authenticate(db, email, password) if email and password else None
    if user is None:
        errors = {"form": "Email or password is wrong."}
        if not email:
            errors = {"email": "Enter your email."}
        elif not password:
            errors = {"password": "Enter your password."}
        ctx = {"next": _safe_next(next), "errors": errors, "email": email}
        return render(request, "workspaces/login.html", ctx, status=400)
    request.session.clear()
    request.session["user_id"] = user.id
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    """End the session."""
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/settings/tokens", response_class=HTMLResponse)
def tokens(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """The workspace's API tokens."""
    ctx: dict[str, object] = {
        "tokens": service.list_tokens(db, user.workspace_id),
        "new_token": None,
        "errors": {},
        "nav": "settings",
    }
    return render(request, "workspaces/tokens.html", ctx)


@router.post("/settings/tokens", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def create_token(request: Request, user: PageWriter, db: DB, name: Annotated[str, Form()] = "") -> HTMLResponse:
    """Create a token and show it once."""
    new_token, errors = None, {}
    try:
        _, new_token = service.create_token(db, user, name)
    except InvalidInput as exc:
        errors = exc.errors
    ctx = {"tokens": service.list_tokens(db, user.workspace_id), "new_token": new_token, "errors": errors}
    return render(request, "workspaces/tokens.html", {**ctx, "nav": "settings"}, status=400 if errors else 200)


@router.post("/settings/tokens/{token_id}/revoke", dependencies=[Depends(verify_csrf)])
def revoke_token(token_id: int, user: PageWriter, db: DB) -> Response:
    """Revoke a token."""
    service.revoke_token(db, user.workspace_id, token_id)
    return RedirectResponse("/settings/tokens", status_code=303)


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
) -> Response:
    """Save the profile, or show the form again with what is wrong."""
    try:
        service.update_brand_profile(db, user.workspace_id, niche=niche, values=values, tone=tone, banned=banned or [])
    except InvalidInput as exc:
        form: dict[str, object] = {"niche": niche, "values": values, "tone": tone, "banned": banned or []}
        return render(request, "workspaces/brand.html", _brand_context(db, user, exc.errors, form), status=400)
    return RedirectResponse("/settings/brand?saved=1", status_code=303)
