"""A second workspace can neither see nor act on another's drafts, versions or library (404 everywhere)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.approvals.models import ContentVersion, VersionStatus
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.workspaces.models import Role
from tests.approvals.world import FIXED, make_world
from tests.campaigns.factory import other_client
from tests.support import api_headers, csrf_from, login, make_user


def test_another_workspace_gets_404_for_everything(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine)
    draft = owner_client.post(f"/api/v1/collaborations/{world.collaboration_id}/drafts",
                              json={"caption": FIXED, "title": "Reel"}, headers=api_headers(owner_client)).json()  # fmt: skip
    version_id = draft["versions"][0]["id"]
    other = other_client(engine, settings)
    headers = api_headers(other)
    csrf = csrf_from(other.get("/approvals").text)
    assert other.get(f"/api/v1/collaborations/{world.collaboration_id}/drafts").status_code == 404
    assert other.get(f"/api/v1/drafts/{draft['id']}").status_code == 404
    assert other.post(f"/api/v1/collaborations/{world.collaboration_id}/drafts", json={"caption": FIXED},
                      headers=headers).status_code == 404  # fmt: skip
    assert other.post(f"/api/v1/versions/{version_id}/approve", headers=headers).status_code == 404
    assert other.post(f"/api/v1/versions/{version_id}/request-changes", json={"comment": "no"},
                      headers=headers).status_code == 404  # fmt: skip
    assert other.get("/api/v1/approvals").json() == []
    assert other.get(f"/approvals/drafts/{draft['id']}").status_code == 404
    assert other.get(f"/approvals/collaborations/{world.collaboration_id}").status_code == 404
    assert "Reel" not in other.get("/approvals").text
    for path in (f"/approvals/versions/{version_id}/approve", f"/approvals/versions/{version_id}/changes"):
        assert other.post(path, data={"csrf_token": csrf, "comment": "x"}).status_code == 404
    assert other.post(f"/approvals/drafts/{draft['id']}/comments",
                      data={"csrf_token": csrf, "comment": "x"}).status_code == 404  # fmt: skip
    assert other.post(f"/approvals/collaborations/{world.collaboration_id}/drafts",
                      data={"csrf_token": csrf, "caption": FIXED}).status_code == 404  # fmt: skip
    with session_scope(engine) as s:
        version = s.get(ContentVersion, version_id)
        assert version is not None and version.status is VersionStatus.awaiting_review
        assert len(list(s.scalars(select(ContentVersion.id)))) == 1
    owner_client.post(f"/api/v1/versions/{version_id}/approve", headers=api_headers(owner_client))
    assert other.get("/api/v1/ugc").json() == [] and "Reel" not in other.get("/ugc").text


def test_a_viewer_reads_the_queue_but_cannot_approve(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine)
    draft = owner_client.post(f"/api/v1/collaborations/{world.collaboration_id}/drafts",
                              json={"caption": FIXED, "title": "Reel"}, headers=api_headers(owner_client)).json()  # fmt: skip
    version_id = draft["versions"][0]["id"]
    make_user(engine, "viewer@brand.test", Role.viewer)
    viewer = TestClient(owner_client.app, follow_redirects=False)
    login(viewer, "viewer@brand.test")
    page = viewer.get("/approvals")
    assert page.status_code == 200 and "Reel" in page.text and "Approve version" not in page.text
    assert viewer.post(f"/api/v1/versions/{version_id}/approve", headers=api_headers(viewer)).status_code == 403
    csrf = csrf_from(page.text)
    assert viewer.post(f"/approvals/versions/{version_id}/approve", data={"csrf_token": csrf}).status_code == 403
