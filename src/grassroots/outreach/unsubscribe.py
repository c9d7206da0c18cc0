"""The opt-out link of every message: ``/o/unsubscribe/{token}`` (no account needed; the signed token is the key).

GET shows a confirmation button (link scanners fetch GETs, so a GET alone never unsubscribes); POST records the
opt-out, and is also what mail providers send for RFC 8058 one-click (``List-Unsubscribe=One-Click``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from grassroots.outreach import mail
from grassroots.web.deps import DB
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/o/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: str) -> HTMLResponse:
    """Ask to confirm (the token is checked first: a forged link is a 404)."""
    _, email = mail.read_unsubscribe_token(request.app.state.settings, token)
    return render(request, "outreach/unsubscribe.html", {"email": email, "token": token, "done": False})


@router.post("/o/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_submit(request: Request, token: str, db: DB) -> HTMLResponse:
    """Record the opt-out and confirm it."""
    form = await request.form()
    how = "one-click" if form.get("List-Unsubscribe") == "One-Click" else "link"
    email = mail.unsubscribe(db, request.app.state.settings, token, how)
    return render(request, "outreach/unsubscribe.html", {"email": email, "token": token, "done": True})
