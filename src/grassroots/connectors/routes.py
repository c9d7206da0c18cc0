"""The Connections page: connected platforms and shops, the Connect form and the Sync button."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from grassroots.connectors import connect_form, registry, service
from grassroots.errors import InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/connections", response_class=HTMLResponse)
def connections_page(request: Request, user: PageUser, db: DB, run: int | None = None) -> HTMLResponse:
    """Connected providers, their last sync, and the result of a sync just run."""
    ctx = {
        "views": service.overview(db, user.workspace_id),
        "run": service.get_run(db, user.workspace_id, run) if run else None,
        "nav": "connections",
    }
    return render(request, "connectors/list.html", ctx)


@router.get("/connections/new", response_class=HTMLResponse)
def connect_page(request: Request, user: PageWriter, provider: str = "instagram") -> HTMLResponse:
    """The form to connect a platform or shop (secrets go in password fields and are stored encrypted)."""
    spec = connect_form.form_spec(provider)
    ctx = {"spec": spec, "providers": registry.providers(), "values": {}, "errors": {}, "nav": "connections"}
    return render(request, "connectors/new.html", ctx)


@router.post("/connections/new", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def connect_submit(request: Request, user: PageWriter, db: DB) -> Response:
    """Store the connection, or show the form again with what is missing (secrets are never echoed back)."""
    form = dict(await request.form())
    spec = connect_form.form_spec(str(form.get("provider") or ""))
    secrets, settings = connect_form.split_form(spec, form)
    try:
        connection = await run_in_threadpool(
            partial(service.connect, label=str(form.get("label") or "") or None, settings=request.app.state.settings),
            db, user.workspace_id, spec.provider, secrets, settings,
        )  # fmt: skip
    except InvalidInput as exc:
        values = {"label": form.get("label", ""), **settings}
        ctx = {"spec": spec, "providers": registry.providers(), "values": values, "errors": exc.errors,
               "message": str(exc), "nav": "connections"}  # fmt: skip
        return render(request, "connectors/new.html", ctx, status=400)
    return RedirectResponse(f"/connections?connected={connection.id}", status_code=303)


@router.post("/connections/{connection_id}/sync", dependencies=[Depends(verify_csrf)])
def sync_button(request: Request, connection_id: Id, user: PageWriter, db: DB) -> Response:
    """Run the connection's sync now, then show how it went."""
    connection = service.require_connection(db, user.workspace_id, connection_id)
    result = service.sync_connection(db, connection, settings=request.app.state.settings)
    return RedirectResponse(f"/connections?run={result.run_id}", status_code=303)
