"""The brand's brief and agreement page: defaults from the campaign, a new version per save, messages on bad
input, version history, PDFs; another workspace sees and changes nothing (404)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.agreements.models import DocumentVersion
from grassroots.config import Settings
from grassroots.db.session import session_scope
from tests.campaigns.factory import field_errors, other_client
from tests.portal.factory import make_world, text_of
from tests.support import csrf_from

BRIEF = {"key_messages": "Glow without filters", "dos": "Show the texture", "donts": "No before/after photos",
         "disclosure": "#ad · Paid partnership with Brand", "hashtags": "serumglow #brand",
         "links": "ANA10\nhttps://brand.test/serum", "deadlines": "2026-12-10 draft for approval"}  # fmt: skip


def _versions(engine: Engine) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count(DocumentVersion.id))) or 0)


def test_editor_starts_from_the_campaign_and_saves_new_versions(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine, settings)  # the link created version 1 of both from the campaign
    page = owner_client.get(world.documents)
    seen = text_of(page.text)
    assert page.status_code == 200 and "Brief current 1" in seen and "Agreement current 1" in seen
    assert "waiting for the creator" in seen and "Glow without filters" in page.text and "#serumglow" in page.text
    token = csrf_from(page.text)
    saved = owner_client.post(world.documents + "/brief", data={"csrf_token": token, **BRIEF})
    assert saved.status_code == 303
    seen = text_of(owner_client.get(saved.headers["location"]).text)
    assert "Brief saved as version 2." in seen
    again = owner_client.post(world.documents + "/brief", data={"csrf_token": token, **BRIEF})
    assert "No changes: still version 2." in text_of(owner_client.get(again.headers["location"]).text)
    assert _versions(engine) == 3
    with session_scope(engine) as s:
        brief = s.scalars(select(DocumentVersion).where(DocumentVersion.number == 2)).one()
        assert brief.fields["hashtags"] == ["#serumglow", "#brand"]
        assert brief.fields["deadlines"] == [{"on": "2026-12-10", "what": "draft for approval"}]
        version_id = brief.id
    view = owner_client.get(f"{world.documents}/{version_id}")
    assert "Brief, version 2" in text_of(view.text) and "2026-12-10: draft for approval" in text_of(view.text)
    pdf = owner_client.get(f"{world.documents}/{version_id}/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_bad_input_is_shown_beside_the_boxes_and_nothing_is_saved(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine, settings)
    token = csrf_from(owner_client.get(world.documents).text)
    bad = owner_client.post(world.documents + "/brief",
                            data={"csrf_token": token, **BRIEF, "disclosure": "", "deadlines": "soon: draft"})  # fmt: skip
    assert bad.status_code == 400 and "The brief was not saved" in text_of(bad.text)
    assert field_errors(bad.text) == ["start “soon: draft” with a date, e.g. 2026-12-10"]
    assert ">soon: draft</textarea>" in bad.text and "No before/after photos" in bad.text  # nothing typed is lost
    bad = owner_client.post(world.documents + "/agreement",
                            data={"csrf_token": token, "deliverables": "", "payment_terms": "", "disclosure": "#ad",
                                  "usage_expires_on": "not a date"})  # fmt: skip
    assert bad.status_code == 400 and "this is required" in field_errors(bad.text)
    assert _versions(engine) == 2


def test_another_workspace_sees_and_changes_nothing(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    world = make_world(engine, settings)
    with session_scope(engine) as s:
        version_id = s.scalars(select(DocumentVersion.id)).first()
    other = other_client(engine, settings)
    token = csrf_from(other.get("/settings/tokens").text)
    assert other.get(world.documents).status_code == 404
    assert other.get(f"{world.documents}/{version_id}").status_code == 404
    assert other.get(f"{world.documents}/{version_id}/pdf").status_code == 404
    response = other.post(world.documents + "/brief", data={"csrf_token": token, **BRIEF})
    assert response.status_code == 404 and _versions(engine) == 2
