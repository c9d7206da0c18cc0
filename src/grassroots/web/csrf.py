"""CSRF protection: a per-session token that every POST form (and every cookie-authenticated API write) echoes."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import Request

from grassroots.errors import GrassrootsError

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}


class CsrfFailed(GrassrootsError):
    """The form's token is missing or does not match the session's."""

    status = 403
    title = "Form expired"


class CrossSiteRequest(GrassrootsError):
    """A cookie-authenticated API write without the CSRF token, or sent from another site."""

    status = 403
    title = "Forbidden"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return str(token)


def _matches(sent: str, expected: object) -> bool:
    # Bytes: compare_digest refuses str with non-ASCII characters (a crafted field would be a 500).
    return bool(expected) and secrets.compare_digest(sent.encode(), str(expected).encode())


async def verify_csrf(request: Request) -> None:
    """Dependency for POST forms: reject when the token does not match."""
    form = await request.form()
    sent = form.get(FIELD) or request.headers.get(HEADER) or ""
    expected = request.session.get(SESSION_KEY) or ""
    if not isinstance(sent, str) or not _matches(sent, expected):
        raise CsrfFailed("The form expired or came from another site. Reload the page and try again.")


def _host(netloc: str, scheme: str = "") -> str:
    """``netloc`` lowercased, without a default port (``example.com:443`` -> ``example.com``)."""
    host = netloc.strip().lower()
    ports = [_DEFAULT_PORTS[scheme]] if scheme in _DEFAULT_PORTS else list(_DEFAULT_PORTS.values())
    for port in ports:
        host = host.removesuffix(f":{port}")
    return host


def same_origin(request: Request) -> bool:
    """False when the Origin (else the Referer) header names another site than the one the request was sent to.

    Compared with the Host header, not the scheme: behind a TLS-terminating proxy the app sees http.
    """
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    parts = urlsplit(source)
    own = request.headers.get("host") or request.url.netloc
    return bool(parts.scheme in _DEFAULT_PORTS and parts.netloc) and _host(parts.netloc, parts.scheme) == _host(own)


def verify_api_cookie_request(request: Request) -> None:
    """For API calls signed in by the session cookie: writes need the CSRF header and this site's Origin."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER) or ""
    expected = request.session.get(SESSION_KEY) or ""
    if not _matches(sent, expected):
        raise CrossSiteRequest(
            "A signed-in browser must send the page's CSRF token in the X-CSRF-Token header; "
            "programs should use 'Authorization: Bearer <token>'."
        )
    if not same_origin(request):
        raise CrossSiteRequest("The request came from another site (Origin or Referer does not match).")
