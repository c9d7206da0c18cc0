"""Payout and tax details a creator enters in the portal: validated, encrypted at rest, shown only masked.

The account (PayPal email or IBAN), legal name and tax id are one Fernet token (the connectors' secret helper);
only a masked summary ("IBAN DE89 •••• 3000") and the tax country are stored in clear.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors.credentials import decrypt_secret, encrypt_secret
from grassroots.errors import InvalidInput
from grassroots.portal.addresses import country_code
from grassroots.portal.models import PayoutDetails

METHODS = {"paypal": "PayPal", "iban": "Bank transfer (IBAN)"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")


def iban_ok(iban: str) -> bool:
    """The ISO 13616 check: the shape, then the number mod 97 is 1."""
    if not _IBAN.match(iban):
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def mask(method: str, account: str) -> str:
    """What may be shown back: the method, the start and the last four characters."""
    if method == "iban":
        return f"IBAN {account[:4]} •••• {account[-4:]}"
    user, _, domain = account.partition("@")
    return f"PayPal {user[:1]}•••@{domain}"


def validate(form: dict[str, str]) -> dict[str, str]:
    """The cleaned details; InvalidInput names each box to fix."""
    method = form.get("method", "").strip()
    legal_name = " ".join(form.get("legal_name", "").split())
    tax_id = form.get("tax_id", "").strip()
    errors: dict[str, str] = {}
    if method not in METHODS:
        errors["method"] = "choose how you want to be paid"
    account = ""
    if method == "paypal":
        account = form.get("paypal_email", "").strip().lower()
        if not _EMAIL.match(account) or len(account) > 320:
            errors["paypal_email"] = "enter the email address of your PayPal account"
    elif method == "iban":
        account = re.sub(r"\s+", "", form.get("iban", "")).upper()
        if not iban_ok(account):
            errors["iban"] = "this IBAN is not valid: check the letters and digits"
    if not 2 <= len(legal_name) <= 200:
        errors["legal_name"] = "enter your legal name, as on your bank account or tax records"
    if len(tax_id) > 50:
        errors["tax_id"] = "keep it under 50 characters"
    country = form.get("tax_country", "").strip()
    code = country_code(country) if country else ""
    if code is None:
        errors["tax_country"] = "choose a country from the list"
    if errors:
        raise InvalidInput("Your payout details were not saved: please fix the boxes marked below.", errors)
    return {"method": method, "account": account, "legal_name": legal_name, "tax_id": tax_id, "tax_country": code or ""}


def payout_details(session: Session, workspace_id: int, collaboration_id: int) -> PayoutDetails | None:
    """The stored (encrypted) details of a collaboration."""
    return session.scalar(
        select(PayoutDetails).where(
            PayoutDetails.workspace_id == workspace_id, PayoutDetails.collaboration_id == collaboration_id
        )
    )


def save_payout(
    session: Session, settings: Settings, workspace_id: int, collaboration_id: int, form: dict[str, str], *,
    updated_by: str,
) -> PayoutDetails:  # fmt: skip
    """Validate, encrypt and store the details (replacing earlier ones)."""
    values = validate(form)
    secret = {k: values[k] for k in ("account", "legal_name", "tax_id")}
    row = payout_details(session, workspace_id, collaboration_id)
    if row is None:
        row = PayoutDetails(workspace_id=workspace_id, collaboration_id=collaboration_id)
        session.add(row)
    row.method = values["method"]
    row.secret = encrypt_secret(secret, settings=settings)
    row.summary = mask(values["method"], values["account"])
    row.tax_country = values["tax_country"] or None
    row.updated_by = updated_by[:200]
    session.flush()
    return row


def legal_name(settings: Settings, row: PayoutDetails) -> str:
    """The legal name (the brand needs it to pay and to file taxes; the account stays masked)."""
    return decrypt_secret(row.secret, settings=settings).get("legal_name", "")


def masked_tax_id(settings: Settings, row: PayoutDetails) -> str:
    """The tax id with all but its last three characters hidden ('' when none was given)."""
    tax_id = decrypt_secret(row.secret, settings=settings).get("tax_id", "")
    return "" if not tax_id else "•" * max(0, len(tax_id) - 3) + tax_id[-3:]
