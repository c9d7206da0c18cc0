"""API shapes of drafts, messages and replies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from grassroots.outreach.models import DraftKind, DraftStatus, MessageStatus


class DraftsIn(BaseModel):
    """Draft first messages for collaborations of one campaign (none listed: everyone still a prospect)."""

    model_config = ConfigDict(extra="forbid")
    campaign_id: int = Field(ge=1)
    collaboration_ids: list[int] | None = Field(default=None, max_length=1000)


class DraftEdit(BaseModel):
    """A person's edit of a draft."""

    model_config = ConfigDict(extra="forbid")
    subject: str = Field(max_length=500)
    body: str = Field(max_length=20_000)


class SendIn(BaseModel):
    """Send a draft, optionally with a last edit (omitted: as it is stored)."""

    model_config = ConfigDict(extra="forbid")
    subject: str | None = Field(default=None, max_length=500)
    body: str | None = Field(default=None, max_length=20_000)


class ReplyIn(BaseModel):
    """Log by hand that a creator answered."""

    model_config = ConfigDict(extra="forbid")
    collaboration_id: int = Field(ge=1)
    note: str | None = Field(default=None, max_length=2000)


class DraftOut(BaseModel):
    """A draft as the API shows it."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    collaboration_id: int
    creator_id: int
    kind: DraftKind
    status: DraftStatus
    to_email: str | None
    subject: str
    body: str
    language: str
    notes: list[str]
    post_url: str | None
    portal_url: str
    follow_up_number: int
    message_id: int | None
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    can_send_problems: list[str] = []


class MessageOut(BaseModel):
    """A queued or sent message."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    creator_id: int | None
    to_email: str
    subject: str
    status: MessageStatus
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class ReplyOut(BaseModel):
    """A recorded reply."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    creator_id: int
    collaboration_id: int | None
    outbound_message_id: int | None
    source: str
    matched_by: str
    from_email: str | None
    subject: str | None
    snippet: str | None
    logged_by: str
    received_at: datetime
