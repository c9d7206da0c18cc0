"""Demo campaigns (synthetic), read off the demo world: one per brand that paid the most creators.

A campaign's roster is the creators whose sponsored posts mention the brand, its dates span those posts, and
its own brand handle scopes its content, so the campaign page shows that brand's posts and no other's. Each
collaboration carries an audit trail and ledger entries as a real one would; the first campaign also has a
few creators still in conversation (two of them waiting on the brand), so the board and the relationship
health panel have something to show.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import (
    Campaign,
    CampaignGoal,
    CampaignKind,
    Collaboration,
    Compensation,
    EntryKind,
    EntryStatus,
    LedgerEntry,
    Stage,
    StageChange,
)
from grassroots.creators.models import Creator, Post, SocialAccount

CAMPAIGNS = 3
DEMO_TEAM = Actor("demo team (synthetic)")
# The road each posting creator travelled, days before their first post (0 = the post itself).
JOURNEY = ((Stage.prospect, 21), (Stage.contacted, 18), (Stage.replied, 16), (Stage.agreed, 14), (Stage.shipped, 10),
           (Stage.live, 0))  # fmt: skip
# Creators still in conversation on the first campaign: stage and days ago (world time).
IN_CONVERSATION = ((Stage.prospect, 1), (Stage.prospect, 2), (Stage.contacted, 3), (Stage.contacted, 12),
                   (Stage.replied, 9), (Stage.agreed, 2))  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What one demo campaign is: its kind, goal, terms, KPIs per creator and the stages its posters reach."""

    kind: CampaignKind
    goal: CampaignGoal
    compensation: Compensation
    fee: Decimal | None
    commission_pct: Decimal | None
    kpis: tuple[tuple[str, int], ...]  # metric, target per rostered creator
    finished: tuple[Stage, ...]  # where posters end, in turn


PLANS = (
    Plan(CampaignKind.paid, CampaignGoal.sales, Compensation.flat_fee, Decimal(150), None,
         (("sales", 3), ("posts", 1)), (Stage.live, Stage.paid, Stage.done)),
    Plan(CampaignKind.seeding, CampaignGoal.launch, Compensation.gift, None, None,
         (("reach", 800), ("posts", 1)), (Stage.live, Stage.done)),
    Plan(CampaignKind.ambassador, CampaignGoal.ugc, Compensation.hybrid, Decimal(100), Decimal(10),
         (("ugc_assets", 2), ("sales", 2)), (Stage.live, Stage.paid, Stage.done)),
)  # fmt: skip
GIFT_VALUE = Decimal("35.00")


def sponsored_by_brand(session: Session, workspace_id: int) -> dict[str, list[tuple[int, date]]]:
    """Per brand handle: (creator id, day) of each sponsored post that mentions it."""
    rows = session.execute(
        select(Post.mentions, Post.posted_at, SocialAccount.creator_id)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == workspace_id, Post.sponsored.is_(True))
    ).all()
    brands: dict[str, list[tuple[int, date]]] = defaultdict(list)
    for mentions, posted_at, creator_id in rows:
        for brand in set(mentions or []):
            brands[brand].append((creator_id, posted_at.date()))
    return brands


def create_demo_campaigns(session: Session, workspace_id: int, *, count: int = CAMPAIGNS) -> int:
    """Create the demo campaigns unless the workspace has campaigns already; returns how many were made."""
    if session.scalar(select(func.count()).select_from(Campaign).where(Campaign.workspace_id == workspace_id)):
        return 0
    brands = sponsored_by_brand(session, workspace_id)
    now = session.scalar(select(func.max(Post.posted_at)).where(Post.workspace_id == workspace_id))
    ranked = sorted(brands.items(), key=lambda kv: (-len({c for c, _ in kv[1]}), kv[0]))[:count]
    for i, (brand, posts) in enumerate(ranked):
        plan = PLANS[i % len(PLANS)]
        first_post: dict[int, date] = {}
        for creator_id, day in sorted(posts, key=lambda p: p[1]):
            first_post.setdefault(creator_id, day)
        campaign = _campaign(workspace_id, brand, plan, [d for _, d in posts], len(first_post))
        session.add(campaign)
        session.flush()
        for j, creator_id in enumerate(sorted(first_post)):
            end = plan.finished[j % len(plan.finished)]
            _poster(session, campaign, plan, creator_id, first_post[creator_id], end, now.date() if now else None)
        if i == 0 and now is not None:
            _in_conversation(session, campaign, set(first_post), now)
    session.flush()
    return len(ranked)


