"""Replies read over IMAP (imaplib against a small local IMAP4 server) and matched to our messages; each read once."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage, Message

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.campaigns.audit import Actor
from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.jobs.models import Job
from grassroots.jobs.runner import Runner, load_handlers
from grassroots.outreach import drafts, imap, service
from grassroots.outreach.jobs import POLL_JOB
from grassroots.outreach.models import DraftKind, ImapSeen, OutreachDraft, Reply
from tests.outreach.conftest import Sink
from tests.outreach.imap_server import ImapServer
from tests.outreach.world import World, make_world
from tests.support import csrf_from, make_user

load_handlers()
ME = Actor("owner@brand.test")


def _mail(sender: str, text: str, message_id: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "hello@brand.test", "Re: your note"
    message["Message-ID"], message["Date"] = message_id, "Mon, 07 Dec 2026 10:00:00 +0000"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text + "\n\nOn Mon, Dec 7, 2026 Brand wrote:\n> Hi\n")
    return message.as_bytes()


def _send_all(engine: Engine, settings: Settings, world: World, sink: Sink) -> list[Message]:
    with session_scope(engine) as session:
        for handle in ("maya.bakes", "lucia.cocina"):
            [d] = drafts.draft_outreach(session, settings, world.workspace_id, world.campaign_id,
                                        [world.collaborations[handle]], ME)  # fmt: skip
            drafts.send_draft(session, settings, world.workspace_id, d.id, d.subject, d.body, ME)
    Runner(engine, settings, lease_seconds=60).run_due()
    return sorted(sink.received, key=lambda m: str(m["To"]))


def _imap(settings: Settings, server: ImapServer) -> Settings:
    return settings.model_copy(update={"imap_host": "127.0.0.1", "imap_port": server.port, "imap_ssl": False,
                                       "imap_user": server.user, "imap_password": "pw"})  # fmt: skip


def _replies(engine: Engine) -> list[Reply]:
    with session_scope(engine) as session:
        rows = list(session.scalars(select(Reply).order_by(Reply.id)))
        session.expunge_all()
        return rows


def test_replies_are_matched_by_thread_then_sender_and_read_once(
    engine: Engine, settings: Settings, sink: Sink
) -> None:
    make_user(engine)
    world = make_world(engine, follow_up_days=3)
    _, maya_sent = _send_all(engine, settings, world, sink)
    with ImapServer() as server:
        server.messages = {
            3: _mail("Maya <maya@creator.test>", "Yes, I'd love to!", "<r1@creator.test>",
                     In_Reply_To=str(maya_sent["Message-ID"]), References=str(maya_sent["Message-ID"])),
            4: _mail("lucia@creator.test", "¡Claro que sí!", "<r2@creator.test>"),  # no threading headers
            5: _mail("stranger@else.test", "Buy my course", "<spam@else.test>"),
            6: _mail("maya@creator.test", "I am away", "<ooo@creator.test>", Auto_Submitted="auto-replied",
                     In_Reply_To=str(maya_sent["Message-ID"])),
        }  # fmt: skip
        config = _imap(settings, server)
        result = imap.poll(engine, config)
        assert (result.read, result.recorded, result.unmatched, result.automatic) == (4, 2, 1, 1)
        assert any(c.startswith("EXAMINE") for c in server.commands), "the folder is opened read-only"
        assert any("BODY.PEEK[]" in c for c in server.commands), "messages are not marked read"
        maya, lucia = _replies(engine)
        assert (maya.matched_by, maya.snippet, maya.source) == ("in_reply_to", "Yes, I'd love to!", "imap")
        assert maya.collaboration_id == world.collaborations["maya.bakes"] and maya.outbound_message_id
        assert (lucia.matched_by, lucia.collaboration_id) == ("from_address", world.collaborations["lucia.cocina"])
        assert lucia.outbound_message_id is None
        assert imap.poll(engine, config).read == 0, "nothing is read twice"
        server.messages[7] = server.messages[3]  # the same mail again under a new UID (copied between folders)
        again = imap.poll(engine, config)
        assert (again.read, again.recorded) == (1, 0) and len(_replies(engine)) == 2
    with session_scope(engine) as session:
        assert sorted(s.uid for s in session.scalars(select(ImapSeen))) == [3, 4, 5, 6, 7]
        points = service.creator_timeline(session, world.workspace_id, world.creators["maya.bakes"])
        assert points[0].kind == "reply" and "read from the mailbox" in points[0].summary
    Runner(engine, settings, lease_seconds=60).run_due(utcnow() + timedelta(days=10))
    with session_scope(engine) as session:
        follow = session.scalars(select(OutreachDraft).where(OutreachDraft.kind == DraftKind.follow_up)).all()
    assert follow == [], "no follow-up after a reply"


def test_the_poll_job_reads_the_mailbox_and_queues_the_next_poll(
    engine: Engine, settings: Settings, sink: Sink
) -> None:
    make_user(engine)
    world = make_world(engine)
    _, maya_sent = _send_all(engine, settings, world, sink)
    with ImapServer() as server:
        server.messages = {1: _mail("maya@creator.test", "Count me in", "<r9@creator.test>",
                                    In_Reply_To=str(maya_sent["Message-ID"]))}  # fmt: skip
        config = _imap(settings, server)
        with session_scope(engine) as session:
            assert service.ensure_polling(session, config)
            assert service.ensure_polling(session, config), "a second call queues nothing more"
        now = utcnow() + timedelta(seconds=1)
        Runner(engine, config, lease_seconds=60).run_due(now)
        assert [r.snippet for r in _replies(engine)] == ["Count me in"]
        with session_scope(engine) as session:
            jobs = session.scalars(select(Job).where(Job.kind == POLL_JOB).order_by(Job.id)).all()
            assert [j.status.value for j in jobs] == ["done", "queued"]
            assert jobs[1].run_at > now


def test_a_wrong_login_is_a_mailbox_error_not_a_crash(engine: Engine, settings: Settings) -> None:
    with ImapServer() as server, pytest.raises(imap.MailboxError, match="wrong login"):
        imap.poll(engine, _imap(settings, server).model_copy(update={"imap_user": "someone-else@brand.test"}))


def test_log_a_reply_in_one_click(owner_client: TestClient, engine: Engine, settings: Settings, sink: Sink) -> None:
    world = make_world(engine)
    _send_all(engine, settings, world, sink)
    path = f"/campaigns/{world.campaign_id}/collaborations/{world.collaborations['maya.bakes']}/outreach"
    page = owner_client.get(path)
    assert "They replied" in page.text and "No reply yet." in page.text
    done = owner_client.post(f"{path}/reply", data={"csrf_token": csrf_from(page.text)})
    assert done.status_code == 303 and done.headers["location"] == path
    after = owner_client.get(path).text
    assert "Reply logged" in after and "logged by owner@brand.test" in after and "Replied" in after
    queue = owner_client.get("/outreach").text
    assert 'Replies</span><span class="value">1' in queue
