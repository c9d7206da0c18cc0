"""Pages: gift products, a campaign's gifts, one collaboration's gift, and the creator's portal gift page."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from grassroots.campaigns import forms
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.forms import Posted
from grassroots.campaigns.schemas import field_errors
from grassroots.errors import InvalidInput
from grassroots.gifting import catalogue, ordering, service, thanks
from grassroots.gifting.models import GiftStatus, ProductSource
from grassroots.gifting.schemas import AddressIn, GiftIn, ProductIn, StatusIn
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
PRODUCT_FIELDS = ("title", "variant_title", "sku", "price", "currency", "image_url")


def _products_page(request: Request, db: Any, workspace_id: int, status: int = 200, **extra: Any) -> HTMLResponse:
    ctx = {"catalogue": catalogue.catalogue(db, workspace_id), "flash": forms.take_flash(request), "nav": "campaigns",
           "form": {}, "errors": {}, "report": None, **extra}  # fmt: skip
    return render(request, "gifting/products.html", ctx, status)


@router.get("/gifting/products", response_class=HTMLResponse)
def products_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """The products gifts are chosen from: the store's (refreshed by a job) or a list kept by hand or CSV."""
    return _products_page(request, db, user.workspace_id)


@router.post("/gifting/products", dependencies=CSRF)
def add_product(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Add a product by hand; the form comes back with messages when invalid."""
    values = {k: forms.one(fields, k) or None for k in PRODUCT_FIELDS}
    try:
        data = ProductIn.model_validate({**values, "price": forms.number(values["price"]),
                                         "currency": values["currency"] or "EUR"})  # fmt: skip
    except ValidationError as exc:
        return _products_page(request, db, user.workspace_id, 400, form=values, errors=field_errors(exc))
    product, added = catalogue.save_product(db, user.workspace_id, data, ProductSource.manual)
    forms.flash(request, f"{'Added' if added else 'Updated'} {product.title}.")
    return RedirectResponse("/gifting/products", status_code=303)


@router.post("/gifting/products/import", dependencies=CSRF)
def import_products(
    request: Request, user: PageWriter, db: DB, file: Annotated[UploadFile, File()],
    currency: Annotated[str, Form()] = "EUR",
) -> HTMLResponse:  # fmt: skip
    """Upload a product CSV: good rows are kept, bad rows are listed with their line."""
    try:
        report = catalogue.import_csv(db, user.workspace_id, file.file.read(), currency.strip().upper() or "EUR")
    except InvalidInput as exc:
        return _products_page(request, db, user.workspace_id, 400, errors={"file": exc.detail})
    status = 400 if report.errors and not (report.added or report.updated) else 200
    return _products_page(request, db, user.workspace_id, status, report=report)


@router.post("/gifting/products/refresh", dependencies=CSRF)
def refresh_products(request: Request, user: PageWriter, db: DB) -> Response:
    """Queue a refresh of the store's products."""
    try:
        catalogue.request_refresh(db, user.workspace_id)
        forms.flash(request, "Refreshing the store's products in the background: reload in a moment.")
    except InvalidInput as exc:
        forms.flash(request, exc.detail)
    return RedirectResponse("/gifting/products", status_code=303)


@router.post("/gifting/products/{product_id}/remove", dependencies=CSRF)
def remove_product(request: Request, product_id: Id, user: PageWriter, db: DB) -> Response:
    """Take a product off the list."""
    product = catalogue.remove_product(db, user.workspace_id, product_id)
    forms.flash(request, f"Removed {product.title} from the list.")
    return RedirectResponse("/gifting/products", status_code=303)


@router.get("/campaigns/{campaign_id}/gifts", response_class=HTMLResponse)
def campaign_gifts(request: Request, campaign_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """Every creator of the campaign with their gift's status."""
    campaign, rows = service.campaign_gifts(db, user.workspace_id, campaign_id)
    ctx = {"campaign": campaign, "rows": rows, "flash": forms.take_flash(request), "nav": "campaigns"}
    return render(request, "gifting/gifts.html", ctx)


@router.get("/campaigns/{campaign_id}/gifts.csv")
def warehouse_csv(campaign_id: Id, user: PageUser, db: DB) -> Response:
    """The gifts the warehouse sends: one row per gift line."""
    text = ordering.warehouse_csv(db, user.workspace_id, campaign_id)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="campaign-{campaign_id}-gifts.csv"'})  # fmt: skip


def _gift_page(request: Request, db: Any, workspace_id: int, campaign_id: int, collaboration_id: int,
               status: int = 200, **extra: Any) -> HTMLResponse:  # fmt: skip
    page = service.gift_form(db, workspace_id, campaign_id, collaboration_id)
    ctx = {"page": page, "flash": forms.take_flash(request), "nav": "campaigns", "errors": {}, "form": {},
           "statuses": GiftStatus, **extra}  # fmt: skip
    return render(request, "gifting/gift.html", ctx, status)


@router.get("/campaigns/{campaign_id}/collaborations/{collaboration_id}/gift", response_class=HTMLResponse)
def gift_page(request: Request, campaign_id: Id, collaboration_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """One collaboration's gift: choose products, the address, create the order, shipping and delivery."""
    return _gift_page(request, db, user.workspace_id, campaign_id, collaboration_id)


@router.post("/campaigns/{campaign_id}/collaborations/{collaboration_id}/gift", dependencies=CSRF)
def plan_gift(
    request: Request, campaign_id: Id, collaboration_id: Id, user: PageWriter, db: DB, fields: Posted
) -> Response:
    """Plan the gift: a quantity per product (0 leaves it out)."""
    lines = [{"product_id": k[4:], "quantity": forms.one(fields, k)} for k in fields
             if k.startswith("qty_") and forms.one(fields, k) not in ("", "0")]  # fmt: skip
    values = {
        "lines": lines,
        "cost": forms.number(forms.one(fields, "cost")),
        "note": forms.one(fields, "note") or None,
    }
    try:
        service.plan_gift(db, user.workspace_id, campaign_id, collaboration_id, GiftIn.model_validate(values),
                          Actor.of(user))  # fmt: skip
    except ValidationError as exc:
        errors = field_errors(exc)
        if "lines" in errors:
            errors["lines"] = "choose at least one product with a quantity from 1 to 100"
        return _gift_page(request, db, user.workspace_id, campaign_id, collaboration_id, 400, errors=errors,
                          form=dict(fields))  # fmt: skip
    except InvalidInput as exc:
        return _gift_page(request, db, user.workspace_id, campaign_id, collaboration_id, 400,
                          errors={"lines": exc.detail})  # fmt: skip
    forms.flash(request, "Gift planned.")
    return RedirectResponse(f"/campaigns/{campaign_id}/collaborations/{collaboration_id}/gift", status_code=303)


def _back(db: Any, workspace_id: int, gift_id: int) -> tuple[int, int, str]:
    campaign_id, collaboration_id = service.collaboration_of(db, workspace_id, gift_id)
    return campaign_id, collaboration_id, f"/campaigns/{campaign_id}/collaborations/{collaboration_id}/gift"


@router.post("/gifts/{gift_id}/address", dependencies=CSRF)
def set_address(request: Request, gift_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """The brand types the address."""
    campaign_id, collaboration_id, back = _back(db, user.workspace_id, gift_id)
    values = {k: forms.one(fields, k) or None for k in service.ADDRESS_FIELDS}
    try:
        service.set_address(db, user.workspace_id, gift_id, AddressIn.model_validate(values), Actor.of(user))
    except ValidationError as exc:
        return _gift_page(request, db, user.workspace_id, campaign_id, collaboration_id, 400,
                          errors=field_errors(exc), form=values)  # fmt: skip
    except InvalidInput as exc:
        forms.flash(request, exc.detail)
    return RedirectResponse(back, status_code=303)


@router.post("/gifts/{gift_id}/status", dependencies=CSRF)
def change_status(request: Request, gift_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Create the order, mark it shipped (with tracking) or delivered."""
    campaign_id, collaboration_id, back = _back(db, user.workspace_id, gift_id)
    values = {k: forms.one(fields, k) or None for k in ("status", "tracking_number", "carrier", "tracking_url")}
    try:
        gift = service.change_status(db, user.workspace_id, gift_id, StatusIn.model_validate(values), Actor.of(user))
    except ValidationError as exc:
        return _gift_page(request, db, user.workspace_id, campaign_id, collaboration_id, 400,
                          errors=field_errors(exc), form=values)  # fmt: skip
    except InvalidInput as exc:
        return _gift_page(request, db, user.workspace_id, campaign_id, collaboration_id, 400,
                          errors={"status": exc.detail}, form=values)  # fmt: skip
    pending = gift.status is GiftStatus.planned
    forms.flash(request, "Creating the order in the store…" if pending else f"Gift {gift.status.value}.")
    return RedirectResponse(back, status_code=303)


@router.post("/gifts/{gift_id}/tracking-from-store", dependencies=CSRF)
def tracking_from_store(request: Request, gift_id: Id, user: PageWriter, db: DB) -> Response:
    """Take the tracking number, carrier and link from the store order's fulfillment."""
    _, _, back = _back(db, user.workspace_id, gift_id)
    try:
        gift = ordering.tracking_from_store(db, request.app.state.settings, user.workspace_id, gift_id, Actor.of(user))
        forms.flash(request, f"Tracking from the store: {gift.carrier or ''} {gift.tracking_number or ''}".strip())
    except InvalidInput as exc:
        forms.flash(request, exc.detail)
    return RedirectResponse(back, status_code=303)


@router.post("/gifts/{gift_id}/thanks", dependencies=CSRF)
def send_thanks(request: Request, gift_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Send the reviewed thank-you (queued on the mail queue, sent once)."""
    campaign_id, collaboration_id, back = _back(db, user.workspace_id, gift_id)
    subject, body = forms.one(fields, "subject"), forms.one(fields, "body")
    try:
        thanks.send_thanks(db, request.app.state.settings, user.workspace_id, gift_id, subject, body, Actor.of(user))
    except InvalidInput as exc:
        return _gift_page(request, db, user.workspace_id, campaign_id, collaboration_id, 400,
                          errors={"thanks": exc.detail}, form={"subject": subject, "body": body})  # fmt: skip
    forms.flash(request, "Thank-you queued for sending.")
    return RedirectResponse(back, status_code=303)


@router.get("/p/{token}/gift", response_class=HTMLResponse)
def portal_gift(request: Request, token: str, db: DB) -> HTMLResponse:
    """The creator's view: what is coming, its status, the tracking link, "I received it"."""
    found = service.portal_gift(db, request.app.state.settings, token)
    ctx = {"portal_token": token, "portal_nav": "gift", "brand_name": found.brand_name, "found": found,
           "received": request.query_params.get("received") == "1"}  # fmt: skip
    return render(request, "portal/gift.html", ctx)


@router.post("/p/{token}/gift/received", dependencies=CSRF)
def portal_received(request: Request, token: str, db: DB) -> Response:
    """The creator says the gift arrived."""
    with contextlib.suppress(InvalidInput):  # not ordered yet: the page says so
        service.portal_received(db, request.app.state.settings, token)
    return RedirectResponse(f"/p/{token}/gift?received=1", status_code=303)
