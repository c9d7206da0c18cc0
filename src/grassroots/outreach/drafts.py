"""Drafts: built from the workspace's template and the creator's own recent post, reviewed one by one, sent only
when a person presses send (through the mail queue: capped, opt-outs honoured, never twice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from grassroots.agreements import service as agreements
from grassroots.campaigns import audit
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign, Collaboration, Stage
from grassroots.campaigns.service import require_campaign, roster
from grassroots.config import Settings
from grassroots.creators.models import Creator, Post
from grassroots.db.base import utcnow
from grassroots.errors import Conflict, InvalidInput, NotFound
from grassroots.jobs import queue
from grassroots.judgments.outreach import wording
from grassroots.judgments.outreach.draft import DraftInputs, PostFacts, build_draft, send_problems
from grassroots.outreach import mail, repository
from grassroots.outreach.models import DraftKind, DraftStatus, OptOut, OutboundMessage, OutreachDraft
from grassroots.portal import links
from grassroots.workspaces.models import Workspace

FOLLOW_UP_JOB = "outreach.follow_up"
SUBJECT_MAX, BODY_MAX = 500, 20_000
LINK_MIN_LIFE = timedelta(days=21)  # a link in a message should outlive the follow-ups
OPTED_OUT = "This address opted out of your emails: the draft cannot be sent."


def own_wordings(session: Session, workspace_id: int) -> dict[tuple[str, str], wording.Wording]:
    """The workspace's stored wordings by (kind, language)."""
    rows = repository.templates(session, workspace_id)
    return {(t.kind.value, t.language): wording.Wording(t.subject, t.body) for t in rows}


def cited_post(session: Session, settings: Settings, creator_id: int, now: datetime) -> Post | None:
    """The post a draft cites: the newest recent one of the creator's own (not sponsored) with a caption and link."""
    posts = repository.recent_posts(session, creator_id, now - timedelta(days=settings.outreach_recent_post_days))
    own = [p for p in posts if not p.sponsored and p.caption.strip() and p.url]
    chosen = own or posts
    return chosen[0] if chosen else None


def portal_link(session: Session, settings: Settings, collaboration: Collaboration, actor: str, now: datetime) -> str:
    """The collaboration's live portal link (one with weeks left, so a follow-up repeats it), else a new one. The
    brief and agreement get version 1 from the campaign first, so the creator never opens an empty agreement."""
    agreements.ensure_documents(session, collaboration.workspace_id, collaboration.id, created_by=actor)
    for link in links.links_for(session, collaboration.workspace_id, collaboration.id):
        if link.revoked_at is None and link.expires_at > now + LINK_MIN_LIFE:
            return links.url(settings, links.token_for(settings, link))
    _, token = links.issue(session, settings, collaboration, created_by=actor, now=now)
    return links.url(settings, token)


def make_draft(
    session: Session,
    settings: Settings,
    collaboration: Collaboration,
    kind: DraftKind,
    actor: str,
    *,
    follows_up: OutboundMessage | None = None,
    number: int = 0,
    now: datetime | None = None,
) -> OutreachDraft:
    """Build and store one draft for a collaboration (flushed)."""
    now = now or utcnow()
    creator = session.get(Creator, collaboration.creator_id)
    campaign = session.get(Campaign, collaboration.campaign_id)
    workspace = session.get(Workspace, collaboration.workspace_id)
    assert creator is not None and campaign is not None and workspace is not None
    post = cited_post(session, settings, creator.id, now)
    portal_url = portal_link(session, settings, collaboration, actor, now)
    facts = PostFacts(post.caption, post.url, list(post.hashtags or [])) if post else None
    original = (follows_up.subject if follows_up else "").removeprefix("Re: ")
    text = build_draft(
        DraftInputs(kind=kind.value, display_name=creator.display_name, handle=creator.primary_handle,
                    brand=workspace.name, campaign=campaign.name, portal_link=portal_url, sender=workspace.name,
                    post=facts, known_language=creator.language or repository.account_language(session, creator.id),
                    original_subject=original, own=own_wordings(session, workspace.id))
    )  # fmt: skip
    notes = list(text.notes)
    if not creator.email:
        notes.append("No email address for this creator yet: add one on their profile.")
    elif repository.opt_out_of(session, workspace.id, creator.email) is not None:
        notes.append(OPTED_OUT)
    draft = OutreachDraft(
        workspace_id=collaboration.workspace_id, collaboration_id=collaboration.id, creator_id=creator.id,
        kind=kind, status=DraftStatus.draft, to_email=creator.email, subject=text.subject[:SUBJECT_MAX],
        body=text.body, language=text.language, notes=notes, post_id=post.id if post and facts else None,
        post_url=post.url if post and not text.needs_personal_line else None, portal_url=portal_url,
        follows_up_message_id=follows_up.id if follows_up else None, follow_up_number=number,
        created_by=actor, created_at=now,
    )  # fmt: skip
    session.add(draft)
    session.flush()
    return draft


