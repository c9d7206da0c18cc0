"""Connecting from the web: the form asks for the provider's fields, rejects bad input, never echoes secrets."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.models import Connection
from grassroots.db.session import session_scope
from grassroots.workspaces.models import Role
from tests.support import csrf_from, login, make_user


def test_connect_form_validates_stores_encrypted_and_lists(owner_client: TestClient, engine: Engine) -> None:
    page = owner_client.get("/connections/new?provider=shopify")
    assert page.status_code == 200
    assert 'name="access_token" type="password"' in page.text and 'name="shop"' in page.text
    token = csrf_from(page.text)
    bad = owner_client.post(
        "/connections/new",
        data={
            "csrf_token": token,
            "provider": "shopify",
            "access_token": "shpat_secret_123",
            "shop": "my.myshopify.com",
        },
    )
    assert bad.status_code == 400 and "App client secret: required" in bad.text
    assert "shpat_secret_123" not in bad.text and 'value="my.myshopify.com"' in bad.text
    ok = owner_client.post(
        "/connections/new",
        data={
            "csrf_token": token,
            "provider": "shopify",
            "label": "Main shop",
            "access_token": "shpat_secret_123",
            "client_secret": "whsec",
            "shop": "my.myshopify.com",
        },
    )
    assert ok.status_code == 303 and ok.headers["location"].startswith("/connections?connected=")
    listing = owner_client.get(ok.headers["location"]).text
    assert "Main shop" in listing and "shpat_secret_123" not in listing
    with session_scope(engine) as s:
        connection = s.scalars(select(Connection)).one()
        assert b"shpat_secret_123" not in connection.secret
        assert (
            decrypt_secret(connection.secret, settings=owner_client.app.state.settings)["access_token"]
            == "shpat_secret_123"
        )  # type: ignore[attr-defined]
        assert connection.config["shop"] == "my.myshopify.com"
    unknown = owner_client.get("/connections/new?provider=myspace")
    assert unknown.status_code == 404


def test_viewers_cannot_connect(client: TestClient, engine: Engine) -> None:
    make_user(engine, "viewer@brand.test", Role.viewer)
    login(client, "viewer@brand.test")
    assert client.get("/connections/new").status_code == 403
    assert "Connect a platform" not in client.get("/connections").text


def test_connect_form_speaks_to_people(owner_client: TestClient) -> None:
    empty = owner_client.get("/connections").text
    assert 'href="/connections/new"' in empty[empty.index('class="empty"') :]  # reachable from the empty page
    assert "grassroots connect" not in empty[empty.index('class="empty"') :]
    page = owner_client.get("/connections/new?provider=shopify").text
    assert "Connect Shopify" in page and "read_all_orders" in page  # the permissions it needs
    assert ">Access token <span" in page and ">access_token" not in page  # labels, not config keys
    shop = page[page.index("Shop domain") :]
    assert 'class="required"' in shop[:200] and 'name="shop"' in shop and " required" in shop[: shop.index("</label>")]
    assert "(optional)" not in shop[: shop.index("</label>")]
    assert "docs/connectors.md" not in page
    assert "Connect TikTok" in owner_client.get("/connections/new?provider=tiktok").text
