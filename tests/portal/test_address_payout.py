"""Address and payout details from the portal: validated with messages, payout encrypted at rest and shown only
masked, both visible to the brand (masked) and to no other workspace."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from grassroots.config import Settings
from grassroots.connectors.credentials import decrypt_secret
from grassroots.db.session import session_scope
from grassroots.outreach.models import Touchpoint
from grassroots.portal.addresses import shipping_address
from grassroots.portal.models import PayoutDetails
from tests.campaigns.factory import field_errors
from tests.portal.factory import make_world, post, text_of
from tests.support import login, make_user

ADDRESS = {"name": "Ana Glow", "line1": "Hauptstraße 5", "line2": "", "city": "Berlin", "region": "",
           "postal_code": "10115", "country": "DE", "phone": "+49 30 1234567"}  # fmt: skip
IBAN = "DE89370400440532013000"


def test_address_is_validated_then_saved(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    page = world.path + "/address"
    bad = post(client, page, page, ADDRESS | {"city": "", "country": "XX", "phone": "call me"})
    assert bad.status_code == 400
    assert field_errors(bad.text) == [
        "enter the city",
        "choose a country from the list",
        "enter a phone number (digits, spaces and + only)",
    ]
    assert 'value="Hauptstraße 5"' in bad.text  # what was typed stays in the boxes
    with session_scope(engine) as s:
        assert shipping_address(s, 1, world.collab) is None
    ok = post(client, page, page, ADDRESS | {"country": "de"})
    assert ok.status_code == 303
    seen = text_of(client.get(ok.headers["location"]).text)
    assert "Your address is saved." in seen
    with session_scope(engine) as s:
        saved = shipping_address(s, 1, world.collab)
        assert saved is not None
        assert (saved.line1, saved.country, saved.line2, saved.updated_by) == (
            "Hauptstraße 5", "DE", None, "creator (portal)")  # fmt: skip
        assert "address" in [t.kind for t in s.scalars(select(Touchpoint))]
    assert '<option value="DE" selected>Germany</option>' in client.get(page).text


def test_payout_details_are_encrypted_and_shown_masked(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    page = world.path + "/payout"
    bad = post(client, page, page, {"method": "iban", "iban": "DE00 1234", "legal_name": "", "tax_country": "DE"})
    assert bad.status_code == 400
    assert field_errors(bad.text) == ["this IBAN is not valid: check the letters and digits",
                                      "enter your legal name, as on your bank account or tax records"]  # fmt: skip
    assert "DE00 1234" not in bad.text  # a secret is never sent back, not even a wrong one
    spaced = "DE89 3704 0044 0532 0130 00"
    ok = post(client, page, page, {"method": "iban", "iban": spaced, "legal_name": "Ana Glow",
                                   "tax_id": "DE123456789", "tax_country": "DE"})  # fmt: skip
    assert ok.status_code == 303
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT secret, summary FROM payout_details")).one()
    blob = bytes(raw[0])
    assert IBAN.encode() not in blob and b"DE123456789" not in blob and b"Ana Glow" not in blob
    assert decrypt_secret(blob, settings=settings) == {
        "account": IBAN,
        "legal_name": "Ana Glow",
        "tax_id": "DE123456789",
    }
    assert raw[1] == "IBAN DE89 •••• 3000"
    creator_view = client.get(page).text
    assert "IBAN DE89 •••• 3000" in text_of(creator_view) and IBAN not in creator_view and spaced not in creator_view
    make_user(engine)
    login(client, "owner@brand.test")
    brand = client.get(world.manage).text
    assert "IBAN DE89 •••• 3000 · Ana Glow · tax id ••••••••789 · tax country DE" in text_of(brand)
    assert IBAN not in brand and "DE123456789" not in brand
    with session_scope(engine) as s:
        assert s.scalars(select(PayoutDetails)).one().method == "iban"


def test_paypal_needs_an_email(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    page = world.path + "/payout"
    bad = post(client, page, page, {"method": "paypal", "paypal_email": "ana at example", "legal_name": "Ana Glow"})
    assert field_errors(bad.text) == ["enter the email address of your PayPal account"]
    post(client, page, page, {"method": "paypal", "paypal_email": "Ana@Example.com", "legal_name": "Ana Glow"})
    assert "PayPal a•••@example.com" in text_of(client.get(page).text)
