"""Demo campaigns (synthetic), read off the demo world: one per brand that paid the most creators.

A campaign's roster is the creators whose sponsored posts mention the brand, and its dates span those
posts, so the campaign page shows what people said under real (synthetic) campaign content.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration, Stage
from grassroots.creators.models import Post, SocialAccount

CAMPAIGNS = 3
GOALS = (CampaignGoal.sales, CampaignGoal.launch, CampaignGoal.ugc)
STAGES = (Stage.live, Stage.paid, Stage.done)


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
    ranked = sorted(brands.items(), key=lambda kv: (-len({c for c, _ in kv[1]}), kv[0]))[:count]
    for i, (brand, posts) in enumerate(ranked):
        creators = sorted({c for c, _ in posts})
        days = [d for _, d in posts]
        campaign = Campaign(
            workspace_id=workspace_id,
            name=f"@{brand} × small creators (synthetic)",
            goal=GOALS[i % len(GOALS)],
            budget=250 * len(creators),
            starts_on=min(days),
            ends_on=max(days),
            brief=f"Synthetic demo campaign: creators who posted sponsored content mentioning @{brand}.",
        )
        session.add(campaign)
        session.flush()
        session.add_all(
            Collaboration(workspace_id=workspace_id, campaign_id=campaign.id, creator_id=c, stage=STAGES[j % 3])
            for j, c in enumerate(creators)
        )
    session.flush()
    return len(ranked)
