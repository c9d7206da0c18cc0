"""The brand's portal page: create, copy and revoke links, read the creator's earnings page; another workspace
can neither see nor revoke (404)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.campaigns.models import EntryKind, EntryStatus, LedgerEntry
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.workspaces.models import Role
from tests.campaigns.factory import other_client
from tests.portal.factory import add_code_and_orders, make_world, text_of
from tests.support import csrf_from, login, make_user


def _links(page: str) -> list[str]:
    return re.findall(r'class="link-copy" readonly value="([^"]+)"', page)


def test_create_copy_and_revoke_links(owner_client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    collab_page = owner_client.get(f"/campaigns/{world.campaign}/collaborations/{world.collab}").text
    assert f'href="{world.manage}"' in collab_page and f'href="{world.documents}"' in collab_page
    page = owner_client.get(world.manage).text
    assert _links(page) == [world.url]  # the live link can be copied again
    created = owner_client.post(world.manage + "/links", data={"csrf_token": csrf_from(page)})
    page = owner_client.get(created.headers["location"]).text
    assert "New portal link created" in text_of(page)
    fresh = _links(page)
    assert len(fresh) == 2 and fresh[1] == world.url
    first_id = re.findall(r"/portal/links/(\d+)/revoke", page)[-1]
    revoked = owner_client.post(f"{world.manage}/links/{first_id}/revoke", data={"csrf_token": csrf_from(page)})
    page = owner_client.get(revoked.headers["location"]).text
    assert "Link revoked" in text_of(page) and _links(page) == [fresh[0]] and "Revoked" in text_of(page)
    assert owner_client.get(world.path).status_code == 404
    assert owner_client.get("/p/" + fresh[0].rsplit("/p/", 1)[1]).status_code == 200


def test_another_workspace_cannot_see_or_revoke(owner_client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    link_id = re.findall(r"/portal/links/(\d+)/revoke", owner_client.get(world.manage).text)[0]
    other = other_client(engine, settings)
    token = csrf_from(other.get("/settings/tokens").text)
    assert other.get(world.manage).status_code == 404
    assert other.post(world.manage + "/links", data={"csrf_token": token}).status_code == 404
    assert other.post(f"{world.manage}/links/{link_id}/revoke", data={"csrf_token": token}).status_code == 404
    assert other.get(f"{world.manage}/signatures/1/pdf").status_code == 404
    # Their own collaboration's page cannot revoke this workspace's link either.
    theirs = make_world(engine, settings, ws="Other", handle="bo.bakes")
    assert other.post(f"{theirs.manage}/links/{link_id}/revoke", data={"csrf_token": token}).status_code == 404
    assert owner_client.get(world.path).status_code == 200 and len(_links(owner_client.get(world.manage).text)) == 1


def test_earnings_show_codes_orders_and_payments(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    assert "No code yet" in text_of(client.get(world.path + "/earnings").text)
    add_code_and_orders(engine, world, ["40.00", "60.50"])
    with session_scope(engine) as s:
        for amount, status in (("250", EntryStatus.paid), ("12.10", EntryStatus.owed)):
            s.add(LedgerEntry(workspace_id=1, collaboration_id=world.collab, kind=EntryKind.fee, amount=Decimal(amount),
                              currency="EUR", status=status, earned_on=date(2026, 11, 20), payable_on=date(2026, 11, 20),
                              paid_on=date(2026, 11, 25) if status is EntryStatus.paid else None, created_by="t"))  # fmt: skip
    seen = text_of(client.get(world.path + "/earnings").text)
    assert "ANA10 · 2 orders · €100.50" in seen and "Orders with your codes: 2 · sales €100.50" in seen
    print(seen)
    assert "Still to be paid: €12.10 ." in seen and "Paid: €250.00 ." in seen and "paid 2026-11-25" in seen


def test_a_viewer_sees_the_page_but_not_the_links(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    make_user(engine, "viewer@brand.test", role=Role.viewer)
    login(client, "viewer@brand.test")
    page = client.get(world.manage)
    assert page.status_code == 200 and "hidden from viewers" in text_of(page.text)
    assert world.url not in page.text and "/p/" not in page.text and "Create a portal link" not in page.text
    assert client.post(world.manage + "/links", data={"csrf_token": csrf_from(page.text)}).status_code == 403
