"""A caption without disclosure blocks approval (pages and API); a fixed version is approved into the library."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.approvals.checks import check_caption
from grassroots.approvals.models import ContentVersion, UgcItem, VersionStatus
from grassroots.campaigns.models import Collaboration, Stage
from grassroots.db.session import session_scope
from grassroots.outreach.models import Touchpoint
from tests.approvals.world import BARE, FIXED, make_world
from tests.support import api_headers, csrf_from


def _submit(client: TestClient, collaboration_id: int, caption: str, **extra: object) -> dict:
    body = {"caption": caption, "media_urls": ["https://cdn.example.com/reel.mp4"], **extra}
    response = client.post(f"/api/v1/collaborations/{collaboration_id}/drafts", json=body, headers=api_headers(client))
    assert response.status_code == 201, response.text
    return response.json()


def test_the_check_names_what_is_missing_and_what_is_expected() -> None:
    bare = check_caption(BARE)
    assert bare.disclosure == "missing" and bare.blocked_reason is not None
    assert "No disclosure" in bare.blocked_reason and "'#ad'" in bare.blocked_reason
    assert check_caption(FIXED).blocked_reason is None
    assert check_caption("Loving it #sp").blocked_reason is not None  # an ambiguous label does not disclose
    wording = check_caption(FIXED, "#DewPartner")
    assert wording.blocked_reason is not None and "'#DewPartner'" in wording.blocked_reason
    assert check_caption("#ad #DewPartner two drops", "#dewpartner").blocked_reason is None


def test_api_refuses_a_blocked_version_and_approves_the_fixed_one(owner_client: TestClient, engine: Engine) -> None:
    world = make_world(engine)
    draft = _submit(owner_client, world.collaboration_id, BARE, title="Reel 1")
    blocked = draft["versions"][0]
    assert blocked["disclosure"] == "missing" and "No disclosure" in blocked["blocked_reason"]
    refused = owner_client.post(f"/api/v1/versions/{blocked['id']}/approve", headers=api_headers(owner_client))
    assert refused.status_code == 409
    assert "No disclosure" in refused.json()["detail"] and "#ad" in refused.json()["detail"]
    fixed = _submit(owner_client, world.collaboration_id, FIXED, draft_id=draft["id"])
    assert [v["number"] for v in fixed["versions"]] == [2, 1]
    assert fixed["versions"][1]["status"] == "superseded"
    good = fixed["versions"][0]
    assert good["blocked_reason"] is None
    approved = owner_client.post(f"/api/v1/versions/{good['id']}/approve", headers=api_headers(owner_client))
    assert approved.status_code == 200, approved.text
    item = approved.json()
    assert item["caption"] == FIXED and item["rights"] == "not_agreed"
    assert item["media_urls"] == ["https://cdn.example.com/reel.mp4"]
    library = owner_client.get("/api/v1/ugc").json()
    assert [i["version_id"] for i in library] == [good["id"]]
    again = owner_client.post(f"/api/v1/versions/{good['id']}/approve", headers=api_headers(owner_client))
    assert again.status_code == 409
    with session_scope(engine) as s:
        collaboration = s.get(Collaboration, world.collaboration_id)
        assert collaboration is not None and collaboration.stage is Stage.approved
        kinds = list(s.scalars(select(Touchpoint.kind).where(Touchpoint.creator_id == world.creator_id)))
    assert kinds.count("draft_submitted") == 2 and "draft_approved" in kinds


def test_the_queue_page_marks_blocked_versions_and_refuses_to_approve_them(
    owner_client: TestClient, engine: Engine
) -> None:
    world = make_world(engine)
    draft = _submit(owner_client, world.collaboration_id, BARE, title="Reel 1")
    version_id = draft["versions"][0]["id"]
    page = owner_client.get("/approvals")
    assert page.status_code == 200
    assert "1 blocked" in page.text and "Cannot be approved." in page.text and "Ana Glow" in page.text
    assert f'action="/approvals/versions/{version_id}/approve"' not in page.text  # no approve button for it
    token = csrf_from(page.text)
    refused = owner_client.post(f"/approvals/versions/{version_id}/approve",
                                data={"csrf_token": token, "next": "/approvals"})  # fmt: skip
    assert refused.status_code == 303
    shown = owner_client.get("/approvals").text
    assert "Not approved." in shown and "No disclosure" in shown
    with session_scope(engine) as s:
        version = s.get(ContentVersion, version_id)
        assert version is not None and version.status is VersionStatus.awaiting_review
        assert s.scalar(select(UgcItem.id)) is None


def test_request_changes_on_the_page_then_approve_a_fixed_version(owner_client: TestClient, engine: Engine) -> None:
    world = make_world(engine)
    page = owner_client.get(f"/approvals/collaborations/{world.collaboration_id}")
    assert page.status_code == 200 and "Content from Ana Glow" in page.text
    token = csrf_from(page.text)
    added = owner_client.post(
        f"/approvals/collaborations/{world.collaboration_id}/drafts",
        data={"csrf_token": token, "draft_id": "new", "title": "Story", "caption": BARE, "media_urls": "",
              "post_url": "", "note": ""},
    )  # fmt: skip
    assert added.status_code == 303
    draft_url = added.headers["location"]
    draft_page = owner_client.get(draft_url).text
    assert "Cannot be approved." in draft_page and "Expected: start the caption with &#39;#ad&#39;" in draft_page
    version_id = int(re.findall(r"/approvals/versions/(\d+)/changes", draft_page)[0])
    sent_back = owner_client.post(f"/approvals/versions/{version_id}/changes",
                                  data={"csrf_token": token, "comment": "Please add #ad up front.",
                                        "next": draft_url})  # fmt: skip
    assert sent_back.status_code == 303
    assert "Changes requested" in owner_client.get(draft_url).text
    draft_id = int(draft_url.rsplit("/", 1)[1])
    owner_client.post(f"/approvals/collaborations/{world.collaboration_id}/drafts",
                      data={"csrf_token": token, "draft_id": str(draft_id), "caption": FIXED})  # fmt: skip
    fixed_page = owner_client.get(draft_url).text
    fixed_id = max(int(v) for v in re.findall(r"/approvals/versions/(\d+)/approve", fixed_page))
    approved = owner_client.post(
        f"/approvals/versions/{fixed_id}/approve", data={"csrf_token": token, "next": draft_url}
    )
    assert approved.status_code == 303
    assert "Approved: the content is in the UGC library." in owner_client.get(draft_url).text
    ugc = owner_client.get("/ugc").text
    assert "Story" in ugc and "Usage rights not agreed in writing" in ugc and "Ana Glow" in ugc
    with session_scope(engine) as s:
        kinds = list(s.scalars(select(Touchpoint.kind).where(Touchpoint.creator_id == world.creator_id)))
    assert {"draft_submitted", "changes_requested", "draft_approved"} <= set(kinds)


def test_bad_input_comes_back_with_the_form_as_typed(owner_client: TestClient, engine: Engine) -> None:
    world = make_world(engine)
    token = csrf_from(owner_client.get(f"/approvals/collaborations/{world.collaboration_id}").text)
    response = owner_client.post(
        f"/approvals/collaborations/{world.collaboration_id}/drafts",
        data={"csrf_token": token, "draft_id": "new", "caption": "#ad keep me", "media_urls": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    assert "must be an http:// or https:// address" in response.text and "#ad keep me" in response.text
    api = owner_client.post(f"/api/v1/collaborations/{world.collaboration_id}/drafts", json={"caption": "  "},
                            headers=api_headers(owner_client))  # fmt: skip
    assert api.status_code == 422
    changes = owner_client.post("/api/v1/versions/1/request-changes", json={"comment": ""},
                                headers=api_headers(owner_client))  # fmt: skip
    assert changes.status_code == 422
