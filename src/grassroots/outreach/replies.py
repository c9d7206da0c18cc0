"""Replies: logged by hand in one click, or read from the mailbox and matched to the message they answer.

A reply stops the follow-ups (open follow-up drafts are skipped, none is drafted again) and moves a contacted
collaboration to replied.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from grassroots.campaigns import audit
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Collaboration, Stage
from grassroots.db.base import utcnow
from grassroots.errors import NotFound
from grassroots.judgments.outreach.replies import IncomingMail
from grassroots.outreach import repository, touchpoints
from grassroots.outreach.models import DraftKind, DraftStatus, OutboundMessage, Reply

NOTE_MAX = 2_000
STOPPED = "not sent: the creator replied"


def _after_reply(session: Session, reply: Reply, actor: Actor) -> None:
    if reply.collaboration_id is not None:
        collaboration = session.get(Collaboration, reply.collaboration_id)
        if collaboration is not None and collaboration.stage in (Stage.prospect, Stage.contacted):
            audit.record(session, collaboration, Stage.replied, actor, note="the creator replied")
        open_follow_ups = [
            d
            for d in repository.drafts(
                session, reply.workspace_id, status=DraftStatus.draft, collaboration_id=reply.collaboration_id
            )
            if d.kind == DraftKind.follow_up
        ]
        for draft in open_follow_ups:
            draft.status, draft.decided_by, draft.decided_at = DraftStatus.skipped, STOPPED, utcnow()
    session.flush()
    touchpoints.reply_received(session, reply)


def log_reply(
    session: Session,
    workspace_id: int,
    collaboration_id: int,
    actor: Actor,
    note: str | None = None,
    *,
    campaign_id: int | None = None,
) -> Reply:
    """Record by hand that the creator answered (one click; the note is optional)."""
    collaboration = session.get(Collaboration, collaboration_id)
    if (
        collaboration is None
        or collaboration.workspace_id != workspace_id
        or campaign_id not in (None, collaboration.campaign_id)
    ):
        raise NotFound(f"collaboration {collaboration_id} not found")
    sent = [d for d in repository.drafts(session, workspace_id, collaboration_id=collaboration_id)
            if d.message_id is not None]  # fmt: skip
    reply = Reply(
        workspace_id=workspace_id, creator_id=collaboration.creator_id, collaboration_id=collaboration.id,
        outbound_message_id=sent[-1].message_id if sent else None, source="by_hand", matched_by="by_hand",
        snippet=(note or "").strip()[:NOTE_MAX] or None, logged_by=actor.name, received_at=utcnow(),
    )  # fmt: skip
    session.add(reply)
    session.flush()
    _after_reply(session, reply, actor)
    return reply


@dataclass(frozen=True)
class Match:
    """Where an incoming mail belongs: a workspace's creator, maybe a collaboration and the message answered."""

    workspace_id: int
    creator_id: int
    collaboration_id: int | None
    message: OutboundMessage | None
    matched_by: str


def match(session: Session, mail: IncomingMail) -> list[Match]:
    """The messages the mail answers (by In-Reply-To, then References), else the creators written at its
    sender's address; empty when it belongs to nobody we wrote to."""
    if mail.answers:
        found = {m.message_id: m for m in repository.messages_by_ids(session, mail.answers) if m.creator_id}
        for position, answered in enumerate(mail.answers):
            if answered in found:
                message = found[answered]
                draft = repository.draft_of_message(session, message.id)
                how = "in_reply_to" if position == 0 else "references"
                assert message.creator_id is not None
                return [Match(message.workspace_id, message.creator_id, draft.collaboration_id if draft else None,
                              message, how)]  # fmt: skip
    if not mail.from_email:
        return []
    return [
        Match(ws, creator, repository.last_collaboration(session, ws, creator), None, "from_address")
        for ws, creator in repository.creators_written_at(session, mail.from_email)
    ]


def record_incoming(session: Session, mail: IncomingMail) -> list[Reply]:
    """Record a mail from the mailbox as a reply wherever it matches (once per workspace and Message-ID)."""
    recorded = []
    for where in match(session, mail):
        if mail.message_id and repository.reply_known(session, where.workspace_id, mail.message_id):
            continue
        reply = Reply(
            workspace_id=where.workspace_id, creator_id=where.creator_id, collaboration_id=where.collaboration_id,
            outbound_message_id=where.message.id if where.message else None, source="imap",
            matched_by=where.matched_by, from_email=mail.from_email, subject=mail.subject or None,
            snippet=mail.snippet or None, rfc_message_id=mail.message_id, logged_by="mailbox",
            received_at=mail.received_at or utcnow(),
        )  # fmt: skip
        session.add(reply)
        session.flush()
        _after_reply(session, reply, Actor("mailbox"))
        recorded.append(reply)
    return recorded
