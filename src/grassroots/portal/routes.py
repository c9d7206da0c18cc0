"""The creator portal's pages under /p/{token}: offer, brief and agreement, address, payout details, earnings.

No account: the token in the path is the credential. Forms carry a field derived from it and are refused when
posted from another site (portal/guard.py). The brand's side (links, what the creator did) is manage_routes.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns import forms
from grassroots.campaigns.forms import Posted
from grassroots.errors import Conflict, InvalidInput
from grassroots.portal import addresses, earnings, guard, manage_routes, payout, service
from grassroots.portal.pages import portal_page, render
from grassroots.web.deps import DB
from grassroots.web.paths import Id

router = APIRouter(include_in_schema=False)
router.include_router(manage_routes.router)
Token = Annotated[str, Path(min_length=10, max_length=400)]
PORTAL = service.CREATOR.name


def _open(request: Request, db: DB, token: str, fields: Posted | None = None) -> service.Portal:
    portal = service.open_portal(db, request.app.state.settings, token)
    if fields is not None:
        guard.check(request, request.app.state.settings, token, forms.one(fields, guard.FIELD))
    return portal


def _back(token: str, page: str, saved: str) -> RedirectResponse:
    return RedirectResponse(f"/p/{token}{page}?saved={saved}", status_code=303)


@router.get("/p/{token}", response_class=HTMLResponse)
@portal_page
def offer(request: Request, token: Token, db: DB) -> Response:
    """The offer: campaign, what the creator gets, what is asked; accept or decline."""
    portal = _open(request, db, token)
    return render(request, "portal/offer.html", portal, token, "offer", offer=service.offer(db, portal), form={},
                  errors={})  # fmt: skip


@router.post("/p/{token}/respond")
@portal_page
def respond(request: Request, token: Token, db: DB, fields: Posted) -> Response:
    """Accept or decline, with an optional note."""
    portal = _open(request, db, token, fields)
    decision, note = forms.one(fields, "decision"), forms.one(fields, "note")
    try:
        answer = service.respond(db, portal, decision, note)
    except InvalidInput as exc:
        return render(request, "portal/offer.html", portal, token, "offer", status=400, offer=service.offer(db, portal),
                      form={"note": note}, errors={"form": exc.detail, **exc.errors})  # fmt: skip
    return _back(token, "", answer.decision.value)


def _documents(request: Request, db: DB, portal: service.Portal, token: str, status: int = 200, **extra: object
               ) -> Response:  # fmt: skip
    docs = service.documents(db, portal)
    ctx = {"docs": docs, "form": {}, "errors": {}, **extra}
    return render(request, "portal/agreement.html", portal, token, "agreement", status=status, **ctx)


@router.get("/p/{token}/agreement", response_class=HTMLResponse)
@portal_page
def agreement(request: Request, token: Token, db: DB) -> Response:
    """The brief and the agreement, and the signature form (or the signature record)."""
    return _documents(request, db, _open(request, db, token), token)


@router.post("/p/{token}/agreement/sign")
@portal_page
def sign(request: Request, token: Token, db: DB, fields: Posted) -> Response:
    """Sign the newest agreement version: typed full name and consent."""
    portal = _open(request, db, token, fields)
    name, consent = forms.one(fields, "signer_name"), forms.one(fields, "consent") == "yes"
    version = forms.one(fields, "version_id")
    try:
        if not version.isdigit():
            raise InvalidInput("Open the agreement again and sign it there.", {"form": "no agreement version chosen"})
        service.sign(db, portal, int(version), name=name, consent=consent, ip=request.client.host if request.client
                     else "unknown", user_agent=request.headers.get("user-agent", ""))  # fmt: skip
    except InvalidInput as exc:
        form = {"signer_name": name, "consent": consent}
        return _documents(request, db, portal, token, 400, form=form, errors={"form": exc.detail, **exc.errors})
    except Conflict as exc:
        return _documents(request, db, portal, token, 409, errors={"form": exc.detail})
    return _back(token, "/agreement", "signed")


@router.get("/p/{token}/documents/{version_id}/pdf")
@portal_page
def document_pdf(request: Request, token: Token, version_id: Id, db: DB) -> Response:
    """A version as a PDF; the signed copy once signed."""
    data, name = service.document_pdf(db, _open(request, db, token), version_id)
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


def _address(request: Request, db: DB, portal: service.Portal, token: str, status: int = 200, **extra: object
             ) -> Response:  # fmt: skip
    found = addresses.shipping_address(db, portal.workspace_id, portal.collaboration_id)
    form = extra.pop("form", None)
    if form is None:
        form = {k: getattr(found, k) or "" for k in addresses.ADDRESS_FIELDS} if found else {}
    return render(request, "portal/address.html", portal, token, "address", status=status, form=form,
                  countries=addresses.countries(), errors=extra.pop("errors", {}), **extra)  # fmt: skip


@router.get("/p/{token}/address", response_class=HTMLResponse)
@portal_page
def address(request: Request, token: Token, db: DB) -> Response:
    """Where to send the gift."""
    return _address(request, db, _open(request, db, token), token)


@router.post("/p/{token}/address")
@portal_page
def save_address(request: Request, token: Token, db: DB, fields: Posted) -> Response:
    """Save the shipping address (re-shown with messages when a box is wrong)."""
    portal = _open(request, db, token, fields)
    form = {k: forms.one(fields, k) for k in addresses.ADDRESS_FIELDS}
    try:
        saved = addresses.save_address(db, portal.workspace_id, portal.collaboration_id, form, updated_by=PORTAL)
    except InvalidInput as exc:
        return _address(request, db, portal, token, 400, form=form, errors={"form": exc.detail, **exc.errors})
    service.touch(db, portal, "address", f"Gave a shipping address ({saved.city}, {saved.country})",
                  ("shipping_address", saved.id))  # fmt: skip
    return _back(token, "/address", "address")


def _payout(request: Request, db: DB, portal: service.Portal, token: str, status: int = 200, **extra: object
            ) -> Response:  # fmt: skip
    found = payout.payout_details(db, portal.workspace_id, portal.collaboration_id)
    ctx = {"stored": found, "methods": payout.METHODS, "countries": addresses.countries(), "form": {}, "errors": {}}
    return render(request, "portal/payout.html", portal, token, "payout", status=status, **(ctx | extra))


@router.get("/p/{token}/payout", response_class=HTMLResponse)
@portal_page
def payout_page(request: Request, token: Token, db: DB) -> Response:
    """Payout and tax details (shown back only masked)."""
    return _payout(request, db, _open(request, db, token), token)


@router.post("/p/{token}/payout")
@portal_page
def save_payout(request: Request, token: Token, db: DB, fields: Posted) -> Response:
    """Save payout and tax details, encrypted."""
    portal = _open(request, db, token, fields)
    boxes = ("method", "paypal_email", "iban", "legal_name", "tax_id", "tax_country")
    form = {k: forms.one(fields, k) for k in boxes}
    try:
        row = payout.save_payout(db, request.app.state.settings, portal.workspace_id, portal.collaboration_id, form,
                                 updated_by=PORTAL)  # fmt: skip
    except InvalidInput as exc:
        kept = {k: v for k, v in form.items() if k in {"method", "tax_country"}}  # secrets are never sent back
        return _payout(request, db, portal, token, 400, form=kept, errors={"form": exc.detail, **exc.errors})
    service.touch(db, portal, "payout_details", f"Gave payout details ({payout.METHODS[row.method]})",
                  ("payout_details", row.id))  # fmt: skip
    return _back(token, "/payout", "payout")


@router.get("/p/{token}/earnings", response_class=HTMLResponse)
@portal_page
def earnings_page(request: Request, token: Token, db: DB) -> Response:
    """The creator's codes, the sales made with them, and what is owed and paid."""
    portal = _open(request, db, token)
    figures = earnings.earnings(db, portal.workspace_id, portal.ctx.creator.id, portal.collaboration_id)
    return render(request, "portal/earnings.html", portal, token, "earnings", e=figures)
