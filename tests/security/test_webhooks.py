"""Webhooks between two workspaces: nobody writes into another's data, ids never collide, nothing is lost.

Each test stands for a finding of the security review (docs/security.md) and fails without its fix.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.config import Settings
from grassroots.connectors import service
from grassroots.connectors.models import WebhookDelivery
from grassroots.creators.models import Comment
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.creators.service import add_post, create_creator
from grassroots.db.session import session_scope
from grassroots.tracking.models import Customer, Order
from tests.support import FIXTURES, workspace_id

SHOP = "brand-test.myshopify.com"
STORE = "https://shop.brand.test"
IG_A, IG_B = "17841400000000001", "17841400000000002"


def connect(
    engine: Engine, settings: Settings, ws: str, provider: str, secrets: dict[str, str], config: dict[str, str]
) -> int:
    with session_scope(engine) as session:
        return service.connect(session, workspace_id(engine, ws), provider, secrets, config, settings=settings).id


def b64(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def shopify(
    client: TestClient, body: bytes, webhook_id: str, secret: str, shop: str = SHOP, topic: str = "orders/create"
) -> httpx.Response:
    headers = {"X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": shop, "X-Shopify-Webhook-Id": webhook_id,
               "X-Shopify-Hmac-Sha256": b64(body, secret), "Content-Type": "application/json"}  # fmt: skip
    return client.post("/webhooks/shopify", content=body, headers=headers)


def woo(client: TestClient, body: bytes, delivery: str, secret: str) -> httpx.Response:
    headers = {"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Source": STORE + "/",
               "X-WC-Webhook-Delivery-ID": delivery, "X-WC-Webhook-Signature": b64(body, secret)}  # fmt: skip
    return client.post("/webhooks/woocommerce", content=body, headers=headers)


def orders_of(engine: Engine, ws: str) -> list[str]:
    with session_scope(engine) as session:
        wid = workspace_id(engine, ws)
        return sorted(session.scalars(select(Order.external_id).where(Order.workspace_id == wid)))


def shop_order(**changes: Any) -> bytes:
    return json.dumps({**json.loads((FIXTURES / "shopify" / "webhook_order.json").read_text()), **changes}).encode()


def test_instagram_delivery_is_verified_with_the_secret_of_the_connection_it_routes_to(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    connect(engine, settings, "A", "instagram", {"access_token": "a", "app_secret": "secret-a"}, {"ig_user_id": IG_A})
    connect(engine, settings, "B", "instagram", {"access_token": "b", "app_secret": "secret-b"}, {"ig_user_id": IG_B})
    with session_scope(engine) as session:
        creator = create_creator(session, workspace_id(engine, "A"), CreatorIn(display_name="A", accounts=[
            AccountIn(platform="instagram", handle="brand.a", followers=500)]))  # fmt: skip
        add_post(session, workspace_id(engine, "A"), creator.accounts[0].id, PostIn(
            kind="image", caption="hello", posted_at="2026-12-01T10:00:00+00:00", external_id="m1"))  # fmt: skip
    change = {
        "field": "comments",
        "value": {"id": "c1", "text": "love it", "from": {"username": "fan"}, "media": {"id": "m1"}},
    }
    body = json.dumps(
        {"object": "instagram", "entry": [{"id": IG_A, "time": 1764590000, "changes": [change]}]}
    ).encode()
    forged = {"X-Hub-Signature-256": "sha256=" + hmac.new(b"secret-b", body, hashlib.sha256).hexdigest()}
    assert client.post("/webhooks/instagram", content=body, headers=forged).status_code == 401
    assert client.post(f"/webhooks/instagram/{1}", content=body, headers=forged).status_code == 401
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0  # no id used up
        assert session.scalar(select(func.count()).select_from(Comment)) == 0
    genuine = {"X-Hub-Signature-256": "sha256=" + hmac.new(b"secret-a", body, hashlib.sha256).hexdigest()}
    answer = client.post("/webhooks/instagram", content=body, headers=genuine)
    assert answer.status_code == 200 and "accepted 1" in answer.text
    with session_scope(engine) as session:
        comment = session.scalars(select(Comment)).one()
        assert comment.workspace_id == workspace_id(engine, "A") and comment.text == "love it"


def test_instagram_verify_token_only_verifies_its_own_subscription(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    a = connect(
        engine, settings, "A", "instagram", {"access_token": "a"}, {"ig_user_id": IG_A, "verify_token": "tok-a"}
    )
    b = connect(
        engine, settings, "B", "instagram", {"access_token": "b"}, {"ig_user_id": IG_B, "verify_token": "tok-b"}
    )
    params = {"hub.mode": "subscribe", "hub.verify_token": "tok-a", "hub.challenge": "42"}
    assert client.get(f"/webhooks/instagram/{a}", params=params).text == "42"
    assert client.get(f"/webhooks/instagram/{b}", params=params).status_code == 403
    assert client.get("/webhooks/instagram", params=params).status_code == 403  # the instance's token is unset


def test_delivery_ids_are_scoped_to_the_connection(client: TestClient, engine: Engine, settings: Settings) -> None:
    connect(
        engine,
        settings,
        "A",
        "woocommerce",
        {"consumer_key": "ck", "consumer_secret": "cs", "webhook_secret": "wa"},
        {"store_url": STORE},
    )
    connect(
        engine,
        settings,
        "B",
        "woocommerce",
        {"consumer_key": "ck", "consumer_secret": "cs", "webhook_secret": "wb"},
        {"store_url": STORE},
    )
    body = (FIXTURES / "woocommerce" / "webhook_order.json").read_bytes()
    assert woo(client, body, "777", "wa").json() == {"status": "processed"}
    assert woo(client, body, "777", "wb").json() == {"status": "processed"}  # not B's duplicate of A's 777
    assert woo(client, body, "777", "wb").json() == {"status": "duplicate"}
    assert len(orders_of(engine, "A")) == 1 and len(orders_of(engine, "B")) == 1


def test_a_second_claim_on_a_shop_cannot_lock_out_its_owner(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    connect(engine, settings, "B", "shopify", {"access_token": "t", "client_secret": "secret-b"}, {"shop": SHOP})
    connect(engine, settings, "A", "shopify", {"access_token": "t", "client_secret": "secret-a"}, {"shop": SHOP})
    body = shop_order()
    assert shopify(client, body, "w-1", "secret-a").json() == {"status": "processed"}
    assert orders_of(engine, "A") != [] and orders_of(engine, "B") == []


def test_unknown_shop_answers_like_a_bad_signature(client: TestClient, engine: Engine, settings: Settings) -> None:
    connect(engine, settings, "A", "shopify", {"access_token": "t", "client_secret": "secret-a"}, {"shop": SHOP})
    body = shop_order()
    unknown = shopify(client, body, "w-1", "secret-a", shop="elsewhere.myshopify.com")
    wrong = shopify(client, body, "w-1", "not-the-secret")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["title"] == wrong.json()["title"] and "elsewhere" not in unknown.text


def test_a_crash_does_not_use_up_the_delivery_id(client: TestClient, engine: Engine, settings: Settings) -> None:
    connect(engine, settings, "A", "shopify", {"access_token": "t", "client_secret": "secret-a"}, {"shop": SHOP})
    broken = b'[{"id": 1}]'
    answer = shopify(client, broken, "w-9", "secret-a")
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("application/problem+json")
    # The platform retries the same delivery id (with a body it can read): it is processed, not a duplicate.
    assert shopify(client, shop_order(), "w-9", "secret-a").json() == {"status": "processed"}
    assert len(orders_of(engine, "A")) == 1


def test_absurd_totals_are_stored_as_rejected_with_the_reason(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    connect(engine, settings, "A", "shopify", {"access_token": "t", "client_secret": "secret-a"}, {"shop": SHOP})
    assert shopify(client, shop_order(total_price="-50.00"), "w-neg", "secret-a").json() == {"status": "rejected"}
    assert shopify(client, shop_order(total_price="1e15"), "w-big", "secret-a").json() == {"status": "rejected"}
    assert orders_of(engine, "A") == []
    with session_scope(engine) as session:
        rows = session.execute(select(WebhookDelivery.status, WebhookDelivery.error).order_by(WebhookDelivery.id)).all()
    assert [r.status for r in rows] == ["rejected", "rejected"]
    assert "negative" in (rows[0].error or "") and "larger" in (rows[1].error or "")


def test_an_oversized_body_is_refused_before_it_is_read(engine: Engine, tmp_path: Any) -> None:
    from grassroots.web.app import create_app

    small = Settings(data_dir=tmp_path, secret_key="test-secret", webhook_max_bytes=1_000)
    with TestClient(create_app(engine, small)) as client:
        answer = client.post("/webhooks/shopify", content=b"x" * 5_000, headers={"X-Shopify-Shop-Domain": SHOP})
        assert answer.status_code == 413 and answer.headers["content-type"].startswith("application/problem+json")
        assert client.post("/webhooks/instagram", content=b"x" * 5_000).status_code == 413


def test_concurrent_deliveries_are_all_stored_once(client: TestClient, engine: Engine, settings: Settings) -> None:
    connect(engine, settings, "A", "shopify", {"access_token": "t", "client_secret": "secret-a"}, {"shop": SHOP})
    answers: list[int] = []

    def send(worker: int) -> None:
        for n in range(6):
            body = shop_order(id=10_000 * worker + n, name=f"#{worker}-{n}")
            answers.append(shopify(client, body, f"d-{worker}-{n % 4}", "secret-a").status_code)

    threads = [threading.Thread(target=send, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers.count(200) == 48, answers
    # Ids repeat within a worker (n % 4): 8 workers x 4 distinct ids each were stored, each order once.
    assert len(orders_of(engine, "A")) == 32
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 32
        assert set(session.scalars(select(WebhookDelivery.status))) == {"processed"}


def test_customers_redact_erases_the_person_and_keeps_the_order(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    connect(engine, settings, "A", "shopify", {"access_token": "t", "client_secret": "secret-a"}, {"shop": SHOP})
    connect(
        engine,
        settings,
        "B",
        "shopify",
        {"access_token": "t", "client_secret": "secret-b"},
        {"shop": "b.myshopify.com"},
    )
    assert shopify(client, shop_order(), "w-1", "secret-a").json() == {"status": "processed"}
    # The shape of Shopify's customers/redact payload (shopify.dev, "Privacy law compliance" webhooks).
    redact = json.dumps({"shop_id": 954889, "shop_domain": SHOP, "customer": {"id": 207119560,
                         "email": "webhook.buyer@example.com", "phone": "555-625-1199"}, "orders_to_redact": [450789474]}).encode()  # fmt: skip
    # Another workspace's secret cannot erase A's customer.
    assert shopify(client, redact, "r-0", "secret-b", topic="customers/redact").status_code == 401
    assert shopify(client, redact, "r-1", "secret-a", topic="customers/redact").json() == {"status": "processed"}
    with session_scope(engine) as session:
        order = session.scalars(select(Order)).one()
        assert order.email is None and order.total > 0
        stored = b"".join(session.scalars(select(WebhookDelivery.body).where(WebhookDelivery.body.is_not(None))))
        assert b"webhook.buyer@example.com" not in stored
        customer = session.get(Customer, order.customer_id) if order.customer_id else None
        assert customer is None or (customer.email is None and "forgotten" in (customer.name or ""))


def test_a_delivery_stored_before_a_crash_is_processed_after_restart(engine: Engine, settings: Settings) -> None:
    from grassroots.connectors.models import Connection
    from grassroots.connectors.orders_webhook import pending_ids, process_batch
    from grassroots.connectors.shopify import webhook as _registers_the_hook  # noqa: F401
    from grassroots.connectors.webhooks import store_delivery

    connection_id = connect(
        engine, settings, "A", "shopify", {"access_token": "t", "client_secret": "s"}, {"shop": SHOP}
    )
    with session_scope(engine) as session:  # stored and answered 2xx, then the process died before processing
        connection = session.get_one(Connection, connection_id)
        store_delivery(session, connection, "w-crash", "orders/create", body=shop_order())
    assert orders_of(engine, "A") == []
    pending = pending_ids(engine)
    assert len(pending) == 1 and process_batch(engine, pending) == {pending[0]: "processed"}
    assert len(orders_of(engine, "A")) == 1 and pending_ids(engine) == []


def test_one_order_twice_in_a_batch_keeps_the_newer_version(engine: Engine, settings: Settings) -> None:
    from grassroots.connectors.models import Connection
    from grassroots.connectors.orders_webhook import process_batch
    from grassroots.connectors.shopify import webhook as _registers_the_hook  # noqa: F401
    from grassroots.connectors.webhooks import store_delivery

    connection_id = connect(
        engine, settings, "A", "shopify", {"access_token": "t", "client_secret": "s"}, {"shop": SHOP}
    )
    newer = shop_order(updated_at="2026-12-02T10:00:00-05:00", total_price="80.00")
    older = shop_order(updated_at="2026-12-01T10:00:00-05:00", total_price="50.00")
    with session_scope(engine) as session:  # the update arrived before the creation (providers do not promise order)
        connection = session.get_one(Connection, connection_id)
        ids = [
            store_delivery(session, connection, d, "orders/updated", body=b).id for d, b in (("u", newer), ("c", older))
        ]  # type: ignore[union-attr]
    assert process_batch(engine, ids) == {ids[0]: "processed", ids[1]: "processed"}
    with session_scope(engine) as session:
        assert [str(o.total) for o in session.scalars(select(Order))] == ["80.00"]
