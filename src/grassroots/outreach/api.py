"""/api/v1 for outreach: draft, list, edit, send one draft (explicitly), skip, log a reply, list messages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from grassroots.campaigns.audit import Actor
from grassroots.outreach import drafts, replies, service
from grassroots.outreach.models import DraftStatus, MessageStatus
from grassroots.outreach.schemas import DraftEdit, DraftOut, DraftsIn, MessageOut, ReplyIn, ReplyOut, SendIn
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES, tags=["outreach"])


def _out(db: DB, draft: drafts.OutreachDraft) -> DraftOut:
    out = DraftOut.model_validate(draft)
    out.can_send_problems = drafts.problems(db, draft) if draft.status == DraftStatus.draft else []
    return out


@router.post("/outreach/drafts", response_model=list[DraftOut], status_code=201)
def create_drafts(request: Request, data: DraftsIn, user: ApiWriter, db: DB) -> list[DraftOut]:
    """Draft personal first messages (nothing is sent); an open draft of a collaboration is returned as it is."""
    made = drafts.draft_outreach(db, request.app.state.settings, user.workspace_id, data.campaign_id,
                                 data.collaboration_ids, Actor.of(user))  # fmt: skip
    return [_out(db, d) for d in made]


@router.get("/outreach/drafts", response_model=list[DraftOut])
def list_drafts(
    user: ApiUser,
    db: DB,
    status: DraftStatus | None = DraftStatus.draft,
    campaign_id: Annotated[int | None, Query(ge=1)] = None,
) -> list[DraftOut]:
    """Drafts in review order (default: those waiting for review)."""
    return [_out(db, d) for d in service.list_drafts(db, user.workspace_id, status, campaign_id)]


@router.get("/outreach/drafts/{draft_id}", response_model=DraftOut)
def get_draft(draft_id: Id, user: ApiUser, db: DB) -> DraftOut:
    """One draft, with what still blocks sending it."""
    return _out(db, drafts.require_draft(db, user.workspace_id, draft_id))


@router.patch("/outreach/drafts/{draft_id}", response_model=DraftOut)
def edit_draft(draft_id: Id, data: DraftEdit, user: ApiWriter, db: DB) -> DraftOut:
    """Edit the subject and body (nothing is sent)."""
    return _out(db, drafts.save_draft(db, user.workspace_id, draft_id, data.subject, data.body))


@router.post("/outreach/drafts/{draft_id}/send", response_model=MessageOut)
def send_draft(request: Request, draft_id: Id, data: SendIn, user: ApiWriter, db: DB) -> MessageOut:
    """Send this one draft (explicitly; there is no bulk send): its message joins the mail queue."""
    draft = drafts.require_draft(db, user.workspace_id, draft_id)
    subject = draft.subject if data.subject is None else data.subject
    body = draft.body if data.body is None else data.body
    message = drafts.send_draft(db, request.app.state.settings, user.workspace_id, draft_id, subject, body,
                                Actor.of(user))  # fmt: skip
    return MessageOut.model_validate(message)


@router.post("/outreach/drafts/{draft_id}/skip", response_model=DraftOut)
def skip_draft(draft_id: Id, user: ApiWriter, db: DB) -> DraftOut:
    """Leave the draft unsent."""
    return _out(db, drafts.skip_draft(db, user.workspace_id, draft_id, Actor.of(user)))


@router.post("/outreach/replies", response_model=ReplyOut, status_code=201)
def log_reply(data: ReplyIn, user: ApiWriter, db: DB) -> ReplyOut:
    """Record that the creator of a collaboration replied (follow-ups stop)."""
    return ReplyOut.model_validate(
        replies.log_reply(db, user.workspace_id, data.collaboration_id, Actor.of(user), data.note)
    )


@router.get("/outreach/messages", response_model=list[MessageOut])
def list_messages(user: ApiUser, db: DB, status: MessageStatus | None = None) -> list[MessageOut]:
    """Messages, newest first (``status``: queued, sending, sent, failed, bounced, blocked_opt_out)."""
    return [MessageOut.model_validate(m) for m in service.list_messages(db, user.workspace_id, status)]


@router.get("/outreach/replies", response_model=list[ReplyOut])
def list_replies(user: ApiUser, db: DB) -> list[ReplyOut]:
    """Replies, newest first."""
    return [ReplyOut.model_validate(r) for r in service.list_replies(db, user.workspace_id)]
