"""Payments are touchpoints: an amount owed, then marked paid, shows on the creator's timeline; a gift's cost does not
(gifting writes "Gift ordered" itself)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.campaigns.models import EntryKind, LedgerEntry
from grassroots.db.session import session_scope
from grassroots.outreach.models import Touchpoint
from tests.campaigns.factory import collaboration_ids, make_campaign, make_creator
from tests.portal.factory import text_of
from tests.support import api_headers, csrf_from


def test_owed_then_paid_are_on_the_timeline(owner_client: TestClient, engine: Engine) -> None:
    ana = make_creator(engine, "Ana", "ana.glow")
    campaign_id = make_campaign(engine, roster=[ana], kind="paid", compensation="flat_fee", fee="150")
    collab = collaboration_ids(owner_client, campaign_id)["ana.glow"]
    page_url = f"/campaigns/{campaign_id}/collaborations/{collab}"
    token = csrf_from(owner_client.get(page_url).text)
    owed = owner_client.post(f"{page_url}/payments", data={"csrf_token": token, "kind": "fee", "amount": "150",
                                                           "status": "owed", "note": "two reels"})  # fmt: skip
    assert owed.status_code == 303
    with session_scope(engine) as s:
        entry_id = s.scalars(select(LedgerEntry.id)).one()
    paid = owner_client.post(f"/campaigns/{campaign_id}/payments/{entry_id}/paid", data={"csrf_token": token})
    assert paid.status_code == 303
    profile = owner_client.get(f"/creators/{ana}").text
    section = re.search(r'<section class="card" id="timeline">(.*?)</section>', profile, re.S)
    assert section
    timeline = text_of(section.group(1))
    paid_at = timeline.find("Payment: paid fee of 150.00 EUR")
    owed_at = timeline.find("Payment: recorded fee of 150.00 EUR (owed, payable ")
    assert -1 < paid_at < owed_at, timeline  # newest first
    assert "two reels" in timeline and "owner@brand.test" in timeline


def test_a_gift_cost_entry_is_no_payment_touchpoint(owner_client: TestClient, engine: Engine) -> None:
    ana = make_creator(engine, "Ana", "ana.glow")
    campaign_id = make_campaign(engine, roster=[ana])
    collab = collaboration_ids(owner_client, campaign_id)["ana.glow"]
    url = f"/api/v1/campaigns/{campaign_id}/collaborations/{collab}/payments"
    made = owner_client.post(url, headers=api_headers(owner_client), json={"kind": "gift", "amount": "24.00"})
    assert made.status_code in (200, 201), made.text
    with session_scope(engine) as s:
        assert s.scalars(select(LedgerEntry.kind)).one() is EntryKind.gift
        assert s.scalars(select(Touchpoint.kind)).all() == []
