"""Connections page with its Sync button, the connections API, and the Instagram webhook endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from grassroots.connectors import connect_form, instagram_webhook, service
from grassroots.connectors.webhooks import BadSignature
from grassroots.errors import InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, ApiUser, ApiWriter, PageUser, PageWriter
from grassroots.web.problems import problem
from grassroots.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["connections"])
webhooks = APIRouter(prefix="/webhooks", include_in_schema=False)


@pages.get("/connections", response_class=HTMLResponse)
def connections_page(request: Request, user: PageUser, db: DB, run: int | None = None) -> HTMLResponse:
    """Connected providers, their last sync, and the result of a sync just run."""
    ctx = {
        "views": service.overview(db, user.workspace_id),
        "run": service.get_run(db, user.workspace_id, run) if run else None,
        "nav": "connections",
    }
    return render(request, "connectors/list.html", ctx)


@pages.get("/connections/new", response_class=HTMLResponse)
def connect_page(request: Request, user: PageWriter, provider: str = "instagram") -> HTMLResponse:
    """The form to connect a platform or shop (secrets go in password fields and are stored encrypted)."""
    spec = connect_form.form_spec(provider)
    ctx = {"spec": spec, "providers": connect_form.providers(), "values": {}, "errors": {}, "nav": "connections"}
    return render(request, "connectors/new.html", ctx)


@pages.post("/connections/new", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def connect_submit(request: Request, user: PageWriter, db: DB) -> Response:
    """Store the connection, or show the form again with what is missing (secrets are never echoed back)."""
    form = dict(await request.form())
    spec = connect_form.form_spec(str(form.get("provider") or ""))
    secrets, settings = connect_form.split_form(spec, form)
    try:
        connection = service.connect(db, user.workspace_id, spec.provider, secrets, settings,
                                     label=str(form.get("label") or "") or None, settings=request.app.state.settings)  # fmt: skip
    except InvalidInput as exc:
        values = {"label": form.get("label", ""), **settings}
        ctx = {"spec": spec, "providers": connect_form.providers(), "values": values, "errors": exc.errors,
               "message": str(exc), "nav": "connections"}  # fmt: skip
        return render(request, "connectors/new.html", ctx, status=400)
    return RedirectResponse(f"/connections?connected={connection.id}", status_code=303)


@pages.post("/connections/{connection_id}/sync", dependencies=[Depends(verify_csrf)])
def sync_button(request: Request, connection_id: int, user: PageWriter, db: DB) -> Response:
    """Run the connection's sync now, then show how it went."""
    connection = service.require_connection(db, user.workspace_id, connection_id)
    result = service.sync_connection(db, connection, settings=request.app.state.settings)
    return RedirectResponse(f"/connections?run={result.run_id}", status_code=303)


@api.get("/connections")
def list_connections(user: ApiUser, db: DB) -> list[dict[str, Any]]:
    """The workspace's connections (never their secrets)."""
    return [view.connection for view in service.overview(db, user.workspace_id)]


@api.post("/connections/{connection_id}/sync")
def sync_connection(request: Request, connection_id: int, user: ApiWriter, db: DB) -> dict[str, Any]:
    """Sync one connection and return the run's counts and reasons."""
    connection = service.require_connection(db, user.workspace_id, connection_id)
    result = service.sync_connection(db, connection, settings=request.app.state.settings)
    summary = result.summary
    return {
        "run_id": result.run_id,
        "status": result.status.value,
        "fetched": summary.fetched,
        "new": summary.new,
        "updated": summary.updated,
        "skipped": [{"item": s.item, "reason": s.reason} for s in service.summary_skips(result)],
    }


@webhooks.get("/instagram")
def instagram_verify(
    request: Request,
    db: DB,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> Response:
    """Meta's subscription check: echo the challenge when the verify token matches."""
    echo = instagram_webhook.verify_subscription(db, request.app.state.settings, mode, token, challenge)
    return PlainTextResponse(echo)


@webhooks.post("/instagram")
async def instagram_delivery(request: Request, db: DB) -> Response:
    """A signed delivery: 401 unless the signature matches; each change is handled once."""
    raw = await request.body()
    try:
        instagram_webhook.check_signature(
            db, request.app.state.settings, raw, request.headers.get(instagram_webhook.SIGNATURE_HEADER)
        )
    except BadSignature as exc:
        return problem(exc.status, exc.title, exc.detail)
    result = instagram_webhook.handle_delivery(db, raw)
    return PlainTextResponse(f"accepted {result.accepted}, duplicates {result.duplicates}")
