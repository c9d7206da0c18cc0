"""The pipeline: the board of a campaign's collaborations by stage, moves (one or many, audited) and terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns import audit, repository
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign, CampaignKind, Collaboration, Compensation, Stage
from grassroots.campaigns.repository import BoardFilters
from grassroots.campaigns.schemas import (
    CollaborationDetail,
    CollaborationOut,
    MoveResult,
    StageChangeOut,
    Terms,
    TermsIn,
    field_errors,
)
from grassroots.campaigns.service import require_campaign, require_collaboration
from grassroots.creators.models import Creator
from grassroots.creators.tiers import Tier, tier_for
from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput

ASK_WINDOW = timedelta(days=90)
# Stages where the next move is the brand's: a reply to answer, a gift to ship, a parcel to check on.
WAITING = {
    Stage.contacted: "no reply yet: follow up once, kindly",
    Stage.replied: "they replied: your move",
    Stage.agreed: "agreed: ship the gift",
    Stage.shipped: "shipped: check it arrived and say thanks",
}


@dataclass
class Card:
    """One collaboration on the board."""

    id: int
    creator_id: int
    display_name: str
    handle: str
    followers: int
    tier: Tier
    platforms: str
    credibility: int
    stage: Stage
    stage_changed_at: datetime
    days_in_stage: int
    overdue: bool
    asks_90d: int
    ask_cap: int


@dataclass
class Board:
    """The board: a column per stage (only the filtered stage when one is chosen)."""

    campaign: Campaign
    columns: list[tuple[Stage, list[Card]]]
    total: int
    shown: int
    filters: BoardFilters
    over_asked: list[Card] = field(default_factory=list)


def days_since(moment: datetime, now: datetime) -> int:
    """Whole days between a moment and now."""
    return max(0, (now - moment).days)


def is_overdue(campaign: Campaign, stage: Stage, changed_at: datetime, now: datetime) -> bool:
    """True when a collaboration has waited longer than the campaign's follow-up days where the brand must act."""
    return stage in WAITING and days_since(changed_at, now) >= campaign.follow_up_days


def cards(session: Session, campaign: Campaign, filters: BoardFilters, now: datetime | None = None) -> list[Card]:
    """The campaign's collaborations as cards (two queries, whatever the roster size)."""
    now = now or utcnow()
    rows = repository.board_rows(session, campaign, filters)
    asks = repository.asks_by_creator(
        session, campaign.workspace_id, repository.roster_ids(campaign.id), now - ASK_WINDOW
    )
    return [_card(campaign, k, c, asks.get(c.id, 0), now) for k, c in rows]


def _card(campaign: Campaign, collab: Collaboration, creator: Creator, asks: int, now: datetime) -> Card:
    return Card(
        id=collab.id,
        creator_id=creator.id,
        display_name=creator.display_name,
        handle=creator.primary_handle,
        followers=creator.followers,
        tier=tier_for(creator.followers),
        platforms=creator.platforms,
        credibility=creator.credibility,
        stage=collab.stage,
        stage_changed_at=collab.stage_changed_at,
        days_in_stage=days_since(collab.stage_changed_at, now),
        overdue=is_overdue(campaign, collab.stage, collab.stage_changed_at, now),
        asks_90d=asks,
        ask_cap=campaign.ask_cap,
    )


def board(session: Session, workspace_id: int, campaign_id: int, filters: BoardFilters) -> Board:
    """The board page's data."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    shown = cards(session, campaign, filters)
    stages = [filters.stage] if filters.stage else list(Stage)
    columns = [(s, [c for c in shown if c.stage is s]) for s in stages]
    total = sum(repository.stage_counts(session, [campaign.id]).get(campaign.id, {}).values())
    over = [c for c in shown if c.asks_90d > campaign.ask_cap]
    return Board(campaign, columns, total, len(shown), filters, over)


def card(session: Session, workspace_id: int, campaign_id: int, collaboration_id: int) -> Card:
    """One card (what the board redraws after a move)."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    collab = require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    creator = session.get(Creator, collab.creator_id)
    assert creator is not None
    now = utcnow()
    asks = repository.asks_by_creator(session, workspace_id, [creator.id], now - ASK_WINDOW)
    return _card(campaign, collab, creator, asks.get(creator.id, 0), now)


