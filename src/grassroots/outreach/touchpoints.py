"""What outreach writes on the creator's timeline: each message sent or bounced, each reply."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grassroots.outreach import repository, timeline
from grassroots.outreach.models import DraftKind, MessageStatus, OutboundMessage, Reply


def message_outcome(session: Session, message: OutboundMessage) -> None:
    """A sent or bounced message on its creator's timeline (a message to nobody we know records nothing)."""
    if message.creator_id is None:
        return
    draft = repository.draft_of_message(session, message.id)
    follow_up = draft is not None and draft.kind == DraftKind.follow_up
    if message.status == MessageStatus.bounced:
        kind, summary = "email_bounced", f"Email bounced: {message.subject}"
    else:
        kind = "follow_up_sent" if follow_up else "email_sent"
        summary = f"{'Follow-up' if follow_up else 'Email'} sent: {message.subject}"
    timeline.record(
        session,
        workspace_id=message.workspace_id,
        creator_id=message.creator_id,
        kind=kind,
        summary=summary,
        detail=message.last_error if message.status == MessageStatus.bounced else None,
        collaboration_id=draft.collaboration_id if draft else None,
        url=f"/outreach/drafts/{draft.id}" if draft else None,
        actor=(draft.decided_by or "system") if draft else "system",
        ref=("outbound_message", message.id),
    )


def reply_received(session: Session, reply: Reply) -> None:
    """A reply on its creator's timeline."""
    how = "logged by hand" if reply.source == "by_hand" else "read from the mailbox"
    timeline.record(
        session,
        workspace_id=reply.workspace_id,
        creator_id=reply.creator_id,
        kind="reply",
        summary=f"Replied ({how})" + (f": {reply.subject}" if reply.subject else ""),
        detail=reply.snippet,
        collaboration_id=reply.collaboration_id,
        actor=reply.logged_by,
        ref=("outreach_reply", reply.id),
        at=reply.received_at,
    )
