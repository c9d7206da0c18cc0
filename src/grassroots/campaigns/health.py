"""Relationship health: who is waiting on the brand (don't ghost) and who was asked too often (don't over-ask)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns import repository
from grassroots.campaigns.models import Collaboration
from grassroots.campaigns.pipeline import ASK_WINDOW, WAITING, days_since
from grassroots.campaigns.schemas import HealthOut, OverAskedOut, OverdueOut
from grassroots.campaigns.service import require_campaign
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow


def campaign_health(session: Session, workspace_id: int, campaign_id: int) -> HealthOut:
    """Overdue collaborations (longest wait first) and roster creators over the ask cap."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    now = utcnow()
    waiting = session.execute(
        select(Collaboration.id, Collaboration.stage, Collaboration.stage_changed_at, Creator.id, Creator.display_name)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .where(
            Collaboration.campaign_id == campaign.id,
            Collaboration.stage.in_(list(WAITING)),
            Collaboration.stage_changed_at <= now - timedelta(days=campaign.follow_up_days),
        )
        .order_by(Collaboration.stage_changed_at, Collaboration.id)
    ).all()
    overdue = [
        OverdueOut(
            collaboration_id=k,
            creator_id=c,
            display_name=name,
            stage=stage,
            days=days_since(at, now),
            action=WAITING[stage],
        )
        for k, stage, at, c, name in waiting
    ]
    asks = repository.asks_by_creator(session, workspace_id, repository.roster_ids(campaign.id), now - ASK_WINDOW)
    over = {c: n for c, n in asks.items() if n > campaign.ask_cap}
    names = dict(session.execute(select(Creator.id, Creator.display_name).where(Creator.id.in_(list(over)))).all())
    over_asked = [
        OverAskedOut(creator_id=c, display_name=names.get(c, "?"), asks_90d=n)
        for c, n in sorted(over.items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))
    ]
    return HealthOut(follow_up_days=campaign.follow_up_days, ask_cap=campaign.ask_cap, overdue=overdue,
                     over_asked=over_asked)  # fmt: skip
