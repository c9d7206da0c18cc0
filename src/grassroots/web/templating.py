"""Jinja2 environment with the number formats people read."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from grassroots.creators.schemas import http_url
from grassroots.creators.tiers import describe_tiers, tier_for
from grassroots.web.csrf import csrf_token

POST_REF = re.compile(r"\bpost (\d+)\b")


def evidence(text: object, links: dict[int, str] | None) -> Markup:
    """An evidence line with each "post 152" it names turned into a link to that post (only posts in ``links``,
    which the page fills with the creator's own posts); everything else is escaped."""
    escaped = str(Markup.escape(text))
    links = links or {}

    def link(match: re.Match[str]) -> str:
        url = links.get(int(match.group(1)))
        if url is None:
            return match.group(0)
        return f'<a href="{Markup.escape(url)}" rel="noopener noreferrer">{match.group(0)}</a>'

    return Markup(POST_REF.sub(link, escaped))


templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def compact(value: int | float | None) -> str:
    """12,345 -> '12.3k'; 1,234,567 -> '1.2M'."""
    if value is None:
        return "–"
    n = float(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return f"{n / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{int(n):,}"


NAMES = {"tiktok": "TikTok", "youtube": "YouTube", "woocommerce": "WooCommerce"}


def platform_label(value: object) -> str:
    """'tiktok' -> 'TikTok': a platform's or shop's name as its owner spells it."""
    key = str(getattr(value, "value", value))
    return NAMES.get(key, key.capitalize())


PROFILE_URLS = {
    "instagram": "https://www.instagram.com/{}/",
    "tiktok": "https://www.tiktok.com/@{}",
    "youtube": "https://www.youtube.com/@{}",
}


def account_url(account: Any) -> str | None:
    """Where a social account lives on its platform: its stored link when http(s), else the platform's pattern."""
    stored = http_url(getattr(account, "url", None))
    if stored:
        return stored
    pattern = PROFILE_URLS.get(str(getattr(account.platform, "value", account.platform)))
    return pattern.format(account.handle) if pattern else None


def initials(name: str | None) -> str:
    """'Ana Glow' -> 'AG': the avatar shown when there is no picture."""
    words = [w for w in (name or "").replace("@", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def money(amount: object, currency: str) -> str:
    """1250, 'EUR' -> '€1,250.00'; an unknown currency keeps its ISO code ('1,250.00 CHF')."""
    if amount is None:
        return "–"
    figure = f"{float(str(amount)):,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{figure}" if symbol else f"{figure} {currency}"


def percent(value: float | None, digits: int = 1) -> str:
    """0.0734 -> '7.3 %'."""
    return "–" if value is None else f"{value * 100:.{digits}f} %"


def script_json(value: Any) -> Markup:
    """``value`` as JSON safe inside ``<script type="application/json">`` (no ``</script>`` can close it)."""
    return Markup(json.dumps(value).replace("</", "<\\/"))


templates.env.filters["compact"] = compact
templates.env.filters["percent"] = percent
templates.env.filters["thousands"] = lambda v: "–" if v is None else f"{v:,}"
templates.env.filters["platform"] = platform_label
templates.env.filters["http_url"] = http_url  # a stored link is shown only when it is http(s)
templates.env.filters["account_url"] = account_url
templates.env.filters["initials"] = initials
templates.env.filters["money"] = money
templates.env.filters["script_json"] = script_json
templates.env.filters["evidence"] = evidence
templates.env.globals["tier_for"] = tier_for
templates.env.globals["describe_tiers"] = describe_tiers


def render(request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    """Render a page with the signed-in user and the CSRF token available."""
    ctx = {"user": getattr(request.state, "user", None), "csrf_token": csrf_token(request)}
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def render_fragment(
    request: Request, name: str, context: dict[str, Any], *, title: str, back_url: str | None = None
) -> HTMLResponse:
    """A panel the page loads with HTMX; opened by its own URL it comes inside the page layout, styled."""
    if request.headers.get("hx-request") == "true":
        return render(request, name, context)
    page = {**context, "fragment": name, "fragment_title": title, "back_url": back_url}
    return render(request, "fragment_page.html", page)
