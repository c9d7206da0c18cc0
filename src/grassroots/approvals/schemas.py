"""What the approvals API takes and returns."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from grassroots.approvals.models import RightsStatus, VersionStatus
from grassroots.creators.schemas import http_url

MAX_MEDIA = 20


def _url(value: str) -> str:
    url = http_url(value)
    if url is None or len(url) > 1000:
        raise ValueError("must be an http:// or https:// address (at most 1000 characters)")
    return url


class VersionIn(BaseModel):
    """A new version: of an existing draft (``draft_id``) or the first of a new one (``title``)."""

    draft_id: int | None = Field(default=None, ge=1, le=2**63 - 1, description="a draft of this collaboration")
    title: str | None = Field(default=None, max_length=200, description="the new draft's name, e.g. 'Reel 1'")
    caption: str = Field(min_length=1, max_length=5000, description="the caption exactly as it will be posted")
    media_urls: list[str] = Field(default_factory=list, max_length=MAX_MEDIA, description="photos or video links")
    post_url: str | None = Field(default=None, description="the post's address when it is live already")
    note: str | None = Field(default=None, max_length=2000, description="a note to the reviewer")

    @field_validator("caption")
    @classmethod
    def _caption(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("write the caption")
        return value.strip()

    @field_validator("media_urls")
    @classmethod
    def _media(cls, value: list[str]) -> list[str]:
        return [_url(v) for v in value if v.strip()]

    @field_validator("post_url")
    @classmethod
    def _post(cls, value: str | None) -> str | None:
        return _url(value) if value and value.strip() else None


class CommentIn(BaseModel):
    """A reviewer's words; required when asking for changes."""

    comment: str = Field(min_length=1, max_length=4000)

    @field_validator("comment")
    @classmethod
    def _words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("say what should change")
        return value.strip()


class ApproveIn(BaseModel):
    """An optional note with an approval."""

    comment: str | None = Field(default=None, max_length=4000)


class CommentOut(BaseModel):
    """A note on a draft."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    version_id: int | None
    author: str
    from_creator: bool
    kind: str
    body: str
    created_at: datetime


class VersionOut(BaseModel):
    """One version and its disclosure check; ``blocked_reason`` set means approval is refused."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    draft_id: int
    number: int
    caption: str
    media_urls: list[str]
    post_url: str | None
    submitted_by: str
    via: str
    submitted_at: datetime
    status: VersionStatus
    disclosure: str
    disclosure_reason: str
    expected_disclosure: str
    blocked_reason: str | None
    decided_at: datetime | None
    decided_by: str | None


class DraftOut(BaseModel):
    """A draft with every version (newest first) and its comments."""

    id: int
    collaboration_id: int
    campaign_id: int
    creator_id: int
    creator_name: str
    title: str
    status: VersionStatus
    versions: list[VersionOut]
    comments: list[CommentOut]


class QueueItemOut(BaseModel):
    """A version awaiting review, with whom it is from."""

    draft_id: int
    title: str
    collaboration_id: int
    campaign_id: int
    campaign_name: str
    creator_id: int
    creator_name: str
    version: VersionOut


class UgcOut(BaseModel):
    """An item of the UGC library with its usage rights."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    version_id: int
    collaboration_id: int
    campaign_id: int
    creator_id: int
    title: str
    caption: str
    media_urls: list[str]
    post_url: str | None
    approved_at: datetime
    approved_by: str
    rights: RightsStatus
    agreement_version_id: int | None
    channels: list[str]
    paid_usage: bool
    rights_expire_on: date | None
    exclusivity: str | None
    rights_expired: bool = False
