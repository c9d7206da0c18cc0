"""Pipeline pages: the board (filters, drag and drop, keyboard and bulk moves) and one collaboration's page."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import ValidationError

from grassroots.campaigns import forms, pipeline, service
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.forms import Posted
from grassroots.campaigns.models import Compensation, EntryKind, EntryStatus, Stage
from grassroots.campaigns.payments import today
from grassroots.campaigns.repository import BoardFilters
from grassroots.campaigns.schemas import TermsIn, field_errors
from grassroots.creators.tiers import Tier, describe_tiers
from grassroots.errors import InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
STAGES = list(Stage)


@cache
def stage_options() -> dict[Stage, Markup]:
    """Per stage, the <option>s of a card's stage box with that stage selected (built once, not per card)."""

    def options(chosen: Stage) -> Markup:
        return Markup("").join(
            Markup('<option value="{}"{}>{}</option>').format(s.value, Markup(" selected") if s is chosen else "",
                                                               escape(s.label))
            for s in STAGES
        )  # fmt: skip

    return {stage: options(stage) for stage in STAGES}


def board_filters(stage: str, tier: str, q: str) -> tuple[BoardFilters, dict[str, str]]:
    """The board's filters from the query string; unknown values are ignored."""
    filters = BoardFilters(q=q.strip()[:100] or None)
    if stage in {s.value for s in Stage}:
        filters.stage = Stage(stage)
    if tier in {t.value for t in Tier}:
        filters.tier = Tier(tier)
    kept = {"stage": filters.stage.value if filters.stage else "", "tier": filters.tier.value if filters.tier else ""}
    kept["q"] = filters.q or ""
    return filters, {k: v for k, v in kept.items() if v}


@router.get("/campaigns/{campaign_id}/board", response_class=HTMLResponse)
def board_page(
    request: Request, campaign_id: Id, user: PageUser, db: DB, stage: str = "", tier: str = "", q: str = ""
) -> HTMLResponse:
    """The pipeline board: a column per stage, a card per creator."""
    filters, kept = board_filters(stage, tier, q)
    board = pipeline.board(db, user.workspace_id, campaign_id, filters)
    here = f"/campaigns/{campaign_id}/board" + (f"?{urlencode(kept)}" if kept else "")
    ctx = {"board": board, "campaign": board.campaign, "stages": STAGES, "tiers": describe_tiers(), "params": kept,
           "next": here, "options": stage_options(), "flash": forms.take_flash(request), "nav": "campaigns"}  # fmt: skip
    return render(request, "campaigns/board.html", ctx)


def _moved(count: int, unchanged: int, stage: Stage) -> str:
    text = f"Moved {count} creator{'s' * (count != 1)} to {stage.label}."
    return text + (f" {unchanged} {'was' if unchanged == 1 else 'were'} there already." if unchanged else "")


@router.post("/campaigns/{campaign_id}/board/move", dependencies=CSRF)
def move(request: Request, campaign_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Move one or many collaborations; the board's script gets the redrawn card, a form post goes back."""
    htmx = request.headers.get("hx-request") == "true"
    back = forms.safe_next(forms.one(fields, "next"), f"/campaigns/{campaign_id}/board")
    stage, ids = forms.stage(fields), forms.ids(fields, "collaboration_ids")
    try:
        if stage is None:
            raise InvalidInput("Choose the stage to move to.")
        if not ids:
            raise InvalidInput("Tick at least one creator to move.")
        result = pipeline.move(db, user.workspace_id, campaign_id, ids, stage, Actor.of(user),
                               note=forms.one(fields, "note")[:2000] or None)  # fmt: skip
    except InvalidInput as exc:
        if htmx:
            return PlainTextResponse(exc.detail, status_code=422)
        forms.flash(request, exc.detail)
        return RedirectResponse(back, status_code=303)
    message = _moved(result.moved, result.unchanged, stage)
    if htmx and len(ids) == 1:
        card = pipeline.card(db, user.workspace_id, campaign_id, ids[0])
        ctx = {"c": card, "campaign_id": campaign_id, "options": stage_options(), "next": back, "message": message}
        return render(request, "campaigns/_moved.html", ctx)
    forms.flash(request, message)
    return RedirectResponse(back, status_code=303)


def collaboration_page(
    request: Request, db: DB, workspace_id: int, campaign_id: int, collaboration_id: int, **extra: Any
) -> HTMLResponse:
    """Render a collaboration's page (also with a failed form's boxes and messages, status 400)."""
    detail = pipeline.collaboration_detail(db, workspace_id, campaign_id, collaboration_id)
    campaign = service.require_campaign(db, workspace_id, campaign_id)
    ctx = {"c": detail, "campaign": campaign, "stages": STAGES, "compensations": list(Compensation),
           "entry_kinds": list(EntryKind), "entry_statuses": list(EntryStatus), "today": today(),
           "next": f"/campaigns/{campaign_id}/collaborations/{collaboration_id}", "flash": forms.take_flash(request),
           "terms_errors": {}, "entry_errors": {}, "entry_form": {}, "nav": "campaigns", **extra}  # fmt: skip
    failed = bool(ctx["terms_errors"] or ctx["entry_errors"])
    return render(request, "campaigns/collaboration.html", ctx, status=400 if failed else 200)


@router.get("/campaigns/{campaign_id}/collaborations/{collaboration_id}", response_class=HTMLResponse)
def collaboration(request: Request, campaign_id: Id, collaboration_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """One collaboration: stage, terms, the audit trail and the ledger."""
    return collaboration_page(request, db, user.workspace_id, campaign_id, collaboration_id)


@router.post("/campaigns/{campaign_id}/collaborations/{collaboration_id}/terms", dependencies=CSRF)
def save_terms(
    request: Request, campaign_id: Id, collaboration_id: Id, user: PageWriter, db: DB, fields: Posted
) -> Response:
    """Override this creator's compensation (blank = the campaign's) and keep a note."""
    values = {k: forms.one(fields, k) or None for k in ("compensation", "fee", "commission_pct", "gift_value", "note")}
    try:
        data = TermsIn.model_validate(
            {k: forms.number(v) if k in forms.NUMBER_FIELDS else v for k, v in values.items()}
        )
        pipeline.set_terms(db, user.workspace_id, campaign_id, collaboration_id, data)
    except ValidationError as exc:
        return collaboration_page(request, db, user.workspace_id, campaign_id, collaboration_id,
                                  terms_errors=field_errors(exc), terms_form=values)  # fmt: skip
    except InvalidInput as exc:
        return collaboration_page(request, db, user.workspace_id, campaign_id, collaboration_id,
                                  terms_errors=exc.errors or {"form": exc.detail}, terms_form=values)  # fmt: skip
    forms.flash(request, "Terms saved.")
    return RedirectResponse(f"/campaigns/{campaign_id}/collaborations/{collaboration_id}", status_code=303)
