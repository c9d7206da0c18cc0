"""Queries of the campaigns domain: stage counts, board rows, asks per creator, ledger rows (one query each)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, load_only

from grassroots.campaigns.models import Campaign, Collaboration, LedgerEntry, Stage, StageChange
from grassroots.creators.models import Creator, SocialAccount
from grassroots.creators.tiers import Tier, tier_range


@dataclass
class BoardFilters:
    """What the board shows: one stage, one tier, a name or handle."""

    stage: Stage | None = None
    tier: Tier | None = None
    q: str | None = None


def stage_counts(session: Session, campaign_ids: list[int]) -> dict[int, dict[Stage, int]]:
    """Collaborations per stage of each campaign."""
    out: dict[int, dict[Stage, int]] = defaultdict(dict)
    if not campaign_ids:
        return out
    rows = session.execute(
        select(Collaboration.campaign_id, Collaboration.stage, func.count())
        .where(Collaboration.campaign_id.in_(campaign_ids))
        .group_by(Collaboration.campaign_id, Collaboration.stage)
    ).all()
    for campaign_id, stage, count in rows:
        out[campaign_id][Stage(stage)] = int(count)
    return out


def board_rows(session: Session, campaign: Campaign, filters: BoardFilters) -> list[tuple[Collaboration, Creator]]:
    """The campaign's collaborations with their creators, filtered, by name (one query, no lazy loads after)."""
    # Only the creator columns a card shows: search_text (bio and captions) would be most of the bytes read.
    summary = load_only(Creator.id, Creator.workspace_id, Creator.display_name, Creator.primary_handle,
                        Creator.followers, Creator.platforms, Creator.credibility)  # fmt: skip
    stmt = (
        select(Collaboration, Creator)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .where(Collaboration.campaign_id == campaign.id)
        .options(summary)
    )
    if filters.stage is not None:
        stmt = stmt.where(Collaboration.stage == filters.stage)
    if filters.tier is not None:
        low, high = tier_range(filters.tier)
        stmt = stmt.where(Creator.followers >= low)
        if high is not None:
            stmt = stmt.where(Creator.followers < high)
    if filters.q:
        needle = filters.q.strip().lstrip("@").lower()
        stmt = stmt.where(
            func.lower(Creator.display_name).contains(needle, autoescape=True)
            | func.lower(Creator.primary_handle).contains(needle, autoescape=True)
        )
    rows = session.execute(stmt.order_by(Creator.display_name, Collaboration.id)).all()
    return [(k, c) for k, c in rows]


def asks_by_creator(
    session: Session, workspace_id: int, creator_ids: Select | list[int], since: datetime
) -> dict[int, int]:
    """Asks per creator since a moment, across the workspace's campaigns: moves out of 'prospect' (a first contact)."""
    rows = session.execute(
        select(Collaboration.creator_id, func.count(func.distinct(StageChange.collaboration_id)))
        .join(Collaboration, Collaboration.id == StageChange.collaboration_id)
        .where(
            StageChange.workspace_id == workspace_id,
            StageChange.from_stage == Stage.prospect,
            StageChange.changed_at >= since,
            Collaboration.creator_id.in_(creator_ids),
        )
        .group_by(Collaboration.creator_id)
    ).all()
    return {int(c): int(n) for c, n in rows}


def roster_ids(campaign_id: int) -> Select:
    """The creator ids of a campaign's roster, as a subquery."""
    return select(Collaboration.creator_id).where(Collaboration.campaign_id == campaign_id)


def present_creators(session: Session, campaign_id: int, creator_ids: list[int]) -> set[int]:
    """Which of these creators are on the campaign's roster already."""
    stmt = select(Collaboration.creator_id).where(
        Collaboration.campaign_id == campaign_id, Collaboration.creator_id.in_(creator_ids)
    )
    return set(session.scalars(stmt))


def workspace_creators(session: Session, workspace_id: int, creator_ids: list[int]) -> set[int]:
    """Which of these ids are creators of the workspace."""
    stmt = select(Creator.id).where(Creator.workspace_id == workspace_id, Creator.id.in_(creator_ids))
    return set(session.scalars(stmt))


def creators_by_handle(session: Session, workspace_id: int, handles: list[str]) -> dict[str, int]:
    """Creator id per handle (any platform) of the workspace."""
    rows = session.execute(
        select(SocialAccount.handle, SocialAccount.creator_id).where(
            SocialAccount.workspace_id == workspace_id, SocialAccount.handle.in_(handles)
        )
    ).all()
    return {h: int(c) for h, c in rows}


def ledger_rows(
    session: Session, campaign_id: int, collaboration_id: int | None = None
) -> list[tuple[LedgerEntry, Collaboration, Creator]]:
    """The campaign's ledger entries (or one collaboration's) with their collaboration and creator, oldest first."""
    stmt = (
        select(LedgerEntry, Collaboration, Creator)
        .join(Collaboration, Collaboration.id == LedgerEntry.collaboration_id)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .where(Collaboration.campaign_id == campaign_id)
    )
    if collaboration_id is not None:
        stmt = stmt.where(LedgerEntry.collaboration_id == collaboration_id)
    rows = session.execute(stmt.order_by(LedgerEntry.payable_on, LedgerEntry.id)).all()
    return [(e, k, c) for e, k, c in rows]


def ledger_count(session: Session, collaboration_id: int) -> int:
    """How many ledger entries a collaboration has."""
    stmt = select(func.count()).select_from(LedgerEntry).where(LedgerEntry.collaboration_id == collaboration_id)
    return int(session.scalar(stmt) or 0)