def move(
    session: Session,
    workspace_id: int,
    campaign_id: int,
    collaboration_ids: list[int],
    stage: Stage,
    actor: Actor,
    *,
    note: str | None = None,
) -> MoveResult:
    """Move collaborations of one campaign to a stage, each move in the audit trail; all or none."""
    require_campaign(session, workspace_id, campaign_id)
    wanted = sorted(set(collaboration_ids))
    found = list(
        session.scalars(
            select(Collaboration).where(
                Collaboration.id.in_(wanted),
                Collaboration.workspace_id == workspace_id,
                Collaboration.campaign_id == campaign_id,
            )
        )
    )
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {c.id for c in found})
        raise InvalidInput(f"collaboration {missing[0]} is not in this campaign", {"collaboration_ids": "unknown"})
    now = utcnow()
    moved = sum(1 for c in found if audit.record(session, c, stage, actor, note=note, at=now) is not None)
    session.flush()
    return MoveResult(moved=moved, unchanged=len(found) - moved)


def effective_terms(campaign: Campaign, collab: Collaboration) -> Terms:
    """The collaboration's own terms when set, else the campaign's defaults."""
    source: Campaign | Collaboration = collab if collab.compensation is not None else campaign
    return Terms.model_construct(
        compensation=source.compensation or campaign.compensation,
        fee=source.fee,
        commission_pct=source.commission_pct,
        gift_value=source.gift_value if source.gift_value is not None else campaign.gift_value,
    )


def set_terms(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int, data: TermsIn
) -> Collaboration:
    """Override (or, with no compensation, reset to the campaign's) one collaboration's terms and note."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    collab = require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    try:
        terms = data.terms()
    except ValidationError as exc:
        raise InvalidInput("The terms are incomplete.", field_errors(exc)) from None
    if terms is not None and campaign.kind is CampaignKind.seeding and terms.compensation is not Compensation.gift:
        raise InvalidInput(
            "A seeding campaign gifts with no strings: pay this creator in a paid or affiliate campaign instead.",
            {"compensation": "seeding campaigns are gift only"},
        )
    collab.compensation = terms.compensation if terms else None
    collab.fee = terms.fee if terms else None
    collab.commission_pct = terms.commission_pct if terms else None
    collab.gift_value = terms.gift_value if terms else None
    collab.note = data.note or None
    session.flush()
    return collab


def collaboration_detail(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int
) -> CollaborationDetail:
    """One collaboration: the creator, stage, effective terms, asks, audit trail and ledger."""
    from grassroots.campaigns.payments import ledger  # the ledger reads collaborations; it is not read by them

    campaign = require_campaign(session, workspace_id, campaign_id)
    collab = require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    one = card(session, workspace_id, campaign_id, collaboration_id)
    return CollaborationDetail(
        id=collab.id,
        campaign_id=campaign.id,
        creator_id=one.creator_id,
        display_name=one.display_name,
        handle=one.handle,
        followers=one.followers,
        tier=one.tier.value,
        stage=collab.stage,
        stage_changed_at=collab.stage_changed_at,
        terms=effective_terms(campaign, collab),
        terms_overridden=collab.compensation is not None,
        note=collab.note,
        asks_90d=one.asks_90d,
        history=[StageChangeOut.model_validate(h) for h in audit.history(session, collab.id)],
        ledger=ledger(session, workspace_id, campaign_id, collaboration_id=collab.id),
    )


def collaborations(
    session: Session, workspace_id: int, campaign_id: int, filters: BoardFilters
) -> list[CollaborationOut]:
    """The campaign's collaborations for the API (the board's rows, with effective terms)."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    rows = repository.board_rows(session, campaign, filters)
    now = utcnow()
    asks = repository.asks_by_creator(session, workspace_id, repository.roster_ids(campaign.id), now - ASK_WINDOW)
    return [
        CollaborationOut(
            id=k.id,
            campaign_id=campaign.id,
            creator_id=c.id,
            display_name=c.display_name,
            handle=c.primary_handle,
            followers=c.followers,
            tier=tier_for(c.followers).value,
            stage=k.stage,
            stage_changed_at=k.stage_changed_at,
            terms=effective_terms(campaign, k),
            terms_overridden=k.compensation is not None,
            note=k.note,
            asks_90d=asks.get(c.id, 0),
        )
        for k, c in rows
    ]
