"""Follow-ups: a message without a reply after the campaign's ``follow_up_days`` gets a follow-up DRAFT (never a
sent message) in the review queue, up to the campaign's limit. A reply, an opt-out, a bounce or a collaboration
that moved on stops them.

Each sent draft schedules one check of its own message (a job with a key, so a crash or a second run drafts
nothing twice; the draft's unique ``follows_up_message_id`` is the last guard).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration, Stage
from grassroots.config import Settings
from grassroots.errors import InvalidInput
from grassroots.outreach import drafts, repository
from grassroots.outreach.models import CampaignOutreach, DraftKind, MessageStatus, OutboundMessage, OutreachDraft

STILL_WAITING = (Stage.prospect, Stage.contacted)


def max_follow_ups(session: Session, settings: Settings, campaign_id: int) -> int:
    """The campaign's limit, else the installation's default."""
    own = repository.campaign_limit(session, campaign_id)
    return own.max_follow_ups if own is not None else settings.outreach_max_follow_ups


def set_max_follow_ups(session: Session, workspace_id: int, campaign_id: int, value: str) -> int:
    """Save a campaign's limit (0 to 10)."""
    drafts.require_campaign(session, workspace_id, campaign_id)
    try:
        number = int(value.strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 10:
        raise InvalidInput("Follow-ups must be a whole number from 0 to 10.", {"max_follow_ups": "0 to 10"})
    row = repository.campaign_limit(session, campaign_id)
    if row is None:
        session.add(CampaignOutreach(workspace_id=workspace_id, campaign_id=campaign_id, max_follow_ups=number))
    else:
        row.max_follow_ups = number
    session.flush()
    return number


def why_not(
    session: Session, settings: Settings, message: OutboundMessage, draft: OutreachDraft | None, now: datetime
) -> str | datetime | None:
    """Why no follow-up is drafted for the message (a reason), when to look again (a time), or None: draft one."""
    if draft is None:
        return "the message was not sent from a draft"
    if message.status in (MessageStatus.bounced, MessageStatus.blocked_opt_out, MessageStatus.failed):
        return f"the message is {message.status.value.replace('_', ' ')}"
    if repository.opt_out_of(session, message.workspace_id, message.to_email) is not None:
        return "the creator opted out"
    collaboration = session.get(Collaboration, draft.collaboration_id)
    if collaboration is None or collaboration.stage not in STILL_WAITING:
        return "the collaboration moved on"
    campaign = session.get(Campaign, collaboration.campaign_id)
    assert campaign is not None
    if repository.replied(session, message.workspace_id, draft.creator_id, collaboration.id):
        return "the creator replied"
    if draft.follow_up_number >= max_follow_ups(session, settings, campaign.id):
        return "the follow-up limit is reached"
    if message.status != MessageStatus.sent or message.sent_at is None:
        return now + timedelta(days=1)  # still queued (SMTP down, the daily cap): look again tomorrow
    due = message.sent_at + timedelta(days=campaign.follow_up_days)
    return due if due > now else None


def check(session: Session, settings: Settings, workspace_id: int, message_id: int, now: datetime) -> str | datetime:
    """Draft the follow-up of one message if it is due; what happened (a reason) or when to look again."""
    message = session.get(OutboundMessage, message_id)
    if message is None or message.workspace_id != workspace_id:
        return "the message is gone"
    draft = repository.draft_of_message(session, message.id)
    reason = why_not(session, settings, message, draft, now)
    if reason is not None:
        return reason
    assert draft is not None
    collaboration = session.get(Collaboration, draft.collaboration_id)
    assert collaboration is not None
    if any(d.follows_up_message_id == message.id for d in repository.drafts(
            session, workspace_id, collaboration_id=collaboration.id)):  # fmt: skip
        return "a follow-up was drafted already"
    drafts.make_draft(session, settings, collaboration, DraftKind.follow_up, "follow-up schedule",
                      follows_up=message, number=draft.follow_up_number + 1, now=now)  # fmt: skip
    return "drafted"
