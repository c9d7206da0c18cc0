"""The demo's campaigns: a kind, KPIs and euros each, and a page that counts only its own brand's posts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select

from grassroots.campaigns import content, health
from grassroots.campaigns.models import Campaign, Stage
from grassroots.creators.models import Post, SocialAccount
from grassroots.db.session import session_scope
from grassroots.demo.campaigns import create_demo_campaigns
from grassroots.demo.service import ensure_demo


def test_each_demo_campaign_shows_exactly_its_brands_posts(sqlite_engine: Engine, tmp_path: Path) -> None:
    with session_scope(sqlite_engine) as s:
        ensure_demo(s, tmp_path, creators=150, seed=3, today=date(2026, 11, 20))
    with session_scope(sqlite_engine) as s:
        ws = s.scalar(select(Campaign.workspace_id)) or s.scalar(select(Post.workspace_id))
        assert ws is not None
        create_demo_campaigns(s, ws)
    with session_scope(sqlite_engine) as s:
        campaigns = list(s.scalars(select(Campaign).order_by(Campaign.id)))
        assert len(campaigns) == 3 and len({c.kind for c in campaigns}) == 3
        for campaign in campaigns:
            assert campaign.currency == "EUR" and campaign.kpis and campaign.handles
            brand = campaign.handles[0]
            assert campaign.name.startswith(f"@{brand} ")
            page = content.posts_page(s, ws, campaign.id, per_page=1000)
            assert page.total > 0 and all(p.matched == [f"@{brand}"] for p in page.items)
            sponsored = s.scalars(
                select(Post.id).join(SocialAccount, SocialAccount.id == Post.account_id)
                .where(Post.workspace_id == ws, Post.sponsored.is_(True))
            ).all()  # fmt: skip
            brand_posts = {
                p.id for p in s.scalars(select(Post).where(Post.id.in_(sponsored))) if brand in (p.mentions or [])
            }
            shown_sponsored = {p.id for p in page.items if p.sponsored}
            assert shown_sponsored <= brand_posts and shown_sponsored  # no other brand's sponsored post
        first = campaigns[0]
        care = health.campaign_health(s, ws, first.id)
        assert {o.stage for o in care.overdue} >= {Stage.replied}  # the demo has someone waiting on the brand
