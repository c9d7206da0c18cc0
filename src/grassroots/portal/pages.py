"""Rendering portal pages: the portal layout's context, and a friendly page instead of any error.

The portal has no session: pages render without touching the session cookie, and a forged, expired or revoked
link gets the same plain "not valid" page (404) with nothing about the collaboration on it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from grassroots.errors import GrassrootsError
from grassroots.portal import guard
from grassroots.portal.links import LinkInvalid
from grassroots.portal.service import Portal
from grassroots.web.templating import templates

log = logging.getLogger("grassroots.portal")
P = ParamSpec("P")
# Each portal action lands back on its page with one of these lines (no session, so no flash messages).
SAVED = {
    "accepted": "Thank you! You accepted the offer: the brand has been told.",
    "declined": "You declined the offer: the brand has been told. Thank you for letting them know.",
    "signed": "Signed. Thank you! A copy is below to download.",
    "address": "Your address is saved.",
    "payout": "Your payout details are saved.",
}


def render(request: Request, name: str, portal: Portal, token: str, nav: str, status: int = 200,
           **context: Any) -> HTMLResponse:  # fmt: skip
    """A portal page in the portal layout."""
    settings = request.app.state.settings
    saved = request.query_params.get("saved", "")
    ctx = {"portal_token": token, "portal_nav": nav, "brand_name": portal.ctx.brand, "p": portal.ctx,
           "form_field": guard.FIELD, "form_token": guard.form_token(settings, token), "saved": SAVED.get(saved),
           **context}  # fmt: skip
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    """The portal's error page: no navigation, nothing about any collaboration."""
    ctx = {"portal_token": None, "brand_name": None, "title": title, "detail": detail}
    return templates.TemplateResponse(request, "portal/error.html", ctx, status_code=status)


def portal_page(route: Callable[P, Response]) -> Callable[P, Response]:
    """Wrap a portal route: an invalid link or a refused action becomes the portal's own error page."""

    @functools.wraps(route)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return route(*args, **kwargs)
        except LinkInvalid:
            request = kwargs["request"]  # every portal route takes the request by that name
            assert isinstance(request, Request)
            return error_page(request, 404, "This link is not valid",
                              "It may have expired or been replaced. Ask the brand for a new link.")  # fmt: skip
        except GrassrootsError as exc:
            request = kwargs["request"]
            assert isinstance(request, Request)
            session = kwargs.get("db")
            if isinstance(session, Session):
                session.rollback()  # a refused action leaves nothing half-written
            log.info("portal action refused: %s", exc.detail)  # the path holds the token: not logged
            return error_page(request, exc.status, exc.title, exc.detail)

    return wrapper
