"""App factory: one FastAPI process serves people (pages) and programs (/api/v1)."""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from grassroots import __version__
from grassroots.config import Settings, get_settings
from grassroots.connectors import commerce_routes
from grassroots.connectors import routes as connectors_routes
from grassroots.creators import api as creators_api
from grassroots.creators import routes as creators_pages
from grassroots.credibility import routes as credibility_routes
from grassroots.db.session import get_engine
from grassroots.language import routes as language_routes
from grassroots.web import placeholders, problems
from grassroots.workspaces import routes as workspace_pages

STATIC = Path(__file__).parent / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app for an engine (default: the configured database)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="grassroots",
        version=__version__,
        description="Find, vet and work with small creators. JSON API; authenticate with a bearer token.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.engine = engine or get_engine()
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
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/static-vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        return RedirectResponse("/creators", status_code=303)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(workspace_pages.router)
    app.include_router(creators_pages.router)
    app.include_router(placeholders.router)
    app.include_router(credibility_routes.pages)
    app.include_router(creators_api.router)
    app.include_router(credibility_routes.api)
    app.include_router(language_routes.pages)
    app.include_router(language_routes.api)
    app.include_router(connectors_routes.pages)
    app.include_router(connectors_routes.api)
    app.include_router(connectors_routes.webhooks)
    app.include_router(commerce_routes.router)
    return app
