"""Accepting or declining in the portal: the stage moves (audited as the creator), a touchpoint is recorded,
the brand sees the answer and the note."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Collaboration, Stage, StageChange
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.outreach.models import Touchpoint
from tests.portal.factory import make_world, post, text_of
from tests.support import login, make_user


def _stage(engine: Engine, collab: int) -> tuple[Stage, list[tuple[str, str]]]:
    with session_scope(engine) as s:
        row = s.get(Collaboration, collab)
        assert row is not None
        trail = s.scalars(select(StageChange).where(StageChange.collaboration_id == collab).order_by(StageChange.id))
        return row.stage, [(c.actor, c.to_stage.value) for c in trail]


def _touchpoints(engine: Engine) -> list[tuple[str, str, str]]:
    with session_scope(engine) as s:
        return [(t.kind, t.actor, t.summary) for t in s.scalars(select(Touchpoint).order_by(Touchpoint.id))]


def test_accept_moves_to_agreed_and_the_brand_sees_it(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    response = post(client, world.path, world.path + "/respond", {"decision": "accepted", "note": "Love it!"})
    assert response.status_code == 303
    seen = text_of(client.get(response.headers["location"]).text)
    assert "Thank you! You accepted the offer" in seen and "You accepted this offer" in seen and "“Love it!”" in seen
    stage, trail = _stage(engine, world.collab)
    assert stage is Stage.agreed and trail[-1] == ("creator (portal)", "agreed")
    assert ("accepted", "creator (portal)", "Accepted the offer for Serum launch: “Love it!”") in _touchpoints(engine)
    make_user(engine)
    login(client, "owner@brand.test")
    brand = text_of(client.get(world.manage).text)
    assert "Accepted on" in brand and "“Love it!”" in brand


def test_decline_with_a_note_then_change_of_mind(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    post(client, world.path, world.path + "/respond", {"decision": "declined", "note": "Too busy in December"})
    assert _stage(engine, world.collab)[0] is Stage.declined
    seen = text_of(client.get(world.path).text)
    assert "You declined this offer" in seen and "Changed your mind?" in seen
    post(client, world.path, world.path + "/respond", {"decision": "accepted"})
    stage, trail = _stage(engine, world.collab)
    assert stage is Stage.agreed and [t for _, t in trail] == ["prospect", "declined", "agreed"]


def test_bad_answers_are_refused_with_a_message(client: TestClient, engine: Engine, settings: Settings) -> None:
    world = make_world(engine, settings)
    response = post(client, world.path, world.path + "/respond", {"decision": "maybe", "note": "x" * 10})
    assert response.status_code == 400 and "Choose accept or decline." in text_of(response.text)
    assert _stage(engine, world.collab)[0] is Stage.prospect
    with session_scope(engine) as s:
        row = s.get(Collaboration, world.collab)
        assert row is not None
        row.stage = Stage.live
    response = post(client, world.path + "/address", world.path + "/respond", {"decision": "declined"})
    assert response.status_code == 409 and "already under way" in text_of(response.text)
    assert _stage(engine, world.collab)[0] is Stage.live
