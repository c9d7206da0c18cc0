"""The UGC library: approved content with the usage rights the creator granted, and when they expire."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.approvals import checks
from grassroots.approvals.models import ContentDraft, ContentVersion, RightsStatus, UgcItem
from grassroots.approvals.schemas import UgcOut
from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow
from grassroots.errors import NotFound

RIGHTS_FILTERS = {
    "agreed": "Rights agreed, in force",
    "expired": "Rights expired",
    "not_agreed": "Rights not agreed in writing",
}
NOT_AGREED = "Usage rights not agreed in writing: ask before using this beyond the creator's own post."


def add_item(session: Session, version: ContentVersion, draft: ContentDraft, collaboration: Collaboration) -> UgcItem:
    """Put an approved version in the library with the rights of the collaboration's signed agreement."""
    rights = checks.usage_rights(session, collaboration.workspace_id, collaboration.id)
    item = UgcItem(
        workspace_id=collaboration.workspace_id, version_id=version.id, collaboration_id=collaboration.id,
        campaign_id=collaboration.campaign_id, creator_id=collaboration.creator_id, title=draft.title,
        caption=version.caption, media_urls=list(version.media_urls or []), post_url=version.post_url,
        approved_at=version.decided_at or utcnow(), approved_by=version.decided_by or "",
        rights=RightsStatus.agreed if rights is not None else RightsStatus.not_agreed,
        agreement_version_id=rights.agreement_version_id if rights else None,
        channels=list(rights.channels) if rights else [], paid_usage=bool(rights and rights.paid_usage),
        rights_expire_on=rights.expires_on if rights else None, exclusivity=rights.exclusivity if rights else None,
    )  # fmt: skip
    session.add(item)
    session.flush()
    return item


@dataclass(frozen=True)
class LibraryFilters:
    """What the library page narrows by (None: everything)."""

    campaign_id: int | None = None
    creator_id: int | None = None
    rights: str | None = None  # a key of RIGHTS_FILTERS


@dataclass(frozen=True)
class LibraryRow:
    """An item as the page shows it."""

    item: UgcOut
    campaign_name: str
    creator_name: str
    warning: str | None


@dataclass
class Library:
    """The filtered items and the choices of the filter boxes."""

    rows: list[LibraryRow]
    campaigns: list[tuple[int, str]] = field(default_factory=list)
    creators: list[tuple[int, str]] = field(default_factory=list)


def _out(item: UgcItem, today: date) -> UgcOut:
    out = UgcOut.model_validate(item)
    out.rights_expired = item.rights_expire_on is not None and item.rights_expire_on < today
    return out


def _warning(item: UgcOut) -> str | None:
    if item.rights is RightsStatus.not_agreed:
        return NOT_AGREED
    if item.rights_expired and item.rights_expire_on is not None:
        return f"Usage rights expired on {item.rights_expire_on.isoformat()}: do not use it again without new rights."
    return None


def items(session: Session, workspace_id: int, filters: LibraryFilters, today: date | None = None,
          limit: int = 500) -> list[UgcOut]:  # fmt: skip
    """The library's items, newest approval first, filtered."""
    today = today or utcnow().date()
    query = select(UgcItem).where(UgcItem.workspace_id == workspace_id)
    if filters.campaign_id:
        query = query.where(UgcItem.campaign_id == filters.campaign_id)
    if filters.creator_id:
        query = query.where(UgcItem.creator_id == filters.creator_id)
    if filters.rights == "not_agreed":
        query = query.where(UgcItem.rights == RightsStatus.not_agreed)
    elif filters.rights == "expired":
        query = query.where(UgcItem.rights == RightsStatus.agreed, UgcItem.rights_expire_on < today)
    elif filters.rights == "agreed":
        query = query.where(
            UgcItem.rights == RightsStatus.agreed,
            (UgcItem.rights_expire_on.is_(None)) | (UgcItem.rights_expire_on >= today),
        )
    found = session.scalars(query.order_by(UgcItem.approved_at.desc(), UgcItem.id.desc()).limit(limit))
    return [_out(i, today) for i in found]


def item(session: Session, workspace_id: int, item_id: int, today: date | None = None) -> UgcOut:
    """One library item of the workspace, or NotFound."""
    found = session.get(UgcItem, item_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound(f"library item {item_id} not found")
    return _out(found, today or utcnow().date())


def library(session: Session, workspace_id: int, filters: LibraryFilters, today: date | None = None) -> Library:
    """The library page: rows with names and warnings, and the campaigns and creators it holds."""
    found = items(session, workspace_id, filters, today)
    campaigns = dict(
        session.execute(
            select(Campaign.id, Campaign.name).where(
                Campaign.id.in_(select(UgcItem.campaign_id).where(UgcItem.workspace_id == workspace_id))
            )
        ).all()
    )
    creators = dict(
        session.execute(
            select(Creator.id, Creator.display_name).where(
                Creator.id.in_(select(UgcItem.creator_id).where(UgcItem.workspace_id == workspace_id))
            )
        ).all()
    )
    rows = [
        LibraryRow(i, campaigns.get(i.campaign_id, "–"), creators.get(i.creator_id, "–"), _warning(i)) for i in found
    ]
    return Library(rows, sorted(campaigns.items(), key=lambda x: x[1]), sorted(creators.items(), key=lambda x: x[1]))
