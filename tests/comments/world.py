"""A small world of two creators, a campaign and labelled-to-be comments, for comment and campaign tests."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, select

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration
from grassroots.comments.models import CommentLabel
from grassroots.creators import service as creators
from grassroots.creators.models import Comment, Platform
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from tests.support import workspace_id

TEXTS = [
    "where can I get this? 😍", "just ordered mine!", "does it work on sensitive skin?", "way too expensive for me",
    "this broke me out, returned it", "I tried it for two weeks and my skin is so calm", "so cute", "link please!",
    "love this so much", "my skin is so calm now",
]  # fmt: skip
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def seed(engine: Engine) -> dict[str, int]:
    """Two creators with a post each; Ana's post in a campaign window, Mo's old post outside it."""
    ws = workspace_id(engine)
    ids: dict[str, int] = {}
    with session_scope(engine) as s:
        for name, handle, when, texts in (
            ("Ana", "ana.glow", NOW, TEXTS),
            ("Mo", "vegan_mo", NOW - timedelta(days=60), TEXTS[:3]),
        ):
            creator = creators.create_creator(
                s,
                ws,
                CreatorIn(
                    display_name=name, accounts=[AccountIn(platform=Platform.instagram, handle=handle, followers=4000)]
                ),
            )
            caption = "new serum from @glowco #sp" if name == "Ana" else "new serum"
            post = creators.add_post(
                s, ws, creator.accounts[0].id, PostIn(caption=caption, likes=50, posted_at=when, sponsored=True)
            )
            for i, text in enumerate(texts):
                at = when + timedelta(hours=i)
                s.add(Comment(workspace_id=ws, post_id=post.id, author_handle=f"fan{i}", text=text, posted_at=at))
            ids[name] = creator.id
        campaign = Campaign(workspace_id=ws, name="Serum launch", goal=CampaignGoal.launch, budget=Decimal("1250"),
                            currency="GBP", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30))  # fmt: skip
        s.add(campaign)
        s.flush()
        for name in ("Ana", "Mo"):
            s.add(Collaboration(workspace_id=ws, campaign_id=campaign.id, creator_id=ids[name]))
        ids["campaign"] = campaign.id
    return ids


def labels(engine: Engine) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(CommentLabel)) or 0)
