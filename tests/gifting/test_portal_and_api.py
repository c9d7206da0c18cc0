"""The creator's gift page (/p/{token}/gift) and /api/v1 gifts; the thank-you's wording."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Collaboration
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.gifting import catalogue
from grassroots.gifting.models import Gift, GiftStatus, ProductSource
from grassroots.gifting.schemas import ProductIn
from grassroots.gifting.thanks import thanks_text
from grassroots.outreach.models import Touchpoint
from grassroots.portal import links
from tests.gifting.conftest import World, make_world, pages_client
from tests.support import api_headers, csrf_from


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def portal_token(engine: Engine, settings: Settings, collaboration_id: int) -> str:
    with session_scope(engine) as session:
        collab = session.get(Collaboration, collaboration_id)
        assert collab is not None
        return links.issue(session, settings, collab, created_by="owner@brand.test")[1]


def product(engine: Engine, world: World, title: str = "Face oil") -> int:
    with session_scope(engine) as session:
        data = ProductIn(title=title, variant_title="30 ml", sku="FO-30", price=Decimal("24.00"))
        return catalogue.save_product(session, world.workspace_id, data, ProductSource.manual)[0].id


def api_flow(client: TestClient, world: World, product_id: int) -> int:
    headers = api_headers(client)
    made = client.post(f"/api/v1/campaigns/{world.campaign_id}/collaborations/{world.collaboration_id}/gift",
                       json={"lines": [{"product_id": product_id, "quantity": 1}]}, headers=headers)  # fmt: skip
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["status"], body["cost"], body["has_address"]) == ("planned", "24.00", False)
    gift_id = int(body["id"])
    no_address = client.post(f"/api/v1/gifts/{gift_id}/status", json={"status": "ordered"}, headers=headers)
    assert no_address.status_code in (400, 422) and "address" in no_address.json()["detail"]
    return gift_id


def test_api_plans_lists_and_moves_a_gift(owner_client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine)
    gift_id = api_flow(owner_client, world, product(engine, world))
    with session_scope(engine) as session:
        gift = session.get(Gift, gift_id)
        assert gift is not None
        gift.ship_name, gift.ship_line1, gift.ship_city, gift.ship_postal_code, gift.ship_country = (
            "Maya Lind", "Lindenstraße 5", "Berlin", "10969", "DE")  # fmt: skip
    headers = api_headers(owner_client)
    for change in ({"status": "ordered"}, {"status": "shipped", "tracking_number": "JD014600006281230704"}):
        answer = owner_client.post(f"/api/v1/gifts/{gift_id}/status", json=change, headers=headers)
        assert answer.status_code == 200, answer.text
    listed = owner_client.get(f"/api/v1/campaigns/{world.campaign_id}/gifts").json()
    assert [(g["status"], g["tracking_number"], g["fulfilment"]) for g in listed] == [
        ("shipped", "JD014600006281230704", "warehouse")
    ]
    back = owner_client.post(f"/api/v1/gifts/{gift_id}/status", json={"status": "planned"}, headers=headers)
    assert back.status_code in (400, 422)
    other = pages_client(engine, settings, "owner@other.test", "Other")
    other_headers = api_headers(other)
    assert other.get(f"/api/v1/gifts/{gift_id}").status_code == 404
    assert other.get(f"/api/v1/campaigns/{world.campaign_id}/gifts").status_code == 404
    assert other.post(f"/api/v1/gifts/{gift_id}/status", json={"status": "delivered"},
                      headers=other_headers).status_code == 404  # fmt: skip
    assert other.post(f"/api/v1/campaigns/{world.campaign_id}/collaborations/{world.collaboration_id}/gift",
                      json={"lines": [{"product_id": 1}]}, headers=other_headers).status_code == 404  # fmt: skip


def test_the_creator_sees_the_gift_and_says_it_arrived(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine)
    token = portal_token(engine, settings, world.collaboration_id)
    empty = owner_client.get(f"/p/{token}/gift")
    assert empty.status_code == 200 and "has not chosen a gift for you yet" in text(empty.text)
    gift_id = api_flow(owner_client, world, product(engine, world))
    waiting = text(owner_client.get(f"/p/{token}/gift").text)
    assert "1 × Face oil (30 ml)" in waiting and "waiting for your address" in waiting
    with session_scope(engine) as session:
        gift = session.get(Gift, gift_id)
        assert gift is not None
        gift.ship_name, gift.ship_line1, gift.ship_city, gift.ship_postal_code, gift.ship_country = (
            "Maya Lind", "Lindenstraße 5", "Berlin", "10969", "DE")  # fmt: skip
    headers = api_headers(owner_client)
    owner_client.post(f"/api/v1/gifts/{gift_id}/status", json={"status": "ordered"}, headers=headers)
    owner_client.post(f"/api/v1/gifts/{gift_id}/status", headers=headers, json={
        "status": "shipped", "carrier": "DHL", "tracking_url": "https://www.dhl.de/track?piececode=0034"})  # fmt: skip
    creator = TestClient(owner_client.app, follow_redirects=False)  # a phone with no account
    page = creator.get(f"/p/{token}/gift")
    shown = text(page.text)
    assert "It is on its way with DHL" in shown and "Track your parcel" in shown and "no obligation" in shown
    assert 'href="https://www.dhl.de/track?piececode=0034"' in page.text
    assert 'name="viewport"' in page.text and "None" not in shown
    done = creator.post(f"/p/{token}/gift/received", data={"csrf_token": csrf_from(page.text)})
    assert done.status_code == 303
    after = text(creator.get(done.headers["location"]).text)
    assert "Thank you for letting us know it arrived!" in after and "I received it" not in after
    with session_scope(engine) as session:
        gift = session.get(Gift, gift_id)
        assert gift is not None and gift.status is GiftStatus.delivered and gift.delivered_by == "creator (portal)"
        assert gift.thanks_body and "no obligation" in gift.thanks_body
        point = session.scalar(select(Touchpoint).where(Touchpoint.kind == "gift_delivered"))
        assert point is not None and "confirmed by the creator" in point.summary
    assert creator.get(f"/p/{token}x/gift").status_code == 404
    assert creator.get("/p/not-a-token/gift").status_code == 404
    assert creator.post("/p/not-a-token/gift/received", data={"csrf_token": csrf_from(page.text)}).status_code == 404


def test_a_link_opens_only_its_own_collaboration_gift(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine)
    api_flow(owner_client, world, product(engine, world))
    second = make_world(engine, handle="jonas.cooks")
    token = portal_token(engine, settings, second.collaboration_id)
    shown = text(owner_client.get(f"/p/{token}/gift").text)
    assert "Face oil" not in shown and "has not chosen a gift for you yet" in shown


def test_the_thank_you_invites_and_never_demands() -> None:
    subject, body = thanks_text("Maya", ["Face oil"], "Serum seeding", "Glow & Co")
    assert subject == "Thank you, Maya!"
    assert "Face oil" in body and "Serum seeding" in body and body.rstrip().endswith("Glow & Co")
    assert "no obligation" in body.lower() and "if you enjoy it" in body.lower()
    demands = ("must", "required", "deadline", "please post", "make sure", "don't forget", "expect you", "tag us",
               "within", "by friday", "obligated to")  # fmt: skip
    assert [d for d in demands if d in body.lower()] == []
