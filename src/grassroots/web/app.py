"""App factory: one FastAPI process serves people (pages) and programs (/api/v1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
import plotly
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from grassroots import __version__
from grassroots.agreements import routes as agreements_routes
from grassroots.approvals import api as approvals_api
from grassroots.approvals import routes as approvals_routes
from grassroots.campaigns import api as campaigns_api
from grassroots.campaigns import routes as campaigns_routes
from grassroots.comments import api as comments_api
from grassroots.comments import routes as comments_routes
from grassroots.config import Settings, get_settings
from grassroots.connectors import api as connectors_api
from grassroots.connectors import routes as connectors_routes
from grassroots.connectors.inbox import Inbox
from grassroots.connectors.instagram import webhook as instagram_webhook
from grassroots.connectors.orders_webhook import pending_ids, process_batch
from grassroots.connectors.shopify import webhook as shopify_webhook
from grassroots.connectors.woocommerce import webhook as woocommerce_webhook
from grassroots.creators import api as creators_api
from grassroots.creators import routes as creators_routes
from grassroots.db.session import get_engine, session_scope
from grassroots.discovery import api as discovery_api
from grassroots.discovery import routes as discovery_routes
from grassroots.gifting import api as gifting_api
from grassroots.gifting import routes as gifting_routes
from grassroots.insights import routes as insights_routes
from grassroots.jobs import api as jobs_api
from grassroots.jobs import routes as jobs_routes
from grassroots.jobs.runner import Runner
from grassroots.mentions import routes as mentions_routes
from grassroots.outreach import api as outreach_api
from grassroots.outreach import routes as outreach_routes
from grassroots.outreach import service as outreach_service
from grassroots.outreach import unsubscribe as outreach_unsubscribe
from grassroots.portal import routes as portal_routes
from grassroots.tracking import api as tracking_api
from grassroots.tracking import attribution_api as tracking_attribution_api
from grassroots.tracking import attribution_routes as tracking_attribution_routes
from grassroots.tracking import link_routes as tracking_link_routes
from grassroots.tracking import redirector as link_redirector
from grassroots.tracking import routes as tracking_routes
from grassroots.vetting import api as vetting_api
from grassroots.vetting import routes as vetting_routes
from grassroots.web import placeholders, problems, security
from grassroots.web.templating import render
from grassroots.workspaces import routes as workspaces_routes

PAGES = (workspaces_routes, creators_routes, discovery_routes, vetting_routes, comments_routes, campaigns_routes,
         connectors_routes, jobs_routes, outreach_routes, outreach_unsubscribe, portal_routes, agreements_routes,
         approvals_routes, mentions_routes, gifting_routes, insights_routes, tracking_routes, tracking_link_routes,
         tracking_attribution_routes, placeholders)  # fmt: skip
API = (creators_api, discovery_api, campaigns_api, vetting_api, comments_api, connectors_api, tracking_api,
       tracking_attribution_api, jobs_api, outreach_api, approvals_api, gifting_api)  # fmt: skip
WEBHOOKS = (instagram_webhook, shopify_webhook, woocommerce_webhook)
STATIC = Path(__file__).parent / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SWAGGER_UI = Path(fastapi_offline.__file__).parent / "static"  # Swagger UI 5 (reads OpenAPI 3.1)


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app for an engine (default: the configured database)."""
    settings = settings or get_settings()
    engine = engine or get_engine()
    inbox = Inbox(engine, process_batch, pending_ids)
    runner = Runner(
        engine, settings, lease_seconds=settings.jobs_lease_seconds, poll_seconds=settings.jobs_poll_seconds
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        inbox.start()  # processes stored webhook deliveries in batches, and retries what is left behind
        click_flusher = link_redirector.start(engine, settings)  # the click log into the database, in batches
        if settings.jobs_in_server:
            runner.start()  # the embedded job runner: mail, follow-ups, syncs (docs/outreach.md)
        if settings.imap_host:  # replies are read from the mailbox: make sure a poll is queued
            with session_scope(engine) as session:
                outreach_service.ensure_polling(session, settings)
        yield
        click_flusher.stop()
        runner.stop()
        inbox.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="grassroots",
        version=__version__,
        description="Find, vet and work with small creators. JSON API; authenticate with a bearer token.",
        docs_url=None,  # served below from the package's own copy of Swagger UI (no CDN)
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.engine = engine
    app.state.webhook_inbox = inbox
    app.state.job_runner = runner
    app.state.settings = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.ensure_secret_key(),
        session_cookie="grassroots_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    problems.install(app)
    security.install(app)
    # /r/{slug} answered before routing and the other middleware: a redirect must not wait (docs/attribution.md)
    app.add_middleware(link_redirector.FastPath, engine=engine, settings=settings)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/static-vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    app.mount("/static-vendor/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        return render(request, "api_docs.html", {"title": "API"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        return RedirectResponse("/creators", status_code=303)

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:  # on the event loop: answers even when every worker thread is busy
        return {"status": "ok", "version": __version__}

    for module in (*PAGES, *API, *WEBHOOKS):
        app.include_router(module.router)
    return app
