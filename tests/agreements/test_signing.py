"""Signing the agreement in the portal: every field recorded, the hash covers the exact text shown, a PDF copy is
kept, a signed version cannot be signed again, and a newer version needs a new signature."""

from __future__ import annotations

import hashlib
import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.agreements import service
from grassroots.agreements.models import DocumentVersion, Signature
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.outreach.models import Touchpoint
from tests.portal.factory import World, make_world, post, text_of
from tests.support import csrf_from, login, make_user

UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile"


def _sign(client: TestClient, world: World, name: str = "Ana Glow", consent: str = "yes") -> object:
    page = client.get(world.path + "/agreement").text
    version = re.search(r'name="version_id" value="(\d+)"', page)
    assert version
    return post(client, world.path + "/agreement", world.path + "/agreement/sign",
                {"version_id": version.group(1), "signer_name": name, "consent": consent}, **{"user-agent": UA})  # fmt: skip


def _shown_text(page: str) -> str:
    match = re.search(r'<div class="document" id="agreement-text">(.*?)</div>', page, re.S)
    assert match
    return html.unescape(match.group(1))


def test_signing_records_who_when_where_and_the_hash_of_the_text_shown(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine, settings)
    shown = _shown_text(client.get(world.path + "/agreement").text)
    assert "Between Brand (the brand) and Ana Glow (the creator)." in shown
    assert "A flat fee of 250.00 EUR" in shown and "#ad · Paid partnership with Brand" in shown
    response = _sign(client, world, name="  Ana   Glow ")
    assert response.status_code == 303  # type: ignore[attr-defined]
    with session_scope(engine) as s:
        sig = s.scalars(select(Signature)).one()
        version = s.get(DocumentVersion, sig.version_id)
        assert version is not None
        assert (sig.signer_name, sig.ip, sig.user_agent) == ("Ana Glow", "testclient", UA)
        assert sig.signed_at is not None
        assert sig.text_sha256 == hashlib.sha256(shown.encode()).hexdigest() == version.text_sha256
        assert version.text == shown
        pdf = bytes(sig.pdf)
        kinds = [t.kind for t in s.scalars(select(Touchpoint))]
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-50:] and len(pdf) > 2000
    assert b"/Author (Ana Glow)" in pdf
    seen = text_of(client.get(world.path + "/agreement").text)
    assert "Signed. Thank you!" not in seen  # the message follows the redirect only
    assert "Signed by Ana Glow on" in seen and sig.text_sha256 in seen and "Sign the agreement" not in seen
    assert "signed" in kinds
    download = client.get(f"{world.path}/documents/{sig.version_id}/pdf")
    assert download.headers["content-type"] == "application/pdf" and download.content == pdf


def test_a_signed_version_cannot_be_signed_again(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    page = client.get(world.path + "/agreement").text
    version = re.search(r'name="version_id" value="(\d+)"', page)
    assert version
    data = {"version_id": version.group(1), "signer_name": "Ana Glow", "consent": "yes"}
    assert post(client, world.path + "/agreement", world.path + "/agreement/sign", data).status_code == 303
    again = post(client, world.path + "/address", world.path + "/agreement/sign", data | {"signer_name": "Someone"})
    assert again.status_code == 409 and "is signed already" in text_of(again.text)
    with session_scope(engine) as s:
        assert [x.signer_name for x in s.scalars(select(Signature))] == ["Ana Glow"]


def test_name_and_consent_are_required(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    response = _sign(client, world, name="A", consent="")
    seen = text_of(response.text)  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "type your full name" in seen and "tick the box to agree" in seen
    with session_scope(engine) as s:
        assert s.scalars(select(Signature)).first() is None


def test_a_newer_version_needs_a_new_signature_and_rights_follow_the_newest_signed(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine, settings)
    with session_scope(engine) as s:
        assert service.usage_rights(s, 1, world.collab) is None
    old = re.search(r'name="version_id" value="(\d+)"', client.get(world.path + "/agreement").text)
    assert old
    _sign(client, world)
    with session_scope(engine) as s:
        first = service.usage_rights(s, 1, world.collab)
    assert first is not None and first.agreement_version_id == int(old.group(1))
    assert first.paid_usage is False and first.channels == ["the brand's own social accounts", "the brand's website"]
    make_user(engine)
    brand = TestClient(client.app, follow_redirects=False)
    login(brand, "owner@brand.test")
    editor = brand.get(world.documents).text
    saved = brand.post(world.documents + "/agreement", data={
        "csrf_token": csrf_from(editor), "deliverables": "One reel\nTwo stories", "channels": "Instagram ads",
        "paid_usage": "on", "usage_expires_on": "2027-06-30", "exclusivity": "No other serum brand for 30 days",
        "payment_terms": "A flat fee of 300.00 EUR", "disclosure": "#ad"})  # fmt: skip
    assert saved.status_code == 303
    seen = text_of(client.get(world.path + "/agreement").text)
    assert "version 2" in seen and "sign it again" in seen and "Sign the agreement" in seen
    stale = post(client, world.path + "/agreement", world.path + "/agreement/sign",
                 {"version_id": old.group(1), "signer_name": "Ana Glow", "consent": "yes"})  # fmt: skip
    assert stale.status_code == 409 and "The agreement changed" in text_of(stale.text)
    with session_scope(engine) as s:
        assert service.usage_rights(s, 1, world.collab) == first  # v2 is not signed yet
    _sign(client, world)
    with session_scope(engine) as s:
        rights = service.usage_rights(s, 1, world.collab)
    assert rights is not None and rights.agreement_version_id != first.agreement_version_id
    assert (rights.channels, rights.paid_usage, str(rights.expires_on), rights.exclusivity) == (
        ["Instagram ads"], True, "2027-06-30", "No other serum brand for 30 days")  # fmt: skip
    history = text_of(brand.get(world.documents).text)
    assert history.count("Signed by Ana Glow") == 2
