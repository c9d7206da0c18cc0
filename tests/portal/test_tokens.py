"""A portal link opens exactly its own collaboration: forged, expired, revoked, foreign or re-signed tokens open
nothing and show a friendly page with no data; forms refuse posts from other sites."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.campaigns.models import Collaboration
from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.portal import links
from tests.portal.factory import make_world, post, text_of


def _refused(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    seen = text_of(response.text)
    assert "This link is not valid" in seen and "Ask the brand for a new link" in seen
    assert "Ana" not in seen and "Serum" not in seen and "Traceback" not in response.text


def test_a_valid_link_opens_the_offer(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    seen = text_of(client.get(world.path).text)
    assert "Hi Ana Glow!" in seen and "Brand invites you to “Serum launch”" in seen
    assert "A fee of €250.00" in seen and "One post or reel featuring the product" in seen
    assert "set-cookie" not in client.get(world.path).headers  # no session for a creator


def test_forged_tampered_and_foreign_secret_tokens_open_nothing(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine, settings)
    token = world.path.removeprefix("/p/")
    _refused(client, "/p/not-a-token-at-all")
    _refused(client, f"/p/{token[:-2]}xx")  # the signature no longer matches
    other_server = Settings(data_dir=settings.data_dir, secret_key="another-server")
    with session_scope(engine) as s:
        link = links.links_for(s, 1, world.collab)[0]
        forged = links.token_for(other_server, link)  # the right id and nonce, signed with another key
    _refused(client, f"/p/{forged}")
    _refused(client, f"/p/{forged}/agreement")


def test_expired_and_revoked_links_open_nothing(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    with session_scope(engine) as s:
        collab = s.get(Collaboration, world.collab)
        assert collab is not None
        _, old = links.issue(s, settings, collab, created_by="t", now=utcnow() - timedelta(days=61))
    _refused(client, f"/p/{old}")
    with session_scope(engine) as s:
        links.revoke(s, collab.workspace_id, links.links_for(s, collab.workspace_id, world.collab)[-1].id)
    for page in ("", "/agreement", "/address", "/payout", "/earnings"):
        _refused(client, world.path + page)


def test_a_link_cannot_reach_another_collaborations_documents(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    ana = make_world(engine, settings)
    bo = make_world(engine, settings, ws="Other", handle="bo.bakes")  # another workspace, its own documents
    bo_page = client.get(bo.path + "/agreement").text
    bo_version = bo_page.split('name="version_id" value="')[1].split('"')[0]
    assert client.get(f"{ana.path}/documents/{bo_version}/pdf").status_code == 404
    response = post(client, ana.path + "/agreement", ana.path + "/agreement/sign",
                    {"version_id": bo_version, "signer_name": "Ana Glow", "consent": "yes"})  # fmt: skip
    assert response.status_code == 404
    assert "Bo" not in text_of(client.get(ana.path + "/agreement").text)


def test_forms_refuse_other_sites_and_missing_form_fields(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine, settings)
    action = world.path + "/respond"
    for origin in ("https://evil.test", "null"):
        response = post(client, world.path, action, {"decision": "accepted"}, origin=origin)
        assert response.status_code == 403 and "another site" in text_of(response.text)
    response = client.post(action, data={"decision": "accepted"})
    assert response.status_code == 403 and "out of date" in text_of(response.text)
    assert "You accepted" not in text_of(client.get(world.path).text)
    ok = post(client, world.path, action, {"decision": "accepted"}, origin="http://testserver")
    assert ok.status_code == 303
