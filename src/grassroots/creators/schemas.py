"""Pydantic shapes of creators, accounts and posts, in and out."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from grassroots.creators.models import Platform, PostKind

_HANDLE = re.compile(r"^[\w.\-]{1,100}$")
SortKey = Literal[
    "followers", "-followers", "engagement", "-engagement", "handle", "-handle", "newest", "credibility", "-credibility"
]


def normalise_handle(value: str) -> str:
    """Handles are compared without '@' and case."""
    handle = value.strip().lstrip("@").lower()
    if not _HANDLE.match(handle):
        raise ValueError("handle must be 1–100 letters, digits, '.', '_' or '-'")
    return handle


def http_url(value: object) -> str | None:
    """``value`` when it is an http(s) address, else None: a ``javascript:`` or ``data:`` link never reaches a page."""
    text = "".join(ch for ch in str(value or "") if ch.isprintable()).strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    return text if scheme in {"http", "https"} and "//" in text[:8] else None


def _checked_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    url = http_url(value)
    if url is None:
        raise ValueError("must be an http:// or https:// address")
    return url


Count = Annotated[int, Field(ge=0, le=5_000_000_000)]
WebUrl = Annotated[str | None, Field(default=None, max_length=500), AfterValidator(_checked_url)]


class AccountIn(BaseModel):
    """A social account to create or import."""

    model_config = ConfigDict(str_strip_whitespace=True)

    platform: Platform
    handle: str
    followers: Count
    display_name: str | None = Field(default=None, max_length=200)
    bio: str | None = Field(default=None, max_length=2000)
    location: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=20)
    following: Count | None = None
    posts_count: Count | None = None
    verified: bool = False
    external_id: str | None = Field(default=None, max_length=100)
    url: WebUrl = None

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        return normalise_handle(value)


class CreatorIn(BaseModel):
    """A creator to create, with any number of accounts."""

    model_config = ConfigDict(str_strip_whitespace=True)

    display_name: str = Field(min_length=1, max_length=200)
    location: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=320)
    notes: str | None = Field(default=None, max_length=10_000)
    accounts: list[AccountIn] = Field(default_factory=list, max_length=20)


class CreatorPatch(BaseModel):
    """Fields of a creator that may be changed; absent fields stay as they are."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    location: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=320)
    notes: str | None = Field(default=None, max_length=10_000)


class PostIn(BaseModel):
    """A post to record on an account."""

    kind: PostKind = PostKind.image
    caption: str = Field(default="", max_length=5000)
    hashtags: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    sponsored: bool = False
    likes: Count = 0
    comments: Count = 0
    views: Count | None = None
    saves: Count | None = None
    shares: Count | None = None
    posted_at: datetime
    url: WebUrl = None
    external_id: str | None = Field(default=None, max_length=100)


class AccountOut(BaseModel):
    """A social account as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    creator_id: int
    platform: Platform
    handle: str
    display_name: str | None
    bio: str | None
    location: str | None
    language: str | None
    followers: int
    following: int | None
    posts_count: int | None
    verified: bool
    external_id: str | None
    url: str | None
    engagement_rate: float
    tier: str


class CreatorOut(BaseModel):
    """A creator as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    display_name: str
    location: str | None
    language: str | None
    email: str | None
    notes: str | None
    primary_platform: Platform | None
    primary_handle: str
    followers: int
    engagement_rate: float
    credibility: int | None
    tier: str
    platforms: list[str]


class CreatorDetail(CreatorOut):
    """A creator with its accounts."""

    accounts: list[AccountOut]


class PostOut(PostIn):
    """A post as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int


class SnapshotOut(BaseModel):
    """One day of follower history."""

    model_config = ConfigDict(from_attributes=True)

    day: date
    followers: int
    following: int | None