def draft_outreach(
    session: Session,
    settings: Settings,
    workspace_id: int,
    campaign_id: int,
    collaboration_ids: list[int] | None,
    actor: Actor,
) -> list[OutreachDraft]:
    """First-message drafts for the chosen collaborations (None: everyone still at prospect); an open draft is
    returned as it is rather than drafted twice."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    members = {collab.id: collab for _, collab in roster(session, campaign)}
    if collaboration_ids is None:
        wanted = [c for c in members.values() if c.stage == Stage.prospect]
    else:
        unknown = [i for i in collaboration_ids if i not in members]
        if unknown:
            raise NotFound(f"collaboration {unknown[0]} not found in campaign {campaign_id}")
        wanted = [members[i] for i in dict.fromkeys(collaboration_ids)]
    if not wanted:
        raise InvalidInput("Tick at least one creator (everyone on the roster has been written to already).")
    return [
        repository.open_intro(session, workspace_id, c.id) or make_draft(session, settings, c, DraftKind.intro,
                                                                          actor.name)
        for c in wanted
    ]  # fmt: skip


def require_draft(session: Session, workspace_id: int, draft_id: int) -> OutreachDraft:
    """One of the workspace's drafts, or NotFound."""
    draft = session.get(OutreachDraft, draft_id)
    if draft is None or draft.workspace_id != workspace_id:
        raise NotFound(f"draft {draft_id} not found")
    return draft


def _require_open(session: Session, workspace_id: int, draft_id: int) -> OutreachDraft:
    draft = require_draft(session, workspace_id, draft_id)
    if draft.status != DraftStatus.draft:
        raise Conflict(f"This draft was {draft.status.value} already.")
    _address(session, draft)
    return draft


def _address(session: Session, draft: OutreachDraft) -> None:
    """A draft made before the creator had an address takes the one added since."""
    if not draft.to_email and draft.status == DraftStatus.draft:
        creator = session.get(Creator, draft.creator_id)
        draft.to_email = creator.email if creator is not None else None


def _checked(subject: str, body: str) -> tuple[str, str]:
    subject, body = " ".join(subject.split()), body.replace("\r\n", "\n").strip()
    errors = {}
    if len(subject) > SUBJECT_MAX:
        errors["subject"] = f"The subject is longer than {SUBJECT_MAX} characters."
    if len(body) > BODY_MAX:
        errors["body"] = f"The message is longer than {BODY_MAX} characters."
    if errors:
        raise InvalidInput("The draft was not saved.", errors)
    return subject, body


def save_draft(session: Session, workspace_id: int, draft_id: int, subject: str, body: str) -> OutreachDraft:
    """Keep the person's edits (nothing is sent)."""
    draft = _require_open(session, workspace_id, draft_id)
    draft.subject, draft.body = _checked(subject, body)
    session.flush()
    return draft


def opt_out(session: Session, draft: OutreachDraft) -> OptOut | None:
    """The opt-out blocking this draft, if any."""
    return repository.opt_out_of(session, draft.workspace_id, draft.to_email)


