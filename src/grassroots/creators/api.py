"""JSON API for creators, accounts and posts under /api/v1."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel

from grassroots.creators import service
from grassroots.creators.models import Platform
from grassroots.creators.repository import SORTS, CreatorFilters
from grassroots.creators.schemas import (
    AccountIn,
    AccountOut,
    CreatorDetail,
    CreatorIn,
    CreatorOut,
    CreatorPatch,
    PostIn,
    PostOut,
    SnapshotOut,
    SortKey,
)
from grassroots.creators.tiers import Tier
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES, tags=["creators"])
T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of results; pass ``next_cursor`` as ``cursor`` to get the next one."""

    items: list[T]
    total: int | None = None
    next_cursor: str | None


@router.get("/creators", response_model=Page[CreatorOut])
def list_creators(
    user: ApiUser,
    db: DB,
    platform: Platform | None = None,
    tier: Tier | None = None,
    min_followers: Annotated[int | None, Query(ge=0, le=10**12)] = None,
    max_followers: Annotated[int | None, Query(ge=0, le=10**12)] = None,
    min_engagement: Annotated[float | None, Query(ge=0, le=10**6, description="percent, e.g. 7.5")] = None,
    max_engagement: Annotated[float | None, Query(ge=0, le=10**6, description="percent")] = None,
    location: str | None = None,
    q: Annotated[str | None, Query(description="words in handle, name, bio or captions")] = None,
    min_credibility: Annotated[int | None, Query(ge=0, le=100)] = None,
    max_credibility: Annotated[int | None, Query(ge=0, le=100)] = None,
    sort: SortKey = "-followers",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> Page[CreatorOut]:
    """Creators of the workspace, filtered and sorted, by keyset cursor."""
    filters = CreatorFilters.from_values(locals())
    assert sort in SORTS
    page = service.list_creators(db, user.workspace_id, filters, limit=limit, cursor=cursor, with_total=cursor is None)
    return Page(
        items=[service.creator_out(c) for c in page.items],
        total=page.total if cursor is None else None,
        next_cursor=page.next_cursor,
    )


@router.post("/creators", response_model=CreatorDetail, status_code=201)
def create_creator(data: CreatorIn, user: ApiWriter, db: DB) -> CreatorDetail:
    """Create a creator with its accounts."""
    return service.creator_detail(service.create_creator(db, user.workspace_id, data))


@router.get("/creators/{creator_id}", response_model=CreatorDetail)
def get_creator(creator_id: Id, user: ApiUser, db: DB) -> CreatorDetail:
    """One creator with accounts."""
    return service.creator_detail(service.require_creator(db, user.workspace_id, creator_id))


@router.patch("/creators/{creator_id}", response_model=CreatorDetail)
def update_creator(creator_id: Id, patch: CreatorPatch, user: ApiWriter, db: DB) -> CreatorDetail:
    """Change a creator's fields."""
    return service.creator_detail(service.update_creator(db, user.workspace_id, creator_id, patch))


@router.get("/creators/{creator_id}/accounts", response_model=list[AccountOut])
def list_accounts(creator_id: Id, user: ApiUser, db: DB) -> list[AccountOut]:
    """A creator's social accounts."""
    creator = service.require_creator(db, user.workspace_id, creator_id)
    return [service.account_out(a) for a in creator.accounts]


@router.post("/creators/{creator_id}/accounts", response_model=AccountOut, status_code=201)
def add_account(creator_id: Id, data: AccountIn, user: ApiWriter, db: DB) -> AccountOut:
    """Attach a social account to a creator."""
    return service.account_out(service.add_account(db, user.workspace_id, creator_id, data))


@router.get("/accounts/{account_id}", response_model=AccountOut)
def get_account(account_id: Id, user: ApiUser, db: DB) -> AccountOut:
    """One social account."""
    return service.account_out(service.require_account(db, user.workspace_id, account_id))


@router.get("/accounts/{account_id}/posts", response_model=Page[PostOut])
def list_posts(
    account_id: Id,
    user: ApiUser,
    db: DB,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> Page[PostOut]:
    """An account's posts, newest first."""
    posts, next_cursor = service.posts_page(db, user.workspace_id, account_id, limit=limit, cursor=cursor)
    return Page(items=[PostOut.model_validate(p) for p in posts], next_cursor=next_cursor)


@router.post("/accounts/{account_id}/posts", response_model=PostOut, status_code=201)
def add_post(account_id: Id, data: PostIn, user: ApiWriter, db: DB) -> PostOut:
    """Record a post on an account."""
    return PostOut.model_validate(service.add_post(db, user.workspace_id, account_id, data))


@router.get("/accounts/{account_id}/followers", response_model=list[SnapshotOut])
def follower_history(account_id: Id, user: ApiUser, db: DB) -> list[SnapshotOut]:
    """An account's follower history, one point per day."""
    return [SnapshotOut.model_validate(s) for s in service.follower_history(db, user.workspace_id, account_id)]


class PostDisclosure(BaseModel):
    """Disclosure status of one post (FTC / ASA rules; see language.disclosure)."""

    post_id: int
    posted_at: datetime
    sponsored: bool
    disclosure: str
    reason: str


@router.get("/creators/{creator_id}/disclosure", response_model=list[PostDisclosure])
def creator_disclosure(
    creator_id: Id, user: ApiUser, db: DB, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[PostDisclosure]:
    """Disclosure status of the creator's recent posts: compliant, missing, unclear or not_needed."""
    return [
        PostDisclosure(post_id=p.id, posted_at=p.posted_at, sponsored=p.sponsored, disclosure=status, reason=reason)
        for p, status, reason in service.recent_disclosures(db, user.workspace_id, creator_id, limit=limit)
    ]


@router.get("/creators/{creator_id}/voice")
def creator_voice(creator_id: Id, user: ApiUser, db: DB) -> dict[str, Any]:
    """Purchase intent counts, product questions and buyers among comments under recent posts."""
    return service.voice(db, user.workspace_id, creator_id)
