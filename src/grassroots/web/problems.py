"""One place that turns errors into problem+json (API) or an error page (people)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from grassroots.errors import GrassrootsError, ImportRejected, InvalidInput
from grassroots.web.deps import LoginRequired
from grassroots.web.templating import render

log = logging.getLogger("grassroots.web")
PROBLEM = "application/problem+json"


class ProblemError(BaseModel):
    """One bad field or line of a request."""

    field: str | None = None
    line: int | None = None
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem: what every 4xx and 5xx of the API answers, as ``application/problem+json``."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = None


def _described(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {"description": description, "content": {PROBLEM: {"schema": schema}}, "model": Problem}


# The answers every /api/v1 route can give besides its success, documented in the OpenAPI schema.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _described("A value the database cannot hold, or a malformed cursor"),
    401: _described("Missing, invalid, expired or revoked bearer token"),
    403: _described("Your role cannot change data, or a cookie request without its CSRF token"),
    404: _described("Not found in this workspace"),
    409: _described("Clashes with something stored (the same id or handle)"),
    422: _described("Invalid input: `errors` names each field"),
}


def _is_api(request: Request) -> bool:
    """Programs (the API and the webhooks) get problem+json; people get a page."""
    return request.url.path.startswith(("/api/", "/webhooks/"))


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    return render(request, "error.html", {"title": title, "detail": detail}, status=status)


async def on_domain_error(request: Request, exc: Exception) -> Response:
    """Map a GrassrootsError to a response."""
    assert isinstance(exc, GrassrootsError)
    if isinstance(exc, LoginRequired) and not _is_api(request):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    if _is_api(request):
        extra: dict[str, Any] = {}
        if isinstance(exc, InvalidInput) and exc.errors:
            extra["errors"] = [{"field": k, "message": v} for k, v in exc.errors.items()]
        if isinstance(exc, ImportRejected):
            extra["errors"] = [{"line": r.line, "message": r.reason} for r in exc.rows]
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        response = problem(exc.status, exc.title, exc.detail, **extra)
        if headers:
            response.headers.update(headers)
        return response
    return _page(request, exc.status, exc.title, exc.detail)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    """Request validation failures: 422 with each field's message."""
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]} for e in exc.errors()]
    if _is_api(request):
        return problem(422, "Invalid input", "The request did not pass validation.", errors=errors)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return _page(request, 400, "Invalid input", detail)


async def on_http_error(request: Request, exc: Exception) -> Response:
    """404s, 405s and friends."""
    assert isinstance(exc, StarletteHTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Error")
    detail = exc.detail if isinstance(exc.detail, str) else title
    if _is_api(request):
        return problem(exc.status_code, title, detail)
    return _page(request, exc.status_code, title, "We couldn't find that page." if exc.status_code == 404 else detail)


async def on_store_conflict(request: Request, exc: Exception) -> Response:
    """A write that clashes with a unique key (an external id that exists already): 409, not a 500."""
    log.info("conflict on %s %s: %s", request.method, request.url.path, exc)
    detail = "That clashes with something stored already (the same id or handle)."
    return problem(409, "Conflict", detail) if _is_api(request) else _page(request, 409, "Conflict", detail)


async def on_out_of_range(request: Request, exc: Exception) -> Response:
    """A number too large for the database (SQLite's OverflowError, PostgreSQL's DataError): 400."""
    log.info("value out of range on %s %s: %s", request.method, request.url.path, exc)
    detail = "A number in the request is out of range."
    return problem(400, "Invalid input", detail) if _is_api(request) else _page(request, 400, "Invalid input", detail)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    """Anything else: log the traceback, show no internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    detail = "Something went wrong on our side; it has been logged."
    if _is_api(request):
        return problem(500, "Internal error", detail)
    return _page(request, 500, "Internal error", detail)


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""
    app.add_exception_handler(GrassrootsError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(IntegrityError, on_store_conflict)
    app.add_exception_handler(DataError, on_out_of_range)
    app.add_exception_handler(OverflowError, on_out_of_range)
    app.add_exception_handler(Exception, on_unexpected)
