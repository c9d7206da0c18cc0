"""A collaboration's shipping address: read by gifting, written from the portal or by the brand."""

from __future__ import annotations

import re

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput
from grassroots.portal.models import ShippingAddress


def shipping_address(session: Session, workspace_id: int, collaboration_id: int) -> ShippingAddress | None:
    """The address the creator gave for this collaboration, if any."""
    return session.scalar(
        select(ShippingAddress).where(
            ShippingAddress.workspace_id == workspace_id, ShippingAddress.collaboration_id == collaboration_id
        )
    )


ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")
REQUIRED = {"name": "your name", "line1": "the street and number", "city": "the city",
            "postal_code": "the postal code", "country": "the country"}  # fmt: skip
LIMITS = {"name": 200, "line1": 300, "line2": 300, "city": 200, "region": 200, "postal_code": 40, "phone": 50}
_PHONE = re.compile(r"^\+?[\d\s().\-/]{5,30}$")


def countries() -> list[tuple[str, str]]:
    """(ISO 3166-1 alpha-2 code, name) of every country, by name: the address form's choices."""
    return sorted(((c.alpha_2, getattr(c, "common_name", c.name)) for c in pycountry.countries), key=lambda c: c[1])


def country_code(value: str) -> str | None:
    """'de', 'DE' or 'Germany' -> 'DE'; None when it is no country."""
    text = value.strip()
    if not text:
        return None
    found = pycountry.countries.get(alpha_2=text.upper()) if len(text) == 2 else None
    if found is None:
        try:
            found = pycountry.countries.lookup(text)
        except LookupError:
            return None
    return str(found.alpha_2)


def validate(form: dict[str, str]) -> dict[str, str | None]:
    """The address's fields, cleaned; InvalidInput names every box to fix."""
    values = {k: " ".join(form.get(k, "").split()) for k in ADDRESS_FIELDS}
    errors = {k: f"enter {what}" for k, what in REQUIRED.items() if not values[k]}
    errors |= {k: f"keep it under {n} characters" for k, n in LIMITS.items() if len(values[k]) > n}
    code = country_code(values["country"])
    if values["country"] and code is None:
        errors["country"] = "choose a country from the list"
    if values["phone"] and not _PHONE.match(values["phone"]):
        errors["phone"] = "enter a phone number (digits, spaces and + only)"
    if errors:
        raise InvalidInput("Your address was not saved: please fix the boxes marked below.", errors)
    cleaned: dict[str, str | None] = {k: v or None for k, v in values.items()}
    cleaned["country"] = code
    return cleaned


def save_address(
    session: Session, workspace_id: int, collaboration_id: int, form: dict[str, str], *, updated_by: str
) -> ShippingAddress:
    """Create or replace the collaboration's shipping address from a form (validated; nothing saved when bad)."""
    values = validate(form)
    address = shipping_address(session, workspace_id, collaboration_id)
    if address is None:
        address = ShippingAddress(workspace_id=workspace_id, collaboration_id=collaboration_id)
        session.add(address)
    for name, value in values.items():
        setattr(address, name, value)
    address.updated_by = updated_by[:200]
    address.updated_at = utcnow()
    session.flush()
    return address
