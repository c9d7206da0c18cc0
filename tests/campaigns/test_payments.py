"""The payments ledger: amounts owed and paid, the commission hold, marking paid, the payout CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.campaigns.payments import today
from tests.campaigns.factory import collaboration_ids, field_errors, make_campaign, make_creator
from tests.support import api_headers, csrf_from


def _setup(owner_client: TestClient, engine: Engine) -> tuple[int, int]:
    ana = make_creator(engine, "Ana", "ana.glow")
    campaign_id = make_campaign(engine, roster=[ana], kind="affiliate", compensation="hybrid", fee="150",
                                commission_pct="10", commission_hold_days=30)  # fmt: skip
    return campaign_id, collaboration_ids(owner_client, campaign_id)["ana.glow"]


def test_a_payment_is_recorded_and_marked_paid_from_the_web(owner_client: TestClient, engine: Engine) -> None:
    campaign_id, collab = _setup(owner_client, engine)
    page_url = f"/campaigns/{campaign_id}/collaborations/{collab}"
    page = owner_client.get(page_url)
    assert page.status_code == 200 and "Fee + commission · fee €150.00 · 10.00 % commission" in page.text
    token = csrf_from(page.text)
    url = f"{page_url}/payments"
    bad = owner_client.post(url, data={"csrf_token": token, "kind": "fee", "amount": "1.234", "currency": "EU",
                                       "status": "owed", "earned_on": "yesterday"})  # fmt: skip
    assert bad.status_code == 400 and "Nothing was recorded" in bad.text
    assert set(field_errors(bad.text)) >= {"can have at most two decimals", "must be a date like 2026-05-01"}
    future = owner_client.post(url, data={"csrf_token": token, "kind": "fee", "amount": "150", "status": "paid",
                                          "paid_on": (today() + timedelta(days=3)).isoformat()})  # fmt: skip
    assert future.status_code == 400 and "cannot be in the future" in field_errors(future.text)
    assert owner_client.get(f"/api/v1/campaigns/{campaign_id}/payments").json() == []
    ok = owner_client.post(url, data={"csrf_token": token, "kind": "fee", "amount": "1,150.00", "status": "owed",
                                      "note": "two reels", "next": f"/campaigns/{campaign_id}/payments"})  # fmt: skip
    assert ok.status_code == 303 and ok.headers["location"] == f"/campaigns/{campaign_id}/payments"
    ledger = owner_client.get(ok.headers["location"]).text
    assert "Recorded fee of 1,150.00 EUR (owed)." in ledger and "Payable now (EUR)" in ledger and "€1,150.00" in ledger
    entry = owner_client.get(f"/api/v1/campaigns/{campaign_id}/payments").json()[0]
    assert entry["state"] == "payable" and entry["created_by"] == "owner@brand.test"
    paid = owner_client.post(f"/campaigns/{campaign_id}/payments/{entry['id']}/paid",
                             data={"csrf_token": token, "next": page_url})  # fmt: skip
    assert paid.headers["location"] == page_url
    assert f"as paid on {today().isoformat()}" in owner_client.get(page_url).text
    twice = owner_client.post(f"/campaigns/{campaign_id}/payments/{entry['id']}/paid", data={"csrf_token": token})
    assert "was paid on" in owner_client.get(twice.headers["location"]).text
    after = owner_client.get(f"/api/v1/campaigns/{campaign_id}/payments?state=paid").json()
    assert [(e["amount"], e["paid_by"]) for e in after] == [("1150.00", "owner@brand.test")]


def test_commissions_wait_out_the_hold_period(owner_client: TestClient, engine: Engine) -> None:
    campaign_id, collab = _setup(owner_client, engine)
    headers = api_headers(owner_client)
    url = f"/api/v1/campaigns/{campaign_id}/collaborations/{collab}/payments"
    recent = owner_client.post(url, headers=headers, json={"kind": "commission", "amount": "12.40"}).json()
    assert recent["state"] == "on_hold" and recent["payable_on"] == (today() + timedelta(days=30)).isoformat()
    early = owner_client.post(f"/api/v1/campaigns/{campaign_id}/payments/{recent['id']}/paid", headers=headers, json={})
    assert (
        early.status_code == 422
        and "on hold until" in early.json()["detail"]
        and "returns happen" in early.json()["detail"]
    )
    old_sale = (today() - timedelta(days=45)).isoformat()
    due = owner_client.post(url, headers=headers, json={"kind": "commission", "amount": "8", "earned_on": old_sale})
    assert due.json()["state"] == "payable"
    paid = owner_client.post(f"/api/v1/campaigns/{campaign_id}/payments/{due.json()['id']}/paid", headers=headers,
                             json={"paid_on": today().isoformat()})  # fmt: skip
    assert paid.status_code == 200 and paid.json()["state"] == "paid"
    direct = owner_client.post(url, headers=headers, json={"kind": "commission", "amount": "5", "status": "paid"})
    assert direct.status_code == 422 and direct.json()["errors"][0]["field"] == "paid_on"
    on_hold = owner_client.get(f"/api/v1/campaigns/{campaign_id}/payments?state=on_hold").json()
    assert [e["amount"] for e in on_hold] == ["12.40"]
    page = owner_client.get(f"/campaigns/{campaign_id}/payments").text
    assert f"on hold until {recent['payable_on']}" in page and "€12.40" in page
    assert owner_client.get(f"/api/v1/campaigns/{campaign_id}/payments?state=bogus").status_code == 422


def test_the_payout_csv_is_safe_in_a_spreadsheet(owner_client: TestClient, engine: Engine) -> None:
    campaign_id, collab = _setup(owner_client, engine)
    headers = api_headers(owner_client)
    url = f"/api/v1/campaigns/{campaign_id}/collaborations/{collab}/payments"
    owner_client.post(url, headers=headers, json={"kind": "fee", "amount": "150", "note": '=HYPERLINK("http://x")'})
    owner_client.post(url, headers=headers, json={"kind": "gift", "amount": "35", "status": "paid", "currency": "GBP"})
    owner_client.post(url, headers=headers, json={"kind": "commission", "amount": "3.10"})
    response = owner_client.get(f"/campaigns/{campaign_id}/payouts.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="campaign-' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["kind"], r["amount"], r["currency"], r["state"]) for r in rows] == [
        ("fee", "150.00", "EUR", "payable"), ("gift", "35.00", "GBP", "paid"), ("commission", "3.10", "EUR", "on_hold")]  # fmt: skip
    assert rows[0]["note"] == '\'=HYPERLINK("http://x")' and rows[0]["creator"] == "Ana"
    payable = list(
        csv.DictReader(io.StringIO(owner_client.get(f"/campaigns/{campaign_id}/payouts.csv?state=payable").text))
    )
    assert [r["kind"] for r in payable] == ["fee"]
