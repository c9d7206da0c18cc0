"""The store: products paged from the GraphQL Admin API, and gift orders made exactly once as zero-priced drafts."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import EntryKind, LedgerEntry
from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.gifting import catalogue, ordering, service
from grassroots.gifting.models import Fulfilment, Gift, GiftProduct, GiftStatus, ProductSource
from grassroots.gifting.schemas import AddressIn, GiftIn, LineIn, ProductIn
from grassroots.jobs.models import Job, JobStatus
from grassroots.jobs.runner import Runner
from grassroots.outreach.models import Touchpoint
from tests.gifting.conftest import FakeShop, World, connect_shop
from tests.support import csrf_from

BRAND = Actor("owner@brand.test")


def refresh(engine: Engine, settings: Settings, world: World) -> None:
    with session_scope(engine) as session:
        catalogue.request_refresh(session, world.workspace_id)
    Runner(engine, settings).run_due()


def products(engine: Engine) -> dict[str, GiftProduct]:
    with session_scope(engine) as session:
        rows = list(session.scalars(select(GiftProduct).where(GiftProduct.active.is_(True))))
        session.expunge_all()
    return {p.sku or p.title: p for p in rows}


def test_products_are_read_page_by_page_into_the_cached_list(
    engine: Engine, settings: Settings, world: World, fake_shop: FakeShop
) -> None:
    connect_shop(engine, settings)
    with session_scope(engine) as session:  # a product kept by hand stays beside the store's
        catalogue.save_product(session, world.workspace_id, ProductIn(title="Tote bag"), ProductSource.manual)
    refresh(engine, settings, world)
    pages = fake_shop.operations("GiftProducts")
    assert [p["after"] for p in pages] == [None, "eyJsYXN0X2lkIjoxMDg4MjgzMDksImxhc3RfdmFsdWUiOiJGYWNlIG9pbCJ9"]
    stored = products(engine)
    assert set(stored) == {"FO-30", "FO-50", "Gift card sleeve", "LB-1", "Tote bag"}
    oil = stored["FO-50"]
    assert (oil.title, oil.variant_title, oil.price, oil.currency) == ("Face oil", "50 ml", Decimal("34.50"), "EUR")
    assert oil.variant_gid == "gid://shopify/ProductVariant/43729077"
    assert oil.image_url is not None and oil.image_url.startswith("https://cdn.shopify.com/")
    assert stored["LB-1"].variant_title is None and stored["LB-1"].image_url is None  # "Default Title", no preview
    # A second refresh updates rows in place; nothing is duplicated.
    refresh(engine, settings, world)
    assert len(products(engine)) == 5


def plan_store_gift(engine: Engine, world: World, with_address: bool = True) -> int:
    with session_scope(engine) as session:
        by_sku = {p.sku: p.id for p in session.scalars(select(GiftProduct))}
        gift = service.plan_gift(
            session, world.workspace_id, world.campaign_id, world.collaboration_id,
            GiftIn(lines=[LineIn(product_id=by_sku["FO-30"], quantity=2), LineIn(product_id=by_sku["LB-1"])]), BRAND,
        )  # fmt: skip
        if with_address:
            address = AddressIn(name="Maya Lind", line1="Lindenstraße 5", city="Berlin", postal_code="10969",
                                country="de", region="BE", phone="+49 30 1234567")  # fmt: skip
            service.set_address(session, world.workspace_id, gift.id, address, BRAND)
        return gift.id


def order(engine: Engine, world: World, gift_id: int) -> None:
    with session_scope(engine) as session:
        ordering.request_order(session, world.workspace_id, gift_id, BRAND)


def gift_row(engine: Engine, gift_id: int) -> Gift:
    with session_scope(engine) as session:
        gift = session.get(Gift, gift_id)
        assert gift is not None
        session.expunge(gift)
        return gift


def test_a_gift_becomes_one_zero_priced_store_order(
    engine: Engine, settings: Settings, world: World, fake_shop: FakeShop
) -> None:
    connect_shop(engine, settings)
    refresh(engine, settings, world)
    gift_id = plan_store_gift(engine, world)
    order(engine, world, gift_id)
    assert gift_row(engine, gift_id).status is GiftStatus.planned  # the job has not run yet
    Runner(engine, settings).run_due()
    [sent] = fake_shop.operations("GiftDraftCreate")
    draft = sent["input"]
    assert draft["lineItems"] == [
        {"variantId": "gid://shopify/ProductVariant/43729076", "quantity": 2,
         "appliedDiscount": {"title": "Gift", "description": "Creator gift (no charge)", "value": 100.0,
                             "valueType": "PERCENTAGE"}},
        {"variantId": "gid://shopify/ProductVariant/498744621", "quantity": 1,
         "appliedDiscount": {"title": "Gift", "description": "Creator gift (no charge)", "value": 100.0,
                             "valueType": "PERCENTAGE"}},
    ]  # fmt: skip
    assert draft["shippingAddress"] == {
        "firstName": "Maya", "lastName": "Lind", "address1": "Lindenstraße 5", "city": "Berlin",
        "provinceCode": "BE", "zip": "10969", "countryCode": "DE", "phone": "+49 30 1234567",
    }  # fmt: skip
    gift = gift_row(engine, gift_id)
    assert draft["tags"] == ["grassroots-gift", gift.store_tag]
    assert draft["note"] == "Gift for @maya.makes, campaign Serum seeding"
    assert "email" not in draft and "shippingLine" not in draft  # no confirmation mail, no shipping charged
    assert len(fake_shop.operations("GiftDraftComplete")) == 1
    assert (gift.status, gift.fulfilment, gift.store_order_name) == (GiftStatus.ordered, Fulfilment.store, "#1001")
    assert gift.draft_order_gid == "gid://shopify/DraftOrder/276395349"
    with session_scope(engine) as session:
        entry = session.scalar(select(LedgerEntry))
        assert entry is not None and entry.id == gift.ledger_entry_id
        assert (entry.kind, entry.amount, entry.currency) == (EntryKind.gift, Decimal("56.90"), "EUR")
        assert entry.created_by == "owner@brand.test" and "store order #1001" in (entry.note or "")
        kinds = list(session.scalars(select(Touchpoint.kind).order_by(Touchpoint.id)))
    assert kinds == ["gift_planned", "gift_ordered"]
    # The job running again (a worker killed after it finished) changes nothing and calls nobody.
    before = len(fake_shop.calls)
    with session_scope(engine) as session:
        session.add(Job(kind=ordering.ORDER_JOB, payload={"gift_id": gift_id}, workspace_id=world.workspace_id,
                        run_at=utcnow(), max_attempts=3, status=JobStatus.queued, attempts=0))  # fmt: skip
    Runner(engine, settings).run_due()
    assert len(fake_shop.calls) == before


def test_a_lost_reply_is_found_again_by_the_gift_tag_not_made_twice(
    engine: Engine, settings: Settings, world: World, fake_shop: FakeShop
) -> None:
    connect_shop(engine, settings)
    refresh(engine, settings, world)
    gift_id = plan_store_gift(engine, world)
    fake_shop.lose_create_replies = 1  # the store made the draft, the answer was lost: the job is retried
    order(engine, world, gift_id)
    runner = Runner(engine, settings)
    runner.run_due()
    assert gift_row(engine, gift_id).draft_order_gid is None and len(fake_shop.drafts) == 1
    runner.run_due(utcnow() + timedelta(minutes=5))
    gift = gift_row(engine, gift_id)
    assert gift.status is GiftStatus.ordered and gift.store_order_name == "#1001"
    lookups = fake_shop.operations("GiftDraftByTag")
    assert lookups[-1] == {"query": f"tag:'{gift.store_tag}'"}
    assert len(fake_shop.operations("GiftDraftComplete")) == 1
    assert len(fake_shop.operations("GiftDraftCreate")) == 1 and len(fake_shop.drafts) == 1


def test_a_failed_completion_completes_the_recorded_draft_on_retry(
    engine: Engine, settings: Settings, world: World, fake_shop: FakeShop
) -> None:
    connect_shop(engine, settings)
    refresh(engine, settings, world)
    gift_id = plan_store_gift(engine, world)
    fake_shop.fail_completes = 6
    order(engine, world, gift_id)
    runner = Runner(engine, settings)
    runner.run_due()
    first = gift_row(engine, gift_id)
    assert first.status is GiftStatus.planned and first.draft_order_gid == "gid://shopify/DraftOrder/276395349"
    runner.run_due(utcnow() + timedelta(minutes=5))
    assert gift_row(engine, gift_id).status is GiftStatus.ordered
    assert len(fake_shop.operations("GiftDraftCreate")) == 1  # never a second store order
    assert fake_shop.operations("GiftDraft") == [{"id": "gid://shopify/DraftOrder/276395349"}]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 1


def test_a_refused_draft_fails_once_with_the_store_reason(
    engine: Engine, settings: Settings, world: World, fake_shop: FakeShop
) -> None:
    connect_shop(engine, settings)
    refresh(engine, settings, world)
    gift_id = plan_store_gift(engine, world)
    fake_shop.refuse_create = True
    order(engine, world, gift_id)
    Runner(engine, settings).run_due()
    gift = gift_row(engine, gift_id)
    assert gift.status is GiftStatus.planned
    assert gift.order_error == "draftOrderCreate: Product with ID 43729076 is no longer available."
    with session_scope(engine) as session:
        job = session.scalar(select(Job).where(Job.kind == ordering.ORDER_JOB))
        assert job is not None and job.status is JobStatus.failed
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_the_pages_refresh_the_store_list_and_create_the_store_order(
    owner_client: TestClient, engine: Engine, settings: Settings, world: World, fake_shop: FakeShop
) -> None:
    connect_shop(engine, settings)
    listing = owner_client.get("/gifting/products").text
    assert "not read yet: press refresh" in " ".join(listing.split())
    token = csrf_from(listing)
    assert owner_client.post("/gifting/products/refresh", data={"csrf_token": token}).status_code == 303
    Runner(engine, settings).run_due()
    shown = " ".join(re.sub(r"<[^>]+>", " ", owner_client.get("/gifting/products").text).split())
    assert "Face oil 50 ml FO-50 €34.50 Store" in shown and "last refreshed" in shown
    assert f'href="/campaigns/{world.campaign_id}/gifts"' in owner_client.get(f"/campaigns/{world.campaign_id}").text
    gift_id = plan_store_gift(engine, world)
    page = f"/campaigns/{world.campaign_id}/collaborations/{world.collaboration_id}/gift"
    ordered = owner_client.post(f"/gifts/{gift_id}/status", data={"status": "ordered", "csrf_token": token})
    assert ordered.status_code == 303
    pending = " ".join(owner_client.get(page).text.split())
    assert "Creating the zero-priced order in the store" in pending
    Runner(engine, settings).run_due()
    done = " ".join(re.sub(r"<[^>]+>", " ", owner_client.get(page).text).split())
    assert "store order #1001" in done and "Mark shipped" in done
    took = owner_client.post(f"/gifts/{gift_id}/tracking-from-store", data={"csrf_token": token})
    assert took.status_code == 303
    assert fake_shop.operations("GiftTracking") == [{"id": "gid://shopify/Order/148977776"}]
    shipped = " ".join(re.sub(r"<[^>]+>", " ", owner_client.get(page).text).split())
    assert "with DHL Express, tracking number 1234567890" in shipped and "Track the parcel" in shipped
    assert gift_row(engine, gift_id).status is GiftStatus.shipped
