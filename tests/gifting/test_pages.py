"""Pages: the product list (by hand, CSV), a gift planned, addressed, ordered for the warehouse, shipped, delivered,
thanked; and another workspace that finds none of it."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.campaigns.models import EntryKind, LedgerEntry
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.gifting.models import Gift, GiftProduct, GiftStatus
from grassroots.outreach.models import MessageStatus, OutboundMessage, Touchpoint
from tests.gifting.conftest import World, make_world, pages_client
from tests.support import csrf_from

PRODUCTS_CSV = (
    "title,variant,sku,price,currency,image_url\n"
    "Face oil,30 ml,FO-30,24.00,EUR,https://img.test/oil.jpg\n"
    ",50 ml,FO-50,34.50,EUR,\n"
    "Lip balm,,LB-1,eight,EUR,\n"
    '=HYPERLINK("http://evil.test"),,EVIL,5,EUR,\n'
    "Tote bag,,TB-1,0,XXX,\n"
)


def text(html: str) -> str:
    """What a person reads: the page without tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def post(client: TestClient, page: str, url: str, data: dict[str, str]) -> object:
    token = csrf_from(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token})


def upload(client: TestClient) -> str:
    token = csrf_from(client.get("/gifting/products").text)
    files = {"file": ("products.csv", PRODUCTS_CSV.encode(), "text/csv")}
    response = client.post("/gifting/products/import", data={"csrf_token": token, "currency": "EUR"}, files=files)
    assert response.status_code == 200, response.text
    return response.text


def test_a_csv_keeps_good_rows_and_names_each_bad_line(owner_client: TestClient, engine: Engine) -> None:
    page = text(upload(owner_client))
    assert "Kept 2 rows (2 new, 0 updated)" in page
    assert "the good rows were kept" in page
    assert "Line 3: title" in page and "Line 4: price" in page and "Line 6: currency" in page
    assert "XXX is not an ISO 4217 currency code" in page
    listing = text(owner_client.get("/gifting/products").text)
    assert "Face oil" in listing and "€24.00" in listing and "No store is connected" in listing
    assert "Decimal(" not in listing and "None" not in listing
    again = text(upload(owner_client))  # the same file again updates by SKU
    assert "Kept 2 rows (0 new, 2 updated)" in again
    with session_scope(engine) as session:
        assert len(list(session.scalars(select(GiftProduct)))) == 2


