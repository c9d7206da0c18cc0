"""Forgetting a creator deletes their answers, signatures (with the PDF copies), documents and payout details."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.agreements.models import DocumentVersion, Signature
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.portal.models import OfferResponse, PayoutDetails
from grassroots.workspaces import privacy
from tests.portal.factory import make_world, post


def test_forget_creator_erases_the_portal_trail(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    post(client, world.path, world.path + "/respond", {"decision": "accepted"})
    page = client.get(world.path + "/agreement").text
    version = page.split('name="version_id" value="')[1].split('"')[0]
    post(client, world.path + "/agreement", world.path + "/agreement/sign",
         {"version_id": version, "signer_name": "Ana Glow", "consent": "yes"})  # fmt: skip
    post(client, world.path + "/payout", world.path + "/payout",
         {"method": "paypal", "paypal_email": "ana@example.com", "legal_name": "Ana Glow"})  # fmt: skip
    tables = (Signature, DocumentVersion, OfferResponse, PayoutDetails)
    with session_scope(engine) as s:
        assert [s.scalar(select(func.count()).select_from(t)) for t in tables] == [1, 2, 1, 1]
        counts = privacy.forget_creator(s, 1, "ana.glow")
    assert (counts["agreement_signature"], counts["document_version"], counts["offer_response"]) == (1, 2, 1)
    assert counts["payout_details"] == 1
    with session_scope(engine) as s:
        assert [s.scalar(select(func.count()).select_from(t)) for t in tables] == [0, 0, 0, 0]
    assert client.get(world.path).status_code == 404