def _campaign(workspace_id: int, brand: str, plan: Plan, days: list[date], creators: int) -> Campaign:
    return Campaign(
        workspace_id=workspace_id,
        name=f"@{brand} × small creators (synthetic)",
        kind=plan.kind,
        goal=plan.goal,
        budget=Decimal(250 * creators),
        currency="EUR",
        starts_on=min(days),
        ends_on=max(days),
        brief=f"Synthetic demo campaign: creators who posted sponsored content mentioning @{brand}.",
        products=[f"{brand} starter set"],
        kpis=[{"metric": m, "target": str(per * creators)} for m, per in plan.kpis],
        compensation=plan.compensation,
        fee=plan.fee,
        commission_pct=plan.commission_pct,
        gift_value=GIFT_VALUE,
        handles=[brand],  # this brand's posts only: the workspace's own handle is another brand's
    )


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), UTC)


def _poster(
    session: Session, campaign: Campaign, plan: Plan, creator_id: int, posted: date, end: Stage, today: date | None
) -> None:
    """A creator who posted: the journey to live, then the end stage two weeks on, a gift and (if paid) a fee."""
    steps = [(stage, _at(posted - timedelta(days=ago))) for stage, ago in JOURNEY]
    if today is not None and posted + timedelta(days=14) > today:
        end = Stage.live  # too recent to be paid and done in the demo world's time
    if end is not Stage.live:
        steps.append((end, _at(posted + timedelta(days=14))))
    collab = _collaboration(session, campaign, creator_id, steps)
    shipped = posted - timedelta(days=10)
    _entry(session, collab, EntryKind.gift, GIFT_VALUE, shipped, paid_on=shipped)
    if plan.fee is not None:
        paid_on = posted + timedelta(days=14) if end is not Stage.live else None
        _entry(session, collab, EntryKind.fee, plan.fee, posted, paid_on=paid_on)


def _in_conversation(session: Session, campaign: Campaign, rostered: set[int], now: datetime) -> None:
    """A few creators the brand is still talking to, dated from the demo world's last post."""
    candidates = session.scalars(
        select(Creator.id)
        .where(
            Creator.workspace_id == campaign.workspace_id,
            Creator.id.not_in(sorted(rostered)),
            Creator.followers < 10_000,
        )
        .order_by(Creator.id)
        .limit(len(IN_CONVERSATION))
    ).all()
    for creator_id, (stage, ago) in zip(candidates, IN_CONVERSATION, strict=False):
        moved = now - timedelta(days=ago)
        road = [s for s, _ in JOURNEY][: [s for s, _ in JOURNEY].index(stage) + 1]
        steps = [(s, moved - timedelta(days=2 * (len(road) - 1 - k))) for k, s in enumerate(road)]
        _collaboration(session, campaign, creator_id, steps)


def _collaboration(
    session: Session, campaign: Campaign, creator_id: int, steps: list[tuple[Stage, datetime]]
) -> Collaboration:
    """A collaboration at the last of ``steps``, with one audit line per step."""
    last_stage, last_at = steps[-1]
    collab = Collaboration(workspace_id=campaign.workspace_id, campaign_id=campaign.id, creator_id=creator_id,
                           stage=last_stage, stage_changed_at=last_at, created_at=steps[0][1])  # fmt: skip
    session.add(collab)
    session.flush()
    previous: Stage | None = None
    for stage, at in steps:
        session.add(StageChange(workspace_id=campaign.workspace_id, collaboration_id=collab.id, from_stage=previous,
                                to_stage=stage, actor=DEMO_TEAM.name, changed_at=at))  # fmt: skip
        previous = stage
    return collab


def _entry(
    session: Session, collab: Collaboration, kind: EntryKind, amount: Decimal, earned: date, *, paid_on: date | None
) -> None:
    session.add(
        LedgerEntry(
            workspace_id=collab.workspace_id,
            collaboration_id=collab.id,
            kind=kind,
            amount=amount,
            currency="EUR",
            status=EntryStatus.paid if paid_on else EntryStatus.owed,
            earned_on=earned,
            payable_on=earned,
            paid_on=paid_on,
            paid_by=DEMO_TEAM.name if paid_on else None,
            created_by=DEMO_TEAM.name,
        )
    )
