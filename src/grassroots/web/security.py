"""Response headers every page and API answer carries: a Content-Security-Policy, nosniff, no framing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

# Scripts and styles are served from this origin only (HTMX, Plotly and our CSS are shipped in the package).
# 'unsafe-inline' for styles: Plotly sets inline styles on the charts it draws.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def install(app: FastAPI) -> None:
    """Add the security headers to every response of ``app``."""

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        # Swagger UI at /api/docs loads its assets from a CDN today; it keeps FastAPI's own headers.
        if request.url.path == "/api/docs":
            return response
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
