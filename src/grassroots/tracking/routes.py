"""Pages: the tracking overview, promo codes (issue, assign, export) and the referral programme."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns.forms import Posted, flash, one, take_flash
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking import pages
from grassroots.tracking.models import DiscountKind
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
KINDS = [(DiscountKind.percentage.value, "% off"), (DiscountKind.fixed_amount.value, "amount off")]


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@router.get("/tracking", response_class=HTMLResponse)
def tracking_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """Codes per creator and campaign with usage and revenue, the referral programme, links to the rest."""
    ctx = {"o": pages.overview(db, user.workspace_id), "nav": "tracking"}
    return render(request, "tracking/index.html", ctx)


def _codes_page(request: Request, db: DB, user: Any, errors: dict[str, str], status: int = 200) -> HTMLResponse:
    campaign = _int(request.query_params.get("campaign", ""))
    ctx = {
        "rows": pages.codes.code_rows(db, user.workspace_id, campaign), "choices": pages.choices(db, user.workspace_id),
        "campaign": campaign, "kinds": KINDS, "errors": errors, "flash": take_flash(request), "nav": "tracking",
    }  # fmt: skip
    return render(request, "tracking/codes.html", ctx, status=status)


@router.get("/tracking/codes", response_class=HTMLResponse)
def codes_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """Every code with its creator, campaign, store status, orders and revenue; issue and assign forms."""
    return _codes_page(request, db, user, {})


@router.post("/tracking/codes/issue", dependencies=CSRF)
def issue_codes(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Issue codes for a campaign's whole roster or one collaboration; bad input re-renders with the reason."""
    collaboration = _int(one(fields, "collaboration_id"))
    try:
        issued = pages.issue_codes(
            db, user.workspace_id, kind=one(fields, "kind"), value=one(fields, "value"), actor=user.email,
            campaign_id=_int(one(fields, "campaign_id")) if not collaboration else None,
            collaboration_ids=[collaboration] if collaboration else None, code=one(fields, "code") or None,
        )  # fmt: skip
    except InvalidInput as exc:
        return _codes_page(request, db, user, exc.errors or {"form": exc.detail}, status=400)
    flash(
        request,
        f"{len(issued)} code(s) ready: {', '.join(p.code for p in issued[:20])}"
        if issued
        else "No one to issue a code for.",
    )
    return RedirectResponse("/tracking/codes", status_code=303)


@router.post("/tracking/codes/{code_id}/assign", dependencies=CSRF)
def assign_code(request: Request, code_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Give a code (an imported one, say) to a creator, or take it back."""
    promo = pages.codes.assign(db, user.workspace_id, code_id, _int(one(fields, "creator_id")), user.email)
    flash(request, f"{promo.code} assigned." if promo.creator_id else f"{promo.code} is no longer assigned.")
    return RedirectResponse("/tracking/codes", status_code=303)


@router.get("/tracking/codes.csv")
def codes_csv(request: Request, user: PageUser, db: DB) -> Response:
    """The codes as CSV (to create by hand in a store without a connection), formula-safe."""
    text = pages.codes.export_csv(db, user.workspace_id, _int(request.query_params.get("campaign", "")))
    headers = {"Content-Disposition": 'attachment; filename="promo-codes.csv"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


def _referrals_page(request: Request, db: DB, user: Any, errors: dict[str, str], status: int = 200) -> HTMLResponse:
    ctx = {
        "program": pages.referrals.program(db, user.workspace_id), "referrers": pages.referrer_rows(db, user.workspace_id),
        "rows": pages.referral_rows(db, user.workspace_id), "kinds": KINDS, "errors": errors,
        "flash": take_flash(request), "nav": "tracking",
    }  # fmt: skip
    return render(request, "tracking/referrals.html", ctx, status=status)


@router.get("/tracking/referrals", response_class=HTMLResponse)
def referrals_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """Programme settings, invited referrers and referrals with their flags."""
    return _referrals_page(request, db, user, {})


@router.post("/tracking/referrals/program", dependencies=CSRF)
def save_program(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Save the programme's rules."""
    try:
        pages.referrals.save_program(db, user.workspace_id, pages.rules_from(fields))
    except InvalidInput as exc:
        return _referrals_page(request, db, user, exc.errors or {"program": exc.detail}, status=400)
    flash(request, "Referral programme saved.")
    return RedirectResponse("/tracking/referrals", status_code=303)


@router.post("/tracking/referrals/invite", dependencies=CSRF)
def invite(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Invite a customer (by email) to refer friends: they get a personal code."""
    try:
        made = pages.invite_by_email(db, user.workspace_id, one(fields, "email"), user.email)
    except (InvalidInput, NotFound) as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return _referrals_page(request, db, user, {"email": exc.detail}, status=status)
    flash(request, f"Invited: their personal code is {pages.code_of(db, made)}.")
    return RedirectResponse("/tracking/referrals", status_code=303)


@router.post("/tracking/referrals/{referral_id}/paid", dependencies=CSRF)
def mark_paid(request: Request, referral_id: Id, user: PageWriter, db: DB) -> Response:
    """Record that a payable reward was paid."""
    try:
        pages.referrals.mark_paid(db, user.workspace_id, referral_id)
    except InvalidInput as exc:
        return _referrals_page(request, db, user, {"paid": exc.detail}, status=400)
    flash(request, "Reward marked as paid.")
    return RedirectResponse("/tracking/referrals", status_code=303)
