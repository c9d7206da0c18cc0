"""Natural advocates and audience overlap through the service, the pages and the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.comments.models import CommentLabel
from grassroots.creators import service as creators
from grassroots.creators.models import Comment, Platform, SocialAccount
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from grassroots.demo.models import DemoTruth
from grassroots.demo.service import DEMO_WORKSPACE, ensure_demo
from grassroots.discovery.advocates import find_advocates
from grassroots.discovery.audience import overlap_for
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking.models import CommerceSource, Customer, Order
from grassroots.workspaces.models import Workspace
from tests.support import api_headers, login, make_user, workspace_id

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
LABEL = {"sentiment_score": 0.9, "emotion": "joy", "purchase_intent": "none", "question_type": "none",
         "request": False, "language": "en", "mode": "fast"}  # fmt: skip


def visible(page: str) -> str:
    """The text a person reads: no tags, no scripts, entities decoded, spaces collapsed."""
    body = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _creator(s: Session, ws: int, name: str, handle: str, followers: int, email: str | None = None) -> tuple[int, int]:
    data = CreatorIn(display_name=name, email=email, accounts=[AccountIn(platform=Platform.instagram, handle=handle,
                                                                         followers=followers)])  # fmt: skip
    creator = creators.create_creator(s, ws, data)
    return creator.id, creator.accounts[0].id


def _order(ws: int, n: int, when: datetime, total: str, customer: int | None, email: str) -> Order:
    return Order(workspace_id=ws, source=CommerceSource.shopify, external_id=f"o{n}", number=f"#{n}",
                 customer_id=customer, email=email, created_at=when, currency="EUR", subtotal=Decimal(total),
                 total=Decimal(total))  # fmt: skip


def seed(engine: Engine, ws_name: str = "Brand") -> dict[str, int]:
    """Ana buys and comments, Bea mentions the brand unpaid, Cy checked out as a guest, Maria has no account.

    Ana and Bea share two of their three commenters; Dee shares none with anyone.
    """
    ws = workspace_id(engine, ws_name)
    ids: dict[str, int] = {}
    with session_scope(engine) as s:
        s.get_one(Workspace, ws).brand_handles = ["@Dewdrop.Skin"]
        for key, name, handle, followers, email in (
            ("ana", "Ana Glow", "ana.glow", 1500, "Ana@Example.com"),
            ("bea", "Bea Stone", "bea.skin", 5000, None),
            ("cy", "Cy Park", "cy.park", 50_000, None),
            ("dee", "Dee Daily", "dee.daily", 3000, None),
            ("brand", "Dewdrop", "dewdrop.skin", 3000, None),
        ):
            ids[key], ids[f"{key}_account"] = _creator(s, ws, name, handle, followers, email)
        ana = Customer(workspace_id=ws, source=CommerceSource.shopify, external_id="c1", email="ana@example.com",
                       name="Ana G", orders_count=3, total_spent=Decimal("142.00"))  # fmt: skip
        maria = Customer(workspace_id=ws, source=CommerceSource.shopify, external_id="c2", email="maria@mail.test",
                         name="Maria Garcia", orders_count=2, total_spent=Decimal("80"))  # fmt: skip
        s.add_all([ana, maria])
        s.flush()
        s.add_all([
            _order(ws, 1, datetime(2026, 11, 2, 9, tzinfo=UTC), "60.00", ana.id, "ana@example.com"),
            _order(ws, 2, datetime(2026, 8, 2, 9, tzinfo=UTC), "82.00", ana.id, "ana@example.com"),
            _order(ws, 3, datetime(2026, 9, 1, 9, tzinfo=UTC), "30.00", None, "Cy.Park@mail.test"),
            _order(ws, 4, datetime(2026, 10, 1, 9, tzinfo=UTC), "45.00", None, "cy.park@mail.test"),
        ])  # fmt: skip
        own = creators.add_post(s, ws, ids["brand_account"], PostIn(caption="new drop", posted_at=NOW))
        fan = creators.add_post(s, ws, ids["bea_account"], PostIn(caption="my routine ✨", mentions=["dewdrop.skin"],
                                                                 posted_at=NOW - timedelta(days=5)))  # fmt: skip
        ana_post = creators.add_post(s, ws, ids["ana_account"], PostIn(caption="hello", posted_at=NOW))
        dee_post = creators.add_post(s, ws, ids["dee_account"], PostIn(caption="hi", posted_at=NOW))
        rows = [(own, "Ana.Glow", "so good"), (own, "dewdrop.skin", "thank you!"), (fan, "fan.one", "love it"),
                (fan, "fan.two", "need"), (fan, "BEA.SKIN", "link below"), (ana_post, "fan.one", "hey"),
                (ana_post, "fan.two", "hi"), (ana_post, "fan.three", "yo"), (dee_post, "other", "nice")]  # fmt: skip
        comments = [Comment(workspace_id=ws, post_id=p.id, author_handle=a, text=t, posted_at=NOW) for p, a, t in rows]
        s.add_all(comments)
        s.flush()
        s.add(CommentLabel(workspace_id=ws, comment_id=comments[0].id, sentiment="positive", **LABEL))
    return ids


def test_find_advocates_ranks_customers_commenters_and_fans(engine: Engine) -> None:
    make_user(engine)
    ids = seed(engine)
    with session_scope(engine) as s:
        page = find_advocates(s, workspace_id(engine), today=NOW)
        tail = find_advocates(s, workspace_id(engine), limit=2, offset=2, today=NOW)
    by_key = {a.key: a for a in page.items}
    assert set(by_key) == {f"creator:{ids['ana']}", f"creator:{ids['bea']}", f"creator:{ids['cy']}", "customer:" + str(
        next(a.key for a in page.items if a.name == "Maria Garcia").split(":")[1])}  # fmt: skip
    ana = by_key[f"creator:{ids['ana']}"]
    assert page.items[0] == ana and ana.matched_by == "email" and ana.signals == ["orders", "comments"]
    assert ana.orders == 3 and ana.spent == 142.0 and ana.positive_comments == 1
    assert "3 orders, €142 spent, last on 2 Nov 2026" in ana.reasons
    assert "1 positive comment about @dewdrop.skin, last on 1 Dec 2026" in ana.reasons
    cy = by_key[f"creator:{ids['cy']}"]  # a guest checkout, matched by the email's local part
    assert cy.matched_by == "handle" and "2 orders, €75 spent, last on 1 Oct 2026" in cy.reasons
    bea = by_key[f"creator:{ids['bea']}"]
    assert (
        bea.signals == ["mentions"] and "Mentioned @dewdrop.skin in 1 unpaid post, last on 26 Nov 2026" in bea.reasons
    )
    maria = next(a for a in page.items if a.name == "Maria Garcia")
    assert maria.creator_id is None and maria.reasons == [
        "Store customer, no social account found",
        "2 orders, €80 spent",
    ]
    assert page.total == 4 and page.creators == 3 and page.brand_handles == ["dewdrop.skin"] and page.has_store
    assert [a.key for a in tail.items] == [a.key for a in page.items[2:4]] and tail.next_offset is None


def test_advocates_page_reads_like_a_person(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    response = owner_client.get("/discovery/advocates")
    assert response.status_code == 200
    text = visible(response.text)
    assert "Natural advocates" in text and "Brand handles: @dewdrop.skin" in text
    assert "Store customer, matched to this creator by email" in text
    assert "3 orders, €142 spent, last on 2 Nov 2026" in text
    assert "Mentioned @dewdrop.skin in 1 unpaid post" in text
    assert "Store customer, no social account found" in text
    assert f'href="/creators/{ids["ana"]}"' in response.text and "Micro-micro" in text
    for leak in ("None", "object at", "<", "[]", "{'"):
        assert leak not in text, leak
    assert not re.search(r"\bnan\b", text)
    assert owner_client.get("/discovery/advocates?page=0").status_code == 422


def test_empty_advocates_page_says_where_advocates_come_from(owner_client: TestClient) -> None:
    page = owner_client.get("/discovery/advocates").text
    text = visible(page)
    assert "No advocates yet." in text and "No brand handles set." in text and "No store data yet." in text
    assert 'href="/settings/brand"' in page and 'href="/connections"' in page and "None" not in text


def test_advocates_api_pages_with_limit_and_offset(owner_client: TestClient, engine: Engine) -> None:
    seed(engine)
    data = owner_client.get("/api/v1/discovery/advocates?limit=1&offset=1").json()
    assert data["total"] == 4 and data["limit"] == 1 and data["offset"] == 1 and len(data["items"]) == 1
    first = owner_client.get("/api/v1/discovery/advocates").json()["items"][0]
    assert first["matched_by"] == "email" and first["reasons"][0] == "Store customer, matched to this creator by email"
    bad = owner_client.get("/api/v1/discovery/advocates?limit=0")
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


def test_overlap_counts_shared_engaged_commenters(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    body = {"creator_ids": [ids["ana"], ids["bea"], ids["dee"]]}
    data = owner_client.post("/api/v1/discovery/overlap", json=body, headers=api_headers(owner_client)).json()
    # Ana: fan.one, fan.two, fan.three; Bea: fan.one, fan.two (her own reply is not audience); Dee: other.
    assert [c["audience"] for c in data["creators"]] == [3, 2, 1]
    assert data["shared"] == [[3, 2, 0], [2, 2, 0], [0, 0, 1]]
    assert data["overlap"][0] == [None, 1.0, 0.0]
    assert len(data["pairs"]) == 1
    pair = data["pairs"][0]
    assert (pair["a"]["id"], pair["b"]["id"], pair["shared"], pair["overlap"]) == (ids["ana"], ids["bea"], 2, 1.0)
    assert pair["jaccard"] == pytest.approx(2 / 3)
    page = owner_client.get(f"/discovery/overlap?ids={ids['ana']},{ids['bea']},{ids['dee']}")
    text = visible(page.text)
    assert page.status_code == 200 and "Most overlapping pairs" in text and 'id="overlap-data"' in page.text
    assert "Ana Glow" in text and "100.0 %" in text and "/static/overlap.js" in page.text and "None" not in text
    assert owner_client.get("/discovery/overlap?ids=1,x").status_code == 422
    assert "Pick at least two creators" in owner_client.get("/discovery/overlap").text


def test_overlap_refuses_more_than_200_creators(engine: Engine) -> None:
    make_user(engine)
    with session_scope(engine) as s, pytest.raises(InvalidInput):
        overlap_for(s, workspace_id(engine), list(range(1, 202)))


def test_another_workspace_sees_no_advocates_and_no_overlap(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    ids = seed(engine)
    make_user(engine, "b@other.test", ws="Other")
    with session_scope(engine) as s:
        assert find_advocates(s, workspace_id(engine, "Other")).total == 0
        with pytest.raises(NotFound):
            overlap_for(s, workspace_id(engine, "Other"), [ids["ana"], ids["bea"]])
    login(client, "b@other.test")
    text = visible(client.get("/discovery/advocates").text)
    assert "No advocates yet." in text and "Ana Glow" not in text and "€142" not in text
    assert client.get("/api/v1/discovery/advocates").json()["total"] == 0
    body = {"creator_ids": [ids["ana"], ids["bea"]]}
    answer = client.post("/api/v1/discovery/overlap", json=body, headers=api_headers(client))
    assert answer.status_code == 404 and "Ana" not in answer.text
    assert client.get(f"/discovery/overlap?ids={ids['ana']},{ids['bea']}").status_code == 404


def test_the_demo_brands_customers_and_fans_are_found(engine: Engine, tmp_path: Path) -> None:
    """The synthetic demo plants creators who shop at the store and fans who mention the brand: all are found."""
    with session_scope(engine) as s:
        ensure_demo(s, tmp_path, creators=150, seed=8, today=date(2026, 5, 1))
    with session_scope(engine) as s:
        ws = s.scalars(select(Workspace.id).where(Workspace.name == DEMO_WORKSPACE)).one()
        planted = s.execute(
            select(DemoTruth.label, SocialAccount.creator_id)
            .join(SocialAccount, SocialAccount.id == DemoTruth.account_id)
            .where(DemoTruth.label.in_(["customer_creator", "brand_fan"]))
        ).all()
        page = find_advocates(s, ws, limit=500, today=datetime(2026, 5, 1, 12, tzinfo=UTC))
    found = {a.creator_id: a for a in page.items if a.creator_id}
    assert {label for label, _ in planted} == {"customer_creator", "brand_fan"}
    assert {creator for _, creator in planted} <= set(found)
    expected = {"customer_creator": {"orders"}, "brand_fan": {"mentions", "comments"}}
    assert all(expected[label] & set(found[creator].signals) for label, creator in planted)
