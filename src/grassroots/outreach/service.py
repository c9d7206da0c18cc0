"""What the outreach pages show: the queue, a campaign's and a collaboration's outreach, the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.campaigns.service import require_campaign, require_collaboration, roster
from grassroots.config import Settings
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput
from grassroots.judgments.outreach import wording
from grassroots.outreach import follow_ups, repository, timeline
from grassroots.outreach.jobs import POLL_JOB, schedule_poll
from grassroots.outreach.models import (
    DraftKind,
    DraftStatus,
    MessageStatus,
    OutboundMessage,
    OutreachDraft,
    OutreachTemplate,
    Reply,
    Touchpoint,
)

PROBLEMS = (MessageStatus.failed, MessageStatus.bounced, MessageStatus.blocked_opt_out)
SENT = (MessageStatus.queued, MessageStatus.sending, MessageStatus.sent)


@dataclass(frozen=True)
class Row:
    """A draft, message or reply with the creator (and collaboration) it concerns."""

    item: Any
    creator: Creator | None
    collaboration: Collaboration | None = None


@dataclass
class Overview:
    """The /outreach queue."""

    counts: dict[str, int]
    drafts: list[Row]
    sent: list[Row]
    replies: list[Row]
    problems: list[Row]
    imap: bool


def _rows(session: Session, workspace_id: int, items: list[Any]) -> list[Row]:
    creators = repository.creators_by_id(session, workspace_id, [i.creator_id for i in items if i.creator_id])
    collab_ids = [c for i in items if (c := getattr(i, "collaboration_id", None))]
    collabs = repository.collaborations_by_id(session, workspace_id, collab_ids)
    return [
        Row(i, creators.get(i.creator_id or 0), collabs.get(getattr(i, "collaboration_id", None) or 0)) for i in items
    ]


def ensure_polling(session: Session, settings: Settings) -> bool:
    """With a mailbox configured, make sure a poll is queued (the poll queues the next one); whether IMAP is on."""
    if not settings.imap_host:
        return False
    if not repository.pending_job(session, POLL_JOB):
        schedule_poll(session, utcnow())
    return True


def overview(session: Session, settings: Settings, workspace_id: int) -> Overview:
    """Drafts to review, sent messages, replies and failures, with counts."""
    drafts = repository.drafts(session, workspace_id, status=DraftStatus.draft)
    by_status = repository.message_counts(session, workspace_id)
    counts = {
        "drafts": repository.draft_counts(session, workspace_id).get(DraftStatus.draft, 0),
        "sent": sum(by_status.get(s, 0) for s in SENT),
        "replies": repository.reply_count(session, workspace_id),
        "problems": sum(by_status.get(s, 0) for s in PROBLEMS),
    }
    return Overview(
        counts=counts,
        drafts=_rows(session, workspace_id, drafts),
        sent=_rows(session, workspace_id, repository.messages(session, workspace_id, SENT, limit=50)),
        replies=_rows(session, workspace_id, repository.replies(session, workspace_id, limit=50)),
        problems=_rows(session, workspace_id, repository.messages(session, workspace_id, PROBLEMS, limit=50)),
        imap=ensure_polling(session, settings),
    )


@dataclass(frozen=True)
class Member:
    """A roster member as the campaign's outreach page lists them."""

    collaboration: Collaboration
    creator: Creator
    opted_out: bool
    latest: OutreachDraft | None


@dataclass(frozen=True)
class CampaignOutreachView:
    """A campaign's outreach: its roster with who was written to, and its follow-up limits."""

    campaign: Campaign
    members: list[Member]
    max_follow_ups: int
    waiting: int


