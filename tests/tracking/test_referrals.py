"""The invite-only referral programme through signed Shopify webhooks: referrals from orders using a personal
code, rewards held then payable, cancelled by refunds and cancellations, fraud flags with reasons, isolation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.config import Settings
from grassroots.connectors import service as connectors
from grassroots.db.session import session_scope
from grassroots.tracking import referrals
from grassroots.tracking.models import Order, Referral, RewardStatus
from grassroots.tracking.referral_checks import Buyer, Redemption, canonical_email, check_referral
from tests.campaigns.factory import other_client
from tests.connectors.shopify.test_connector import FIXTURES, SECRETS, SHOP
from tests.connectors.shopify.test_documented_order import post
from tests.support import api_headers, csrf_from, workspace_id

NOW = datetime.now(UTC).replace(microsecond=0)
HOME = {"address1": "Chestnut Street 92", "address2": "", "city": "Louisville", "zip": "40202", "country_code": "US"}
ELSEWHERE = {"address1": "1 Elm Road", "city": "Leeds", "zip": "LS1 4AP", "country_code": "GB"}


def order(number: int, email: str, customer: int, *, code: str | None = None, address: dict[str, str] = ELSEWHERE,
          ip: str = "198.51.100.7", card: int | None = None, days_ago: float = 1, **changes: Any) -> bytes:  # fmt: skip
    """Shopify's documented order, as another buyer's order (webhook bodies are the order object)."""
    base = json.loads((FIXTURES / "shopify_python_api_order.json").read_text())["order"]
    when = (NOW - timedelta(days=days_ago)).isoformat()
    base |= {
        "id": 9_000 + number, "name": f"#{number}", "email": email, "created_at": when, "updated_at": when,
        "customer": {"id": customer, "email": email, "first_name": email.split("@")[0].title(), "last_name": "Lee"},
        "discount_codes": [{"code": code, "amount": "10.00", "type": "percentage"}] if code else [],
        "shipping_address": address, "browser_ip": ip, "current_total_price": "100.00",
        "payment_details": {"credit_card_bin": None, "credit_card_company": "Visa",
                            "credit_card_number": f"XXXX-XXXX-XXXX-{card or 4000 + number}"}, **changes,
    }  # fmt: skip
    return json.dumps(base).encode()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """No embedded job runner: inviting a customer queues their code for the (unreachable) test shop, and the
    runner would spend seconds retrying it while the client shuts down."""
    return Settings(data_dir=tmp_path, secret_key="test-secret", jobs_in_server=False)


def _world(owner_client: TestClient, engine: Engine, settings: Settings) -> str:
    """Ann bought once; the programme (10.00 per referral, 15 % for the friend, 14-day hold) invites her."""
    settings.webhook_wait_seconds = 60.0  # a busy test machine: wait for each delivery to be processed
    with session_scope(engine) as session:
        connectors.connect(session, workspace_id(engine), "shopify", SECRETS, {"shop": SHOP, "api": "rest"},
                           settings=settings)  # fmt: skip
    assert post(owner_client, order(1, "ann@example.com", 501, address=HOME, ip="203.0.113.5", days_ago=30),
                "w1", SECRETS["client_secret"]).json() == {"status": "processed"}  # fmt: skip
    token = csrf_from(owner_client.get("/tracking/referrals").text)
    rules = {"referrer_reward_kind": "fixed_amount", "referrer_reward_value": "10", "friend_discount_kind": "percentage",
             "friend_discount_value": "15", "hold_days": "14", "active": "yes", "csrf_token": token}  # fmt: skip
    assert owner_client.post("/tracking/referrals/program", data=rules).status_code == 303
    made = owner_client.post("/tracking/referrals/invite", data={"csrf_token": token, "email": "ANN@example.com"})
    assert made.status_code == 303
    page = owner_client.get("/tracking/referrals").text
    assert "Invited: their personal code is ANN15." in page and "rewards are held 14 days" in page
    return token


def _referral(engine: Engine, number: int) -> Referral:
    with session_scope(engine) as session:
        found = session.scalars(
            select(Referral).join(Order, Order.id == Referral.order_id).where(Order.number == f"#{number}")
        ).one()
        session.expunge(found)
        return found


def test_a_friend_order_earns_a_held_reward_that_becomes_payable(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    _world(owner_client, engine, settings)
    assert post(
        owner_client, order(2, "bob@example.com", 502, code="ann15"), "w2", SECRETS["client_secret"]
    ).json() == {"status": "processed"}
    friend = _referral(engine, 2)
    assert (friend.status, friend.reward, friend.flags) == (RewardStatus.pending, Decimal("10.00"), [])
    assert friend.hold_until.astimezone(UTC) == NOW - timedelta(days=1) + timedelta(days=14)
    page = owner_client.get("/tracking/referrals").text
    assert f"held until {(NOW + timedelta(days=13)).strftime('%Y-%m-%d')}" in page and "10.00 USD" in page
    with session_scope(engine) as session:
        assert referrals.settle(session, workspace_id(engine), NOW + timedelta(days=12)) == 0
        assert referrals.settle(session, workspace_id(engine), NOW + timedelta(days=14)) == 1
    token = csrf_from(page)
    assert owner_client.post(f"/tracking/referrals/{friend.id}/paid", data={"csrf_token": token}).status_code == 303
    assert _referral(engine, 2).status == RewardStatus.paid
    listed = owner_client.get("/api/v1/referrals").json()
    assert [(r["order"], r["code"], r["status"], r["flags"]) for r in listed] == [("#2", "ANN15", "paid", [])]


def test_self_referral_and_throwaway_email_are_flagged_with_reasons(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    _world(owner_client, engine, settings)
    # Ann again under another address, shipping home from her own browser IP.
    post(owner_client, order(3, "a.n.n+deal@example.com", 503, code="ANN15", address=HOME, ip="203.0.113.5", card=4001), "w3",
         SECRETS["client_secret"])  # fmt: skip
    post(owner_client, order(4, "x7@mailinator.com", 504, code="ann15"), "w4", SECRETS["client_secret"])
    own = {f["check"]: f["reason"] for f in _referral(engine, 3).flags}
    assert own == {"self_referral": "shipped to the referrer's address",
                   "shared_ip": "same browser IP as one of the referrer's orders",
                   "shared_payment": "same card as one of the referrer's orders"}  # fmt: skip
    assert _referral(engine, 4).flags == [
        {"check": "disposable_email", "reason": "mailinator.com is a throwaway email domain"}
    ]
    page = owner_client.get("/tracking/referrals").text
    assert "shipped to the referrer&#39;s address" in page and "mailinator.com is a throwaway email domain" in page
    assert "2 flagged for a look" in owner_client.get("/tracking").text
    assert canonical_email("Ann.Lee+x@GoogleMail.com") == "annlee@gmail.com"


def test_a_refund_or_cancellation_cancels_the_reward(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    _world(owner_client, engine, settings)
    secret = SECRETS["client_secret"]
    post(owner_client, order(5, "cy@example.com", 505, code="ANN15"), "w5", secret)
    post(owner_client, order(6, "di@example.com", 506, code="ANN15"), "w6", secret)
    refund = json.loads((FIXTURES / "shopify_python_api_refund.json").read_text())["refund"]
    refund |= {"id": 77_001, "order_id": 9_005, "created_at": NOW.isoformat()}
    assert post(owner_client, json.dumps(refund).encode(), "r5", secret, "refunds/create").json() == {
        "status": "processed"
    }
    cancelled = order(6, "di@example.com", 506, code="ANN15", cancelled_at=NOW.isoformat(), updated_at=NOW.isoformat())
    assert post(owner_client, cancelled, "c6", secret, "orders/cancelled").json() == {"status": "processed"}
    assert (_referral(engine, 5).status, _referral(engine, 5).status_reason) == (
        RewardStatus.cancelled,
        "order refunded (209.00)",
    )
    assert (_referral(engine, 6).status, _referral(engine, 6).status_reason) == (
        RewardStatus.cancelled,
        "order cancelled",
    )
    with session_scope(engine) as session:  # a cancelled reward never becomes payable
        assert referrals.settle(session, workspace_id(engine), NOW + timedelta(days=60)) == 0


def test_another_workspace_cannot_see_or_touch_the_programme(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    _world(owner_client, engine, settings)
    post(owner_client, order(2, "bob@example.com", 502, code="ann15"), "w2", SECRETS["client_secret"])
    referral_id = _referral(engine, 2).id
    other = other_client(engine, settings)
    page = other.get("/tracking/referrals").text
    assert "ANN15" not in page and "Not set up yet." in page and other.get("/api/v1/referrals").json() == []
    assert other.get("/api/v1/referrals/program").json() is None
    token = csrf_from(page)
    assert other.post(f"/tracking/referrals/{referral_id}/paid", data={"csrf_token": token}).status_code == 404
    rules = {"referrer_reward_value": "5", "friend_discount_value": "10"}
    assert other.put("/api/v1/referrals/program", headers=api_headers(other), json=rules).status_code == 200
    assert (
        other.post("/tracking/referrals/invite", data={"csrf_token": token, "email": "ann@example.com"}).status_code
        == 404
    )
    with session_scope(engine) as session:
        ann = session.scalars(select(Order.customer_id).where(Order.number == "#1")).one()
    assert (
        other.post("/api/v1/referrals/invites", headers=api_headers(other), json={"customer_id": ann}).status_code
        == 404
    )


def test_a_code_redeemed_by_many_strangers_without_its_link_is_flagged_as_leaked() -> None:
    referrer, friend = Buyer(1, "ann@example.com"), Buyer(9, "new@example.com")
    cold = [Redemption(NOW - timedelta(days=d), new_customer=True, via_link=False) for d in range(1, 5)]
    flags = check_referral(friend, referrer, at=NOW, via_link=False, new_customer=True, earlier=cold, leak_threshold=5)
    assert [f["check"] for f in flags] == ["leaked_code"] and flags[0]["reason"].startswith("5 new customers")
    # Through the link, or a returning customer, or older redemptions: not a leak.
    assert (
        check_referral(friend, referrer, at=NOW, via_link=True, new_customer=True, earlier=cold, leak_threshold=5) == []
    )
    old = [Redemption(NOW - timedelta(days=30 + d), True, False) for d in range(6)]
    assert (
        check_referral(friend, referrer, at=NOW, via_link=False, new_customer=True, earlier=old, leak_threshold=5) == []
    )
