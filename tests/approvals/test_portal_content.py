"""The portal's Content page: a valid link submits versions and shows the brand's comments; a bad one is a 404."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.approvals.models import ContentComment, ContentVersion
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.outreach.models import Touchpoint
from tests.approvals.world import BARE, FIXED, make_world, portal_token
from tests.support import api_headers, csrf_from


def test_a_creator_submits_a_draft_and_reads_why_it_is_blocked(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine)
    token = portal_token(engine, settings, world.collaboration_id)
    page = client.get(f"/p/{token}/content")
    assert page.status_code == 200
    assert "Your content for Serum seeding" in page.text and "start your caption with <strong>#ad</strong>" in page.text
    assert 'name="viewport"' in page.text and "Send your draft" in page.text
    sent = client.post(f"/p/{token}/content", data={"csrf_token": csrf_from(page.text), "title": "Reel 1",
                                                    "caption": BARE, "media_urls": "https://cdn.example.com/a.jpg\n",
                                                    "note": "First cut"})  # fmt: skip
    assert sent.status_code == 303 and sent.headers["location"] == f"/p/{token}/content"
    after = client.get(f"/p/{token}/content").text
    assert "we received version 1 of &#34;Reel 1&#34;" in after or 'we received version 1 of "Reel 1"' in after
    assert "It cannot be approved yet" in after and "No disclosure" in after
    with session_scope(engine) as s:
        version = s.scalar(select(ContentVersion))
        assert version is not None and version.via == "portal" and version.submitted_by == "Ana Glow (portal)"
        assert version.media_urls == ["https://cdn.example.com/a.jpg"]
        note = s.scalar(select(ContentComment))
        assert note is not None and note.from_creator and note.body == "First cut"
        point = s.scalar(select(Touchpoint).where(Touchpoint.kind == "draft_submitted"))
        assert point is not None and point.creator_id == world.creator_id


def test_the_creator_sees_the_brands_change_request_and_sends_a_fixed_version(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine)
    token = portal_token(engine, settings, world.collaboration_id)
    portal = TestClient(owner_client.app, follow_redirects=False)  # the creator's own browser, not signed in
    first = portal.get(f"/p/{token}/content").text
    portal.post(f"/p/{token}/content", data={"csrf_token": csrf_from(first), "caption": BARE})
    queue = owner_client.get("/api/v1/approvals").json()
    version_id = queue[0]["version"]["id"]
    owner_client.post(f"/api/v1/versions/{version_id}/request-changes", json={"comment": "Add #ad at the start"},
                      headers=api_headers(owner_client))  # fmt: skip
    page = portal.get(f"/p/{token}/content").text
    assert "asks for changes:</strong> Add #ad at the start" in page and "Changes requested" in page
    draft_id = queue[0]["draft_id"]
    portal.post(f"/p/{token}/content", data={"csrf_token": csrf_from(page), "draft_id": str(draft_id),
                                             "caption": FIXED})  # fmt: skip
    fixed = owner_client.get("/api/v1/approvals").json()
    assert [q["version"]["number"] for q in fixed] == [2] and fixed[0]["version"]["blocked_reason"] is None


def test_bad_portal_input_keeps_what_was_typed(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine)
    token = portal_token(engine, settings, world.collaboration_id)
    csrf = csrf_from(client.get(f"/p/{token}/content").text)
    response = client.post(f"/p/{token}/content", data={"csrf_token": csrf, "caption": "", "title": "Keep this title"})
    assert response.status_code == 400
    assert "Nothing was sent yet" in response.text and "Keep this title" in response.text
    assert "Traceback" not in response.text


def test_invalid_and_revoked_links_open_nothing(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine)
    good = portal_token(engine, settings, world.collaboration_id)
    revoked = portal_token(engine, settings, world.collaboration_id, revoke=True)
    csrf = csrf_from(client.get(f"/p/{good}/content").text)
    for token in (revoked, good[:-3] + "abc", "nonsense"):
        assert client.get(f"/p/{token}/content").status_code == 404
        posted = client.post(f"/p/{token}/content", data={"csrf_token": csrf, "caption": FIXED})
        assert posted.status_code == 404
    with session_scope(engine) as s:
        assert s.scalar(select(ContentVersion.id)) is None


def test_a_link_cannot_submit_to_another_collaborations_draft(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    mine = make_world(engine)
    theirs = make_world(engine, handle="ben.b")
    other_token = portal_token(engine, settings, theirs.collaboration_id)
    csrf = csrf_from(client.get(f"/p/{other_token}/content").text)
    client.post(f"/p/{other_token}/content", data={"csrf_token": csrf, "caption": FIXED})
    with session_scope(engine) as s:
        their_draft = s.scalar(select(ContentVersion.draft_id))
    token = portal_token(engine, settings, mine.collaboration_id)
    response = client.post(f"/p/{token}/content", data={"csrf_token": csrf, "caption": FIXED,
                                                        "draft_id": str(their_draft)})  # fmt: skip
    assert response.status_code == 400 and "not part of this collaboration" in response.text
    with session_scope(engine) as s:
        assert len(list(s.scalars(select(ContentVersion.id)))) == 1
