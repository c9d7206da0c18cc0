"""Response headers every page and API answer carries (a Content-Security-Policy, nosniff, no framing), and
the request body limits."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


# The largest body each kind of request may send, by path prefix (longest first); refused with 413 before
# it is read. Webhooks have their own, configurable limit (GRASSROOTS_WEBHOOK_MAX_BYTES).
BODY_LIMITS = (
    ("/api/v1/orders/import", 512 * 1024 * 1024),  # a shop's whole orders export
    ("/creators/import", 50 * 1024 * 1024 + 64 * 1024),  # the importer's 50 MB, plus the form's envelope
    ("/webhooks/", None),
    ("/", 1024 * 1024),  # forms and JSON
)


def body_limit(path: str) -> int | None:
    """The largest body a request to ``path`` may send (None: the route checks its own)."""
    return next(limit for prefix, limit in BODY_LIMITS if path.startswith(prefix))


class BodyLimit:
    """ASGI middleware: a declared Content-Length over the limit is refused at once; a chunked body is cut
    off as soon as it passes the limit (the route then sees a disconnect)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = body_limit(scope["path"]) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            detail = f"the body is larger than {limit:,} bytes"
            body = json.dumps({"type": "about:blank", "title": "Payload too large", "status": 413, "detail": detail})
            await send({"type": "http.response.start", "status": 413,
                        "headers": [(b"content-type", b"application/problem+json")]})  # fmt: skip
            await send({"type": "http.response.body", "body": body.encode()})
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            return {"type": "http.disconnect"} if seen > limit else message

        await self.app(scope, counted, send)


def install(app: FastAPI) -> None:
    """Add the security headers to every response of ``app``, and the body limits."""
    app.add_middleware(BodyLimit)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
