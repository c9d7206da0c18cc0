"""Follow-ups are drafted (never sent) after the campaign's wait, up to the limit, and stop after a reply or bounce."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Collaboration, Stage
from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.jobs.runner import Runner, load_handlers
from grassroots.outreach import drafts, follow_ups, replies, timeline
from grassroots.outreach.models import DraftKind, DraftStatus, OutreachDraft
from tests.outreach.conftest import Sink
from tests.outreach.world import World, make_world
from tests.support import make_user

load_handlers()
ME = Actor("owner@brand.test")


def _send_first(engine: Engine, settings: Settings, world: World, handle: str = "maya.bakes") -> int:
    with session_scope(engine) as session:
        [draft] = drafts.draft_outreach(session, settings, world.workspace_id, world.campaign_id,
                                        [world.collaborations[handle]], ME)  # fmt: skip
        drafts.send_draft(session, settings, world.workspace_id, draft.id, draft.subject, draft.body, ME)
        return draft.id


def _follow_ups(engine: Engine) -> list[OutreachDraft]:
    with session_scope(engine) as session:
        rows = list(session.scalars(select(OutreachDraft).where(OutreachDraft.kind == DraftKind.follow_up)
                                    .order_by(OutreachDraft.id)))  # fmt: skip
        session.expunge_all()
        return rows


def _run(engine: Engine, settings: Settings, at: datetime) -> None:
    Runner(engine, settings, lease_seconds=60).run_due(at)


def _send(engine: Engine, settings: Settings, world: World, draft: OutreachDraft) -> None:
    with session_scope(engine) as session:
        drafts.send_draft(session, settings, world.workspace_id, draft.id, draft.subject, draft.body, ME)


def test_follow_ups_are_drafted_after_the_wait_threaded_and_limited(
    engine: Engine, settings: Settings, sink: Sink
) -> None:
    make_user(engine)
    world = make_world(engine, follow_up_days=3)
    _send_first(engine, settings, world)
    now = utcnow()
    _run(engine, settings, now)
    assert len(sink.received) == 1
    _run(engine, settings, now + timedelta(days=2))
    assert _follow_ups(engine) == [], "not before the campaign's wait"
    _run(engine, settings, now + timedelta(days=3, minutes=1))
    [first] = _follow_ups(engine)
    assert first.status == DraftStatus.draft and first.follow_up_number == 1
    assert first.subject.startswith("Re: ") and "gentle nudge" in first.body and first.portal_url in first.body
    with session_scope(engine) as session:
        intro = session.scalars(select(OutreachDraft).where(OutreachDraft.kind == DraftKind.intro)).first()
        assert intro is not None and intro.portal_url == first.portal_url, "the follow-up repeats the same link"
    assert len(sink.received) == 1, "a follow-up is only drafted, never sent by the schedule"
    _run(engine, settings, now + timedelta(days=3, minutes=2))
    assert len(_follow_ups(engine)) == 1, "drafted once"
    _send(engine, settings, world, first)
    _run(engine, settings, now + timedelta(days=3, minutes=3))
    assert sink.received[1]["In-Reply-To"] == sink.received[0]["Message-ID"]
    _run(engine, settings, now + timedelta(days=7))
    second = _follow_ups(engine)[1]
    assert second.follow_up_number == 2
    _send(engine, settings, world, second)
    _run(engine, settings, now + timedelta(days=7, minutes=1))
    _run(engine, settings, now + timedelta(days=30))
    assert len(_follow_ups(engine)) == 2, "the default limit is two"
    with session_scope(engine) as session:
        kinds = [p.kind for p in timeline.for_creator(session, world.workspace_id, world.creators["maya.bakes"])]
    assert kinds == ["follow_up_sent", "follow_up_sent", "email_sent"]


def test_a_reply_stops_follow_ups_and_skips_the_open_one(engine: Engine, settings: Settings, sink: Sink) -> None:
    make_user(engine)
    world = make_world(engine, follow_up_days=3)
    _send_first(engine, settings, world)
    now = utcnow()
    _run(engine, settings, now + timedelta(days=4))
    [open_one] = _follow_ups(engine)
    with session_scope(engine) as session:
        replies.log_reply(session, world.workspace_id, world.collaborations["maya.bakes"], ME, "Yes please!")
    [after] = _follow_ups(engine)
    assert after.id == open_one.id and after.status == DraftStatus.skipped
    with session_scope(engine) as session:
        collab = session.get(Collaboration, world.collaborations["maya.bakes"])
        assert collab is not None and collab.stage == Stage.replied
        points = timeline.for_creator(session, world.workspace_id, world.creators["maya.bakes"])
        assert points[0].kind == "reply" and points[0].detail == "Yes please!"


def test_a_reply_before_the_wait_means_no_follow_up(engine: Engine, settings: Settings, sink: Sink) -> None:
    make_user(engine)
    world = make_world(engine, follow_up_days=3)
    _send_first(engine, settings, world)
    now = utcnow()
    _run(engine, settings, now)
    with session_scope(engine) as session:
        replies.log_reply(session, world.workspace_id, world.collaborations["maya.bakes"], ME)
    _run(engine, settings, now + timedelta(days=10))
    assert _follow_ups(engine) == []


def test_a_bounce_or_a_limit_of_zero_means_no_follow_up(engine: Engine, settings: Settings, sink: Sink) -> None:
    make_user(engine)
    world = make_world(engine, follow_up_days=3)
    sink.handler.reply = "550 5.1.1 No such user"
    _send_first(engine, settings, world)
    now = utcnow()
    _run(engine, settings, now)
    with session_scope(engine) as session:
        follow_ups.set_max_follow_ups(session, world.workspace_id, world.campaign_id, "0")
        points = timeline.for_creator(session, world.workspace_id, world.creators["maya.bakes"])
        assert points[0].kind == "email_bounced" and "550" in (points[0].detail or "")
    sink.handler.reply = None
    _send_first(engine, settings, world, "lucia.cocina")
    _run(engine, settings, now + timedelta(days=10))
    assert _follow_ups(engine) == []
