"""Payments pages: the campaign's ledger, recording an amount owed or paid, marking it paid, the payout CSV."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from grassroots.campaigns import forms, payments, service
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.forms import Posted
from grassroots.campaigns.pipeline_routes import collaboration_page
from grassroots.campaigns.schemas import EntryIn, PaidIn, field_errors
from grassroots.errors import InvalidInput
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
ENTRY_FIELDS = ("kind", "amount", "currency", "status", "earned_on", "due_on", "paid_on", "note")


@router.get("/campaigns/{campaign_id}/payments", response_class=HTMLResponse)
def payments_page(request: Request, campaign_id: Id, user: PageUser, db: DB, state: str = "") -> HTMLResponse:
    """The campaign's ledger: what is payable now, on hold and paid, per currency."""
    campaign = service.require_campaign(db, user.workspace_id, campaign_id)
    everything = payments.ledger(db, user.workspace_id, campaign_id)
    shown = [e for e in everything if e.state == state] if state in payments.STATES else everything
    ctx = {"campaign": campaign, "entries": shown, "totals": payments.totals(everything), "state": state,
           "states": payments.STATES, "today": payments.today(), "flash": forms.take_flash(request),
           "next": f"/campaigns/{campaign_id}/payments", "nav": "campaigns"}  # fmt: skip
    return render(request, "campaigns/payments.html", ctx)


@router.post("/campaigns/{campaign_id}/collaborations/{collaboration_id}/payments", dependencies=CSRF)
def record_entry(
    request: Request, campaign_id: Id, collaboration_id: Id, user: PageWriter, db: DB, fields: Posted
) -> Response:
    """Record a fee, commission or gift cost, owed or paid; the form comes back with messages when invalid."""
    values = {k: forms.one(fields, k) or None for k in ENTRY_FIELDS}
    try:
        data = EntryIn.model_validate({k: forms.number(v) if k == "amount" else v for k, v in values.items()})
        entry = payments.add_entry(db, user.workspace_id, campaign_id, collaboration_id, data, Actor.of(user))
    except ValidationError as exc:
        errors = field_errors(exc)
    except InvalidInput as exc:
        errors = exc.errors or {"form": exc.detail}
    else:
        forms.flash(
            request, f"Recorded {entry.kind.value} of {entry.amount:,.2f} {entry.currency} ({entry.status.value})."
        )
        back = forms.safe_next(forms.one(fields, "next"), f"/campaigns/{campaign_id}/collaborations/{collaboration_id}")
        return RedirectResponse(back, status_code=303)
    return collaboration_page(request, db, user.workspace_id, campaign_id, collaboration_id,
                              entry_errors=errors, entry_form=values)  # fmt: skip


@router.post("/campaigns/{campaign_id}/payments/{entry_id}/paid", dependencies=CSRF)
def mark_paid(request: Request, campaign_id: Id, entry_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Mark an owed amount as paid (today unless a date is given)."""
    back = forms.safe_next(forms.one(fields, "next"), f"/campaigns/{campaign_id}/payments")
    try:
        data = PaidIn.model_validate({"paid_on": forms.one(fields, "paid_on") or None})
        entry = payments.mark_paid(db, user.workspace_id, campaign_id, entry_id, data, Actor.of(user))
        paid_on: date | None = entry.paid_on
        forms.flash(request, f"Marked {entry.amount:,.2f} {entry.currency} as paid on {paid_on}.")
    except ValidationError as exc:
        forms.flash(request, "Paid on " + field_errors(exc).get("paid_on", "is not a date"))
    except InvalidInput as exc:
        forms.flash(request, exc.detail)
    return RedirectResponse(back, status_code=303)


@router.get("/campaigns/{campaign_id}/payouts.csv")
def payouts_csv(campaign_id: Id, user: PageUser, db: DB, state: str = "") -> Response:
    """The ledger as CSV for the accounting tool (state=payable for what to pay now)."""
    text = payments.payouts_csv(db, user.workspace_id, campaign_id, state)
    name = f"campaign-{campaign_id}-payouts{'-' + state if state in payments.STATES else ''}.csv"
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
