"""Sections that later work fills: they say what is coming instead of showing an empty page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from grassroots.web.deps import PageUser
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)

SECTIONS = {
    "insights": (
        "Insights",
        "What worked: cost per outcome by tier, reorders, comment sentiment and purchase intent, UGC.",
    ),
}

LINKS = {
    "insights": [
        ("/insights/shared", "Figures creators shared from their own accounts (audience, reach, saves)"),
        ("/tracking/attribution", "Sales and orders per creator by every attribution method, with ROI"),
        ("/ugc", "The UGC library: approved content and its usage rights"),
    ],
}


@router.get("/insights", response_class=HTMLResponse)
def section(request: Request, user: PageUser) -> HTMLResponse:
    """A section that is not built yet, with what it will hold."""
    key = request.url.path.strip("/")
    title, text = SECTIONS[key]
    links = LINKS.get(key, [])
    return render(request, "placeholder.html", {"title": title, "text": text, "nav": key, "links": links})