def test_a_product_typed_by_hand_and_its_mistakes(owner_client: TestClient) -> None:
    bad = post(owner_client, "/gifting/products", "/gifting/products", {"title": "", "price": "-3"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    shown = text(bad.text)  # type: ignore[attr-defined]
    assert "Nothing was added" in shown
    ok = post(owner_client, "/gifting/products", "/gifting/products",
              {"title": "Serum", "variant_title": "15 ml", "price": "19.90", "currency": "eur"})  # fmt: skip
    assert ok.status_code == 303  # type: ignore[attr-defined]
    assert "Serum" in text(owner_client.get("/gifting/products").text)


def _plan(client: TestClient, world: World, engine: Engine) -> str:
    page = f"/campaigns/{world.campaign_id}/collaborations/{world.collaboration_id}/gift"
    with session_scope(engine) as session:
        ids = {p.sku: p.id for p in session.scalars(select(GiftProduct))}
    response = post(client, page, page, {f"qty_{ids['FO-30']}": "2", f"qty_{ids['EVIL']}": "1", "note": "Thanks!"})
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    return page


def _gift(engine: Engine) -> Gift:
    with session_scope(engine) as session:
        gift = session.scalar(select(Gift))
        assert gift is not None
        session.expunge(gift)
        return gift


def test_a_warehouse_gift_from_plan_to_thank_you(owner_client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine)
    upload(owner_client)
    page = _plan(owner_client, world, engine)
    shown = text(owner_client.get(page).text)
    assert "2 × Face oil (30 ml)" in shown and "Waiting for the creator's address" in shown
    gift = _gift(engine)
    refused = post(owner_client, page, f"/gifts/{gift.id}/status", {"status": "ordered"})
    assert refused.status_code == 400 and "Waiting for the creator's address" in text(refused.text)  # type: ignore[attr-defined]
    typed = post(owner_client, page, f"/gifts/{gift.id}/address",
                 {"name": "Maya Lind", "line1": "Lindenstraße 5", "postal_code": "10969", "city": "Berlin", "country": "DE"})  # fmt: skip
    assert typed.status_code == 303  # type: ignore[attr-defined]
    assert "Typed by the brand" in text(owner_client.get(page).text)
    assert post(owner_client, page, f"/gifts/{gift.id}/status", {"status": "ordered"}).status_code == 303  # type: ignore[attr-defined]
    assert _gift(engine).status is GiftStatus.ordered
    rows = list(csv.reader(io.StringIO(owner_client.get(f"/campaigns/{world.campaign_id}/gifts.csv").text)))
    assert rows[0][:5] == ["gift_id", "campaign", "creator", "handle", "product"]
    assert [(r[4], r[7], r[9]) for r in rows[1:]] == [
        ("Face oil", "2", "Lindenstraße 5"),
        ('\'=HYPERLINK("http://evil.test")', "1", "Lindenstraße 5"),
    ]  # one row per gift line; a formula is text
    with session_scope(engine) as session:
        entry = session.scalar(select(LedgerEntry))
        assert entry is not None and (entry.kind, entry.amount) == (EntryKind.gift, Decimal("53.00"))
    bad = post(owner_client, page, f"/gifts/{gift.id}/status", {"status": "shipped", "tracking_url": "javascript:x"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    shipped = post(owner_client, page, f"/gifts/{gift.id}/status",
                   {"status": "shipped", "tracking_number": "00340434161094042557", "carrier": "DHL",
                    "tracking_url": "https://www.dhl.de/track?piececode=00340434161094042557"})  # fmt: skip
    assert shipped.status_code == 303  # type: ignore[attr-defined]
    assert post(owner_client, page, f"/gifts/{gift.id}/status", {"status": "delivered"}).status_code == 303  # type: ignore[attr-defined]
    after = text(owner_client.get(page).text)
    assert "Shipped" in after and "with DHL" in after and "nothing is sent until you press send" in after
    with session_scope(engine) as session:
        assert session.scalar(select(OutboundMessage)) is None  # drafted, not sent
    sent = post(owner_client, page, f"/gifts/{gift.id}/thanks",
                {"subject": "Thank you, Maya!", "body": "Hi Maya, so glad it arrived. No obligation at all."})  # fmt: skip
    assert sent.status_code == 303  # type: ignore[attr-defined]
    again = post(owner_client, page, f"/gifts/{gift.id}/thanks", {"subject": "Again", "body": "Again"})
    assert again.status_code == 400  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        [message] = list(session.scalars(select(OutboundMessage)))
        assert (message.to_email, message.status) == ("maya.makes@creator.test", MessageStatus.queued)
        kinds = list(session.scalars(select(Touchpoint.kind).order_by(Touchpoint.id)))
    assert kinds == ["gift_planned", "gift_ordered", "gift_shipped", "gift_delivered", "thank_you_sent"]
    listing = text(owner_client.get(f"/campaigns/{world.campaign_id}/gifts").text)
    assert "Delivered" in listing and "00340434161094042557" in listing


def test_another_workspace_finds_no_gift(owner_client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine)
    upload(owner_client)
    page = _plan(owner_client, world, engine)
    gift = _gift(engine)
    other = pages_client(engine, settings, "owner@other.test", "Other")
    assert other.get(page).status_code == 404
    assert other.get(f"/campaigns/{world.campaign_id}/gifts").status_code == 404
    assert other.get(f"/campaigns/{world.campaign_id}/gifts.csv").status_code == 404
    token = csrf_from(other.get("/gifting/products").text)
    for url, data in (
        (f"/gifts/{gift.id}/status", {"status": "ordered"}),
        (f"/gifts/{gift.id}/address", {"name": "X", "line1": "Y", "postal_code": "1", "city": "Z", "country": "DE"}),
        (f"/gifts/{gift.id}/thanks", {"subject": "S", "body": "B"}),
        (f"/gifts/{gift.id}/tracking-from-store", {}),
        (page, {"qty_1": "1"}),
        (f"/gifting/products/{gift.id}/remove", {}),
    ):
        assert other.post(url, data={**data, "csrf_token": token}).status_code == 404, url
    assert _gift(engine).status is GiftStatus.planned
    assert "Face oil" not in other.get("/gifting/products").text
