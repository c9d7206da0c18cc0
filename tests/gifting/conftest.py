"""A recorded-shape Shopify Admin GraphQL server for gifting, and a campaign with one creator to gift."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Collaboration
from grassroots.config import Settings
from grassroots.connectors import service as connectors
from grassroots.connectors.shopify.connector import ShopifyConnector
from grassroots.creators.models import Creator
from grassroots.db.session import session_scope
from grassroots.gifting import shop
from grassroots.jobs.runner import load_handlers
from tests.campaigns.factory import make_campaign, make_creator
from tests.support import FIXTURES, workspace_id

load_handlers()
SHOP = "brand-test.myshopify.com"
SECRETS = {"access_token": "shpat_0123456789abcdef", "client_secret": "shpss_fedcba9876543210"}
_OPERATION = re.compile(r"(?:query|mutation)\s+(\w+)")


def fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / "shopify" / name).read_text()))


@dataclass
class FakeShop:
    """Answers the gifting GraphQL operations with the recorded shapes; keeps the drafts it made."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    drafts: list[dict[str, Any]] = field(default_factory=list)
    lose_create_replies: int = 0  # the draft is made, then the answer is lost (502) this many times
    fail_completes: int = 0  # draftOrderComplete answers 502 this many times
    refuse_create: bool = False

    def operations(self, name: str) -> list[dict[str, Any]]:
        return [variables for op, variables in self.calls if op == name]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == SHOP and request.url.path.endswith("/graphql.json")
        assert request.headers["X-Shopify-Access-Token"] == SECRETS["access_token"]
        body = json.loads(request.content)
        match = _OPERATION.search(body["query"])
        assert match, body["query"]
        name, variables = match.group(1), body["variables"]
        self.calls.append((name, variables))
        return getattr(self, f"_{name}")(variables)

    def _GiftProducts(self, variables: dict[str, Any]) -> httpx.Response:
        page = "graphql_gift_products_page2.json" if variables["after"] else "graphql_gift_products_page1.json"
        return httpx.Response(200, json=fixture(page))

    def _node(self) -> dict[str, Any]:
        draft = self.drafts[0]
        if draft["completed"]:
            return fixture("graphql_draft_order_completed.json")["data"]["draftOrderComplete"]["draftOrder"]
        return fixture("graphql_draft_order_open.json")["data"]["draftOrder"]

    def _GiftDraftByTag(self, variables: dict[str, Any]) -> httpx.Response:
        found = [d for d in self.drafts if any(f"tag:'{t}'" == variables["query"] for t in d["input"]["tags"])]
        if not found:
            return httpx.Response(200, json=fixture("graphql_draft_orders_none.json"))
        answer = fixture("graphql_draft_orders_none.json")
        answer["data"]["draftOrders"]["nodes"] = [self._node()]
        return httpx.Response(200, json=answer)

    def _GiftDraft(self, variables: dict[str, Any]) -> httpx.Response:
        answer = fixture("graphql_draft_order_open.json")
        answer["data"]["draftOrder"] = self._node() if self.drafts else None
        return httpx.Response(200, json=answer)

    def _GiftDraftCreate(self, variables: dict[str, Any]) -> httpx.Response:
        if self.refuse_create:
            return httpx.Response(200, json=fixture("graphql_draft_order_user_errors.json"))
        self.drafts.append({"input": variables["input"], "completed": False})
        if self.lose_create_replies:
            self.lose_create_replies -= 1
            return httpx.Response(502, json={"errors": "Bad Gateway"})
        return httpx.Response(200, json=fixture("graphql_draft_order_created.json"))

    def _GiftTracking(self, variables: dict[str, Any]) -> httpx.Response:
        return httpx.Response(200, json=fixture("graphql_gift_order_fulfilled.json"))

    def _GiftDraftComplete(self, variables: dict[str, Any]) -> httpx.Response:
        if self.fail_completes:
            self.fail_completes -= 1
            return httpx.Response(502, json={"errors": "Bad Gateway"})
        self.drafts[0]["completed"] = True
        return httpx.Response(200, json=fixture("graphql_draft_order_completed.json"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """No embedded job runner: the tests run jobs themselves, at the moments they choose."""
    return Settings(data_dir=tmp_path, secret_key="test-secret", jobs_in_server=False)


@pytest.fixture
def fake_shop(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeShop]:
    """Every store call of gifting goes to a FakeShop; retries do not wait."""
    fake = FakeShop()
    real = shop.connector

    def quick(connection: Any, settings: Settings) -> ShopifyConnector:
        made = real(connection, settings)
        made.client.sleep = lambda seconds: None
        return made

    monkeypatch.setattr(shop, "TRANSPORT", httpx.MockTransport(fake))
    monkeypatch.setattr(shop, "connector", quick)
    yield fake


def connect_shop(engine: Engine, settings: Settings, ws: str = "Brand") -> int:
    """A Shopify connection (GraphQL) in the workspace."""
    with session_scope(engine) as session:
        connection = connectors.connect(session, workspace_id(engine, ws), "shopify", SECRETS,
                                        {"shop": SHOP, "api": "graphql"}, settings=settings)  # fmt: skip
        return connection.id


@dataclass(frozen=True)
class World:
    """A seeding campaign with one creator (with an email) on its roster."""

    workspace_id: int
    campaign_id: int
    collaboration_id: int
    creator_id: int


def make_world(engine: Engine, ws: str = "Brand", handle: str = "maya.makes") -> World:
    creator_id = make_creator(engine, "Maya Lind", handle, ws=ws)
    with session_scope(engine) as session:
        creator = session.get(Creator, creator_id)
        assert creator is not None
        creator.email = f"{handle}@creator.test"
    campaign_id = make_campaign(engine, ws=ws, roster=[creator_id])
    with session_scope(engine) as session:
        collab = session.scalar(select(Collaboration).where(Collaboration.campaign_id == campaign_id))
        assert collab is not None
        return World(workspace_id(engine, ws), campaign_id, collab.id, creator_id)


@pytest.fixture
def world(engine: Engine) -> World:
    return make_world(engine)


def pages_client(engine: Engine, settings: Settings, email: str, ws: str) -> TestClient:
    from grassroots.web.app import create_app
    from tests.support import login, make_user

    make_user(engine, email, ws=ws)
    client = TestClient(create_app(engine, settings), follow_redirects=False)
    login(client, email)
    return client
