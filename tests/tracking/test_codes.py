"""Promo codes per creator and campaign: readable, collision-free, issued for a roster in one click, created in
the store through discountCodeBasicCreate (recorded shapes) or exported as CSV, assignable, isolated by workspace."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.config import Settings
from grassroots.connectors import service as connectors
from grassroots.db.session import session_scope
from grassroots.errors import InvalidInput
from grassroots.jobs.models import Job
from grassroots.outreach.models import Touchpoint
from grassroots.tracking import pages
from grassroots.tracking.codes import CREATE_JOB, candidates, checked_code, stem
from grassroots.tracking.jobs import create_in_store
from grassroots.tracking.models import CommerceSource, DiscountKind, PromoCode, StoreStatus
from grassroots.tracking.records import CustomerRecord, OrderRecord, PromoCodeRecord
from grassroots.tracking.service import save_promo_code, store_orders
from tests.campaigns.factory import make_campaign, make_creator, other_client
from tests.connectors.shopify.test_connector import SECRETS, SHOP, fixture
from tests.support import api_headers, csrf_from, workspace_id


def test_codes_read_like_the_creator_and_the_discount() -> None:
    assert stem("Maya Ortiz") == "MAYA" and stem("Zoë", "zoe.bakes") == "ZOE" and stem("", "@x") == "CODE"
    assert stem(None, "lena_makes") == "LENA"
    first = candidates("MAYA", "15")
    assert [next(first) for _ in range(3)] == ["MAYA15", "MAYA152", "MAYA153"]
    assert checked_code(" maya-15 ") == "MAYA-15"
    for unsafe in ("=HYPERLINK(1)", "MA YA", "-MAYA", "MAYA<15>", "AB", "X" * 33, "MAYA'15"):
        with pytest.raises(InvalidInput):
            checked_code(unsafe)


def _roster(engine: Engine) -> tuple[int, list[int]]:
    maya, maya_lee = make_creator(engine, "Maya Ortiz", "maya.bakes"), make_creator(engine, "=Maya Lee", "mayalee")
    return make_campaign(engine, roster=[maya, maya_lee]), [maya, maya_lee]


def _issue(client: TestClient, **data: Any) -> Any:
    token = csrf_from(client.get("/tracking/codes").text)
    return client.post("/tracking/codes/issue", data={"csrf_token": token, "kind": "percentage", "value": "15", **data})


def test_roster_in_one_click_never_collides_and_exports_a_safe_csv(owner_client: TestClient, engine: Engine) -> None:
    campaign, creators = _roster(engine)
    with session_scope(engine) as session:  # a store code that differs only in case
        record = PromoCodeRecord(CommerceSource.shopify, "maya15", DiscountKind.percentage, Decimal(15), "gid://1")
        save_promo_code(session, workspace_id(engine), record)
    assert _issue(owner_client, campaign_id=str(campaign)).status_code == 303
    page = owner_client.get("/tracking/codes").text
    assert "2 code(s) ready: MAYA152, MAYA153" in page and "no shop connected: create it from the CSV" in page
    assert _issue(owner_client, campaign_id=str(campaign)).status_code == 303  # again: the same codes
    with session_scope(engine) as session:
        issued = session.scalars(select(PromoCode).where(PromoCode.campaign_id == campaign)).all()
        assert sorted(p.code for p in issued) == ["MAYA152", "MAYA153"]
        assert {p.creator_id for p in issued} == set(creators) and {p.store_status for p in issued} == {
            StoreStatus.export
        }
        touch = session.scalars(select(Touchpoint).where(Touchpoint.kind == "code_issued")).all()
        assert sorted(t.summary for t in touch) == [
            "Promo code MAYA152 issued (15% off)",
            "Promo code MAYA153 issued (15% off)",
        ]
    rows = list(csv.reader(io.StringIO(owner_client.get("/tracking/codes.csv").text)))
    assert rows[0] == ["code", "kind", "value", "creator", "campaign", "store_status"]
    assert ["MAYA153", "percentage", "15.00", "'=Maya Lee", "Serum seeding", "export"] in rows


def test_bad_input_is_explained_and_nothing_is_issued(owner_client: TestClient, engine: Engine) -> None:
    campaign, _ = _roster(engine)
    bad = _issue(owner_client, campaign_id=str(campaign), value="150")
    assert bad.status_code == 400 and "No code was issued: between 0 and 100" in bad.text
    assert "Traceback" not in bad.text and "InvalidInput" not in bad.text
    assert _issue(owner_client, value="10").status_code == 400
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(PromoCode)) == 0


class FakeStore:
    """Answers discountCodeBasicCreate as recorded: the first code taken, the next one created."""

    def __init__(self, taken: int = 1) -> None:
        self.taken = taken
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        assert "discountCodeBasicCreate" in body["query"]
        if self.taken:
            self.taken -= 1
            return httpx.Response(200, json=fixture("discount_code_basic_taken.json"))
        return httpx.Response(200, json=fixture("discount_code_basic_created.json"))


def test_connected_store_gets_the_code_through_graphql_once(engine: Engine, settings: Settings) -> None:
    campaign, _ = _roster(engine)
    with session_scope(engine) as session:  # no app here: its embedded job runner would call the real store
        connectors.connect(session, workspace_id(engine), "shopify", SECRETS, {"shop": SHOP}, settings=settings)
        issued = pages.issue_codes(session, workspace_id(engine), kind="percentage", value="15", actor="t@brand.test",
                                   campaign_id=campaign)  # fmt: skip
        assert [(p.code, p.store_status) for p in issued] == [
            ("MAYA15", StoreStatus.pending),
            ("MAYA152", StoreStatus.pending),
        ]
    store = FakeStore(taken=1)
    with session_scope(engine) as session:
        jobs = session.scalars(select(Job).where(Job.kind == CREATE_JOB)).all()
        assert len(jobs) == 2
        first = min(int(j.payload["promo_code_id"]) for j in jobs)
        promo = create_in_store(session, settings, first, httpx.MockTransport(store))
        assert promo is not None
        # MAYA15 is taken in the store, MAYA152 by the roster's other creator: the next free one.
        assert (promo.code, promo.store_status) == ("MAYA153", StoreStatus.created)
        assert promo.external_id == "gid://shopify/DiscountCodeNode/1057371260"
    sent = store.bodies[0]["variables"]["basicCodeDiscount"]
    assert sent["code"] == "MAYA15" and sent["customerGets"]["value"] == {"percentage": 0.15}
    assert sent["context"] == {"all": "ALL"} and store.bodies[1]["variables"]["basicCodeDiscount"]["code"] == "MAYA153"
    with session_scope(engine) as session:  # a second run asks the store nothing
        create_in_store(session, settings, first, httpx.MockTransport(store))
    assert len(store.bodies) == 2


def test_an_imported_code_is_assigned_to_a_creator_from_the_page(owner_client: TestClient, engine: Engine) -> None:
    maya = make_creator(engine, "Maya Ortiz", "maya.bakes")
    with session_scope(engine) as session:
        record = PromoCodeRecord(CommerceSource.shopify, "spring20", DiscountKind.percentage, Decimal(20), "gid://2")
        code_id = save_promo_code(session, workspace_id(engine), record)[0].id
    page = owner_client.get("/tracking/codes").text
    assert "SPRING20" in page and "from the store" in page
    token = csrf_from(page)
    assert (
        owner_client.post(
            f"/tracking/codes/{code_id}/assign", data={"csrf_token": token, "creator_id": str(maya)}
        ).status_code
        == 303
    )
    assert "SPRING20 assigned." in owner_client.get("/tracking/codes").text
    with session_scope(engine) as session:
        assert session.get_one(PromoCode, code_id).creator_id == maya
        assert (
            session.scalar(select(func.count()).select_from(Touchpoint).where(Touchpoint.kind == "code_assigned")) == 1
        )
    overview = owner_client.get("/tracking").text
    assert "SPRING20" in overview and "Maya Ortiz" in overview and "Nothing here yet" not in overview
    assert 'href="/tracking/links"' in overview and 'href="/tracking/attribution"' in overview


def test_another_workspace_cannot_see_issue_or_assign(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    campaign, creators = _roster(engine)
    _issue(owner_client, campaign_id=str(campaign))
    with session_scope(engine) as session:
        code_id = session.scalars(select(PromoCode.id)).first()
    other = other_client(engine, settings)
    token = csrf_from(other.get("/tracking/codes").text)
    assert "<code>MAYA15</code>" not in other.get("/tracking/codes").text and other.get("/api/v1/codes").json() == []
    assert other.post("/tracking/codes/issue", data={"csrf_token": token, "campaign_id": str(campaign),
                                                     "kind": "percentage", "value": "15"}).status_code == 404  # fmt: skip
    assert (
        other.post(f"/tracking/codes/{code_id}/assign", data={"csrf_token": token, "creator_id": ""}).status_code == 404
    )
    headers = api_headers(other)
    assert (
        other.post("/api/v1/codes", headers=headers, json={"campaign_id": campaign, "value": "15"}).status_code == 404
    )
    assert other.post(f"/api/v1/codes/{code_id}/assign", headers=headers, json={"creator_id": None}).status_code == 404
    mine = make_creator(engine, "Olga", "olga", ws="Other")
    assert owner_client.post(f"/api/v1/codes/{code_id}/assign", headers=api_headers(owner_client),
                             json={"creator_id": mine}).status_code == 404  # fmt: skip
    with session_scope(engine) as session:
        assert session.get_one(PromoCode, code_id).creator_id in creators


def test_the_api_lists_and_issues_codes(owner_client: TestClient, engine: Engine) -> None:
    campaign, _ = _roster(engine)
    made = owner_client.post("/api/v1/codes", headers=api_headers(owner_client),
                             json={"campaign_id": campaign, "kind": "fixed_amount", "value": "10"})  # fmt: skip
    assert made.status_code == 201
    assert [(c["code"], c["store_status"], c["value"]) for c in made.json()] == [
        ("MAYA10", "export", "10.00"),
        ("MAYA102", "export", "10.00"),
    ]
    listed = owner_client.get("/api/v1/codes").json()
    assert {c["code"]: (c["orders"], c["revenue"]) for c in listed} == {"MAYA10": (0, "0.00"), "MAYA102": (0, "0.00")}
    bad = owner_client.post("/api/v1/codes", headers=api_headers(owner_client), json={"collaboration_ids": [1],
                            "value": "5", "code": "=SUM(A1)"})  # fmt: skip
    assert bad.status_code == 422 and "use only A-Z, 0-9, - and _" in bad.text


def test_a_creator_code_used_by_many_new_customers_without_a_link_is_flagged(
    owner_client: TestClient, engine: Engine
) -> None:
    maya = make_creator(engine, "Maya Ortiz", "maya.bakes")
    now = datetime.now(UTC)

    def orders(first: int, count: int, landing: str | None = None) -> list[OrderRecord]:
        return [
            OrderRecord(CommerceSource.shopify, str(n), f"#{n}", now - timedelta(hours=n), "EUR", Decimal(30),
                        Decimal(30), email=f"buyer{n}@example.com", discount_codes=["MAYA15"], landing_site=landing,
                        customer=CustomerRecord(CommerceSource.shopify, f"c{n}", f"buyer{n}@example.com"))
            for n in range(first, first + count)
        ]  # fmt: skip

    with session_scope(engine) as session:
        record = PromoCodeRecord(CommerceSource.shopify, "MAYA15", DiscountKind.percentage, Decimal(15), "gid://3")
        save_promo_code(session, workspace_id(engine), record, creator_id=maya)
        store_orders(session, workspace_id(engine), orders(1, 4) + orders(10, 3, "/?gr_click=abc"))
    assert "may be posted on a coupon site" not in owner_client.get("/tracking/codes").text  # 4 cold, 3 via a link
    with session_scope(engine) as session:
        store_orders(session, workspace_id(engine), orders(5, 1))
    page = owner_client.get("/tracking/codes").text
    assert "5 new customers used MAYA15 in the last 7 days without a tracked link" in page
