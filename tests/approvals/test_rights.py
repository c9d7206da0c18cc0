"""Approved content carries the agreement's usage rights into the library; expired rights are flagged."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from grassroots.agreements.rights import UsageRights
from grassroots.approvals import checks
from tests.approvals.world import FIXED, make_world
from tests.support import api_headers


def _approve(client: TestClient, collaboration_id: int, title: str) -> dict:
    draft = client.post(f"/api/v1/collaborations/{collaboration_id}/drafts", json={"caption": FIXED, "title": title},
                        headers=api_headers(client)).json()  # fmt: skip
    response = client.post(f"/api/v1/versions/{draft['versions'][0]['id']}/approve", headers=api_headers(client))
    assert response.status_code == 200, response.text
    return response.json()


def test_rights_are_copied_from_the_agreement_and_expiry_flagged(
    owner_client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(engine)
    granted = {
        "Reel": UsageRights(7, ["organic social", "website"], True, date(2099, 1, 31), "no other serum for 30 days"),
        "Old": UsageRights(8, ["organic social"], False, date(2020, 1, 31)),
    }
    current = {"title": "Reel"}

    def usage_rights(session: Session, workspace_id: int, collaboration_id: int) -> UsageRights | None:
        assert collaboration_id == world.collaboration_id
        return granted[current["title"]]

    monkeypatch.setattr(checks, "usage_rights", usage_rights)
    item = _approve(owner_client, world.collaboration_id, "Reel")
    assert item["rights"] == "agreed" and item["agreement_version_id"] == 7
    assert item["channels"] == ["organic social", "website"] and item["paid_usage"] is True
    assert item["rights_expire_on"] == "2099-01-31" and item["exclusivity"] == "no other serum for 30 days"
    assert item["rights_expired"] is False
    current["title"] = "Old"
    old = _approve(owner_client, world.collaboration_id, "Old")
    assert old["rights_expired"] is True
    expired = owner_client.get("/api/v1/ugc", params={"rights": "expired"}).json()
    assert [i["title"] for i in expired] == ["Old"]
    assert [i["title"] for i in owner_client.get("/api/v1/ugc", params={"rights": "agreed"}).json()] == ["Reel"]
    page = owner_client.get("/ugc").text
    assert "Usage rights expired on 2020-01-31" in page and "paid ads allowed" in page and "2099-01-31" in page
    assert "organic social, website" in page
    filtered = owner_client.get("/ugc", params={"rights": "expired"}).text
    assert "Old" in filtered and "2099-01-31" not in filtered


def test_without_an_agreements_module_rights_are_not_agreed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "AGREEMENTS", "grassroots.agreements.no_such_module")
    assert checks.usage_rights(None, 1, 1) is None  # type: ignore[arg-type]
    assert checks.mandatory_wording(None, 1, 1) is None  # type: ignore[arg-type]
