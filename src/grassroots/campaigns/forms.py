"""Web forms of the campaign pages: read posted fields into service inputs, and back into boxes to re-render.

No database here: pages parse with these helpers, call a service and render.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request

from grassroots.campaigns.models import Campaign, CampaignGoal, CampaignKind, Compensation, KpiMetric, Stage

Fields = dict[str, list[str]]
KPI_ROWS = 4  # empty KPI rows the form offers (a campaign rarely tracks more than three numbers)
_SPLIT = re.compile(r"[\s,;]+")
SETTINGS = ("commission_hold_days", "follow_up_days", "ask_cap", "name", "kind", "goal")
NUMBER_FIELDS = ("budget", "fee", "commission_pct", "gift_value", "amount")


async def posted_fields(request: Request) -> Fields:
    """Every posted field (repeated ones as lists), without the CSRF token; the form is parsed once per request."""
    form = await request.form()
    return {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form if k != "csrf_token"}


Posted = Annotated[Fields, Depends(posted_fields)]


def one(fields: Fields, name: str) -> str:
    """A single field's value, stripped ('' when absent)."""
    values = fields.get(name) or [""]
    return values[0].strip()


def number(text: str | None) -> str | None:
    # "1,250.00" and "1 250" are how people type amounts; the schema decides whether the rest is a number.
    cleaned = (text or "").replace(",", "").replace(" ", "").replace("\u00a0", "")
    return cleaned or None


def words(text: str) -> list[str]:
    """'@a, @b c' -> ['@a', '@b', 'c']."""
    return [w for w in _SPLIT.split(text) if w]


def campaign_values(fields: Fields) -> dict[str, Any]:
    """The campaign form as CampaignIn takes it: a blank box clears its value, a missing field keeps it."""
    values: dict[str, Any] = {
        n: one(fields, n) or None for n in ("name", "kind", "goal", "starts_on", "ends_on", "brief")
    }
    values |= {n: number(one(fields, n)) for n in ("budget", "fee", "commission_pct", "gift_value")}
    values["currency"] = one(fields, "currency") or "EUR"
    values["compensation"] = one(fields, "compensation") or Compensation.gift.value
    values["products"] = [p.strip() for p in one(fields, "products").splitlines() if p.strip()]
    for name in ("handles", "hashtags", "promo_codes"):
        values[name] = words(one(fields, name))
    for name in ("commission_hold_days", "follow_up_days", "ask_cap"):
        values[name] = one(fields, name) or None
    metrics, targets = fields.get("kpi_metric", []), fields.get("kpi_target", [])
    values["kpis"] = [
        {"metric": m.strip(), "target": number(t.strip()) or ""}
        for m, t in zip(metrics, targets, strict=False)
        if m.strip() or t.strip()
    ]
    present = {k for k in values if k in fields} | ({"kpis"} if "kpi_metric" in fields else set())
    # The settings have defaults: a blank one means "the default", not "none".
    return {k: v for k, v in values.items() if k in present and not (v is None and k in SETTINGS)}


def campaign_boxes(values: dict[str, Any]) -> dict[str, Any]:
    """What the form's boxes show for stored (or default) campaign values."""
    boxes: dict[str, Any] = {
        k: "" if v is None else str(getattr(v, "value", v)) for k, v in values.items() if not isinstance(v, list)
    }
    boxes["products"] = "\n".join(values.get("products") or [])
    for name, prefix in (("handles", "@"), ("hashtags", "#"), ("promo_codes", "")):
        boxes[name] = ", ".join(prefix + v for v in values.get(name) or [])
    boxes["kpis"] = _kpi_rows([(str(k["metric"]), str(k["target"])) for k in values.get("kpis") or []])
    return boxes


def posted_boxes(fields: Fields) -> dict[str, Any]:
    """The posted form as typed, to re-render it with messages."""
    boxes: dict[str, Any] = {k: v[0] if v else "" for k, v in fields.items()}
    rows = list(zip(fields.get("kpi_metric", []), fields.get("kpi_target", []), strict=False))
    boxes["kpis"] = _kpi_rows([(m, t) for m, t in rows if m or t])
    return boxes


def _kpi_rows(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return rows + [("", "")] * max(1, KPI_ROWS - len(rows))


def new_campaign_boxes() -> dict[str, Any]:
    """The empty form: a seeding campaign in euros, gifts only, the default settings."""
    defaults = {c.name: c.default.arg for c in Campaign.__table__.columns if c.default is not None}
    boxes = campaign_boxes({"kind": CampaignKind.seeding, "goal": CampaignGoal.awareness, "currency": "EUR"})
    for name in ("commission_hold_days", "follow_up_days", "ask_cap"):
        boxes[name] = str(defaults[name])
    return boxes


CHOICES = {
    "kinds": list(CampaignKind),
    "goals": list(CampaignGoal),
    "compensations": list(Compensation),
    "metrics": list(KpiMetric),
}


def ids(fields: Fields, name: str) -> list[int]:
    """Positive integer ids of a repeated field; bad values are dropped (the service checks the rest)."""
    return [int(v) for v in fields.get(name, []) if v.strip().isdigit() and 0 < int(v) < 2**63]


def stage(fields: Fields) -> Stage | None:
    """The chosen stage, or None when missing or unknown."""
    try:
        return Stage(one(fields, "stage"))
    except ValueError:
        return None


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go back to (an open redirect would be a phishing aid), else ``default``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return default
    return target


FLASH = "campaign_flash"


def flash(request: Request, message: str) -> None:
    """A message for the next page this browser sees (after a redirect)."""
    request.session[FLASH] = message


def take_flash(request: Request) -> str | None:
    """The pending message, once."""
    message = request.session.pop(FLASH, None)
    return str(message) if message else None