def problems(session: Session, draft: OutreachDraft, subject: str | None = None, body: str | None = None) -> list[str]:
    """Why the draft cannot be sent as it stands (empty: it can)."""
    found = []
    if not draft.to_email:
        found.append("There is no email address for this creator: add one on their profile.")
    elif opt_out(session, draft) is not None:
        found.append(OPTED_OUT)
    found += send_problems(draft.subject if subject is None else subject, draft.body if body is None else body,
                           draft.portal_url)  # fmt: skip
    return found


def send_draft(
    session: Session, settings: Settings, workspace_id: int, draft_id: int, subject: str, body: str, actor: Actor
) -> OutboundMessage:
    """Send the reviewed draft as it reads now: queue its message, move the collaboration to contacted and
    schedule the follow-up check. Refused (nothing sent, edits kept) when something must be fixed first."""
    draft = _require_open(session, workspace_id, draft_id)
    draft.subject, draft.body = _checked(subject, body)
    found = problems(session, draft)
    if found:
        session.flush()
        raise InvalidInput(" ".join(found), {"body": found[0]})
    headers = {}
    if draft.follows_up_message_id and (earlier := session.get(OutboundMessage, draft.follows_up_message_id)):
        headers = {"In-Reply-To": earlier.message_id, "References": earlier.message_id}  # threads in mail clients
    message = mail.queue_message(session, settings, workspace_id, to=draft.to_email or "", subject=draft.subject,
                                 body=draft.body, key=f"outreach:draft-{draft.id}", creator_id=draft.creator_id,
                                 extra_headers=headers)  # fmt: skip
    now = utcnow()
    draft.status, draft.message_id, draft.decided_by, draft.decided_at = DraftStatus.sent, message.id, actor.name, now
    collaboration = session.get(Collaboration, draft.collaboration_id)
    campaign = session.get(Campaign, collaboration.campaign_id) if collaboration else None
    if collaboration is not None and collaboration.stage == Stage.prospect:
        audit.record(session, collaboration, Stage.contacted, actor, note="outreach email sent", at=now)
    days = campaign.follow_up_days if campaign is not None else 7
    queue.enqueue(session, FOLLOW_UP_JOB, {"message_id": message.id}, workspace_id=workspace_id,
                  key=f"{FOLLOW_UP_JOB}:{message.id}", run_at=now + timedelta(days=days))  # fmt: skip
    session.flush()
    return message


def skip_draft(session: Session, workspace_id: int, draft_id: int, actor: Actor) -> OutreachDraft:
    """Leave the draft unsent (it stays on record as skipped)."""
    draft = _require_open(session, workspace_id, draft_id)
    draft.status, draft.decided_by, draft.decided_at = DraftStatus.skipped, actor.name, utcnow()
    session.flush()
    return draft


@dataclass(frozen=True)
class Review:
    """What the review page shows for one draft."""

    draft: OutreachDraft
    creator: Creator
    campaign: Campaign
    opt_out: OptOut | None
    problems: list[str]
    waiting: int  # drafts waiting for review, this one included
    next_id: int | None  # the next draft in the queue after this one


def review(session: Session, workspace_id: int, draft_id: int) -> Review:
    """The draft with its creator, campaign, what blocks it, and its place in the queue."""
    draft = require_draft(session, workspace_id, draft_id)
    _address(session, draft)
    creator = session.get(Creator, draft.creator_id)
    collaboration = session.get(Collaboration, draft.collaboration_id)
    campaign = session.get(Campaign, collaboration.campaign_id) if collaboration else None
    assert creator is not None and campaign is not None
    waiting = repository.drafts(session, workspace_id, status=DraftStatus.draft, limit=10_000)
    later = [d.id for d in waiting if d.id != draft.id]
    after = [i for i in later if i > draft.id] or later
    return Review(draft, creator, campaign, opt_out(session, draft), problems(session, draft) if
                  draft.status == DraftStatus.draft else [], len(waiting), after[0] if after else None)  # fmt: skip


def next_draft(session: Session, workspace_id: int, after: int = 0) -> int | None:
    """The next draft waiting for review (after ``after``, else the first)."""
    waiting = [d.id for d in repository.drafts(session, workspace_id, status=DraftStatus.draft, limit=10_000)]
    later = [i for i in waiting if i > after]
    chosen = later or waiting
    return chosen[0] if chosen else None