def campaign_view(session: Session, settings: Settings, workspace_id: int, campaign_id: int) -> CampaignOutreachView:
    """The roster with each member's latest draft and opt-out, and the follow-up limits."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    pairs = roster(session, campaign)
    latest: dict[int, OutreachDraft] = {}
    for draft in repository.drafts(session, workspace_id, campaign_id=campaign.id, limit=100_000):
        latest[draft.collaboration_id] = draft
    out = repository.opted_out_addresses(session, workspace_id, [c.email for c, _ in pairs if c.email])
    members = [Member(k, c, (c.email or "").lower() in out, latest.get(k.id)) for c, k in pairs]
    waiting = sum(1 for d in latest.values() if d.status == DraftStatus.draft)
    limit = follow_ups.max_follow_ups(session, settings, campaign.id)
    return CampaignOutreachView(campaign, members, limit, waiting)


@dataclass
class CollaborationOutreach:
    """One collaboration's outreach: drafts, messages, replies and the creator's timeline."""

    campaign: Campaign
    collaboration: Collaboration
    creator: Creator
    drafts: list[OutreachDraft]
    messages: dict[int, OutboundMessage]
    replies: list[Reply]
    timeline: list[Touchpoint] = field(default_factory=list)


def collaboration_view(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int
) -> CollaborationOutreach:
    """Everything written to and heard from the creator in this collaboration."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    collaboration = require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    creator = session.get(Creator, collaboration.creator_id)
    assert creator is not None
    drafts = repository.drafts(session, workspace_id, collaboration_id=collaboration.id)
    ids = [d.message_id for d in drafts if d.message_id]
    messages = {m.id: m for m in repository.messages(session, workspace_id, ids=ids)} if ids else {}
    return CollaborationOutreach(
        campaign, collaboration, creator, drafts, messages,
        repository.replies(session, workspace_id, collaboration_id=collaboration.id),
        timeline.for_creator(session, workspace_id, creator.id),
    )  # fmt: skip


def creator_timeline(session: Session, workspace_id: int, creator_id: int) -> list[Touchpoint]:
    """The creator's timeline for their profile."""
    return timeline.for_creator(session, workspace_id, creator_id)


@dataclass(frozen=True)
class TemplateView:
    """The template settings page: one wording being edited and the list of all."""

    kind: str
    language: str
    subject: str
    body: str
    own: bool
    stored: list[OutreachTemplate]
    languages: tuple[str, ...]
    placeholders: dict[str, str]


def _known(kind: str, language: str) -> tuple[str, str]:
    kind = kind if kind in wording.KINDS else wording.INTRO
    language = (language or wording.DEFAULT_LANGUAGE).strip().lower()
    if not (2 <= len(language) <= 8 and language.replace("-", "").isalpha()):
        raise InvalidInput("A language is a code like en, es or pt-br.", {"language": "a language code"})
    return kind, language


def template_view(session: Session, workspace_id: int, kind: str, language: str) -> TemplateView:
    """The workspace's wording for a kind and language, else the built-in one."""
    kind, language = _known(kind, language)
    stored = repository.templates(session, workspace_id)
    own = repository.template(session, workspace_id, kind, language)
    text = wording.Wording(own.subject, own.body) if own else wording.choose(kind, language, {})[0]
    languages = tuple(sorted({*wording.BUILT_IN_LANGUAGES, *(t.language for t in stored), language}))
    return TemplateView(kind, language, text.subject, text.body, own is not None, stored, languages,
                        wording.PLACEHOLDERS)  # fmt: skip


def save_template(
    session: Session, workspace_id: int, kind: str, language: str, subject: str, body: str, actor: str
) -> OutreachTemplate:
    """Store the workspace's wording; unknown placeholders and a missing {portal_link} are refused."""
    kind, language = _known(kind, language)
    body = body.replace("\r\n", "\n").strip()
    errors = wording.template_errors(subject, body)
    if errors:
        raise InvalidInput("The template was not saved.", errors)
    row = repository.template(session, workspace_id, kind, language)
    if row is None:
        row = OutreachTemplate(workspace_id=workspace_id, kind=DraftKind(kind), language=language)
        session.add(row)
    row.subject, row.body, row.updated_by = " ".join(subject.split()), body, actor
    session.flush()
    return row


def reset_template(session: Session, workspace_id: int, kind: str, language: str) -> None:
    """Forget the workspace's wording: the built-in one applies again."""
    kind, language = _known(kind, language)
    row = repository.template(session, workspace_id, kind, language)
    if row is not None:
        session.delete(row)
        session.flush()


def list_drafts(
    session: Session, workspace_id: int, status: DraftStatus | None, campaign_id: int | None
) -> list[OutreachDraft]:
    """Drafts for the API."""
    if campaign_id is not None:
        require_campaign(session, workspace_id, campaign_id)
    return repository.drafts(session, workspace_id, status=status, campaign_id=campaign_id, limit=1000)


def list_messages(session: Session, workspace_id: int, status: MessageStatus | None) -> list[OutboundMessage]:
    """Messages for the API."""
    return repository.messages(session, workspace_id, [status] if status else None, limit=1000)


def list_replies(session: Session, workspace_id: int) -> list[Reply]:
    """Replies for the API."""
    return repository.replies(session, workspace_id, limit=1000)
