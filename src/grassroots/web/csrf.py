"""CSRF protection for forms: a per-session token that every POST form must echo back."""

from __future__ import annotations

import secrets

from fastapi import Request

from grassroots.errors import GrassrootsError

SESSION_KEY = "csrf"
FIELD = "csrf_token"


class CsrfFailed(GrassrootsError):
    """The form's token is missing or does not match the session's."""

    status = 403
    title = "Form expired"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return str(token)


async def verify_csrf(request: Request) -> None:
    """Dependency for POST forms: reject when the token does not match."""
    form = await request.form()
    sent = form.get(FIELD) or request.headers.get("x-csrf-token") or ""
    expected = request.session.get(SESSION_KEY) or ""
    if not isinstance(sent, str) or not expected or not secrets.compare_digest(sent, expected):
        raise CsrfFailed("The form expired or came from another site. Reload the page and try again.")
