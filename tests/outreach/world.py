"""A small outreach world: a campaign with creators on its roster, their posts and email addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration
from grassroots.creators.models import Creator, Platform, Post, SocialAccount
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from tests.support import workspace_id

BAKER_CAPTION = "Sunday sourdough with the kids at Tartine Bakery! Our rye starter finally behaved #sourdough #ad"
SPANISH_CAPTION = "Hoy preparamos pan de masa madre en la panadería Santa Clara de Sevilla, ¡qué olor tan bueno!"


@dataclass(frozen=True)
class World:
    """Ids of what was made."""

    workspace_id: int
    campaign_id: int
    collaborations: dict[str, int]  # handle -> collaboration id
    creators: dict[str, int]  # handle -> creator id


def make_world(engine: Engine, ws: str = "Brand", follow_up_days: int = 7) -> World:
    """Maya (English post), Lucia (Spanish post), Noor (no recent post) on one campaign's roster."""
    wid = workspace_id(engine, ws)
    people = [
        ("maya.bakes", "Maya Lopez", "maya@creator.test", BAKER_CAPTION, "https://www.instagram.com/p/MAYA1/"),
        ("lucia.cocina", "Lucía Gómez", "lucia@creator.test", SPANISH_CAPTION, "https://www.instagram.com/p/LUCIA1/"),
        ("noor.makes", "Noor Haddad", "noor@creator.test", None, None),
    ]
    now = utcnow()
    with session_scope(engine) as session:
        campaign = Campaign(workspace_id=wid, name="Spring bake", goal=CampaignGoal.awareness,
                            follow_up_days=follow_up_days)  # fmt: skip
        session.add(campaign)
        session.flush()
        collabs, creators = {}, {}
        for handle, name, email, caption, url in people:
            creator = Creator(workspace_id=wid, display_name=name, email=email, primary_handle=handle,
                              primary_platform=Platform.instagram)  # fmt: skip
            session.add(creator)
            session.flush()
            account = SocialAccount(workspace_id=wid, creator_id=creator.id, platform=Platform.instagram,
                                    handle=handle, followers=5000)  # fmt: skip
            session.add(account)
            session.flush()
            if caption:
                session.add(Post(workspace_id=wid, account_id=account.id, caption=caption, url=url,
                                 hashtags=["sourdough", "ad"], posted_at=now - timedelta(days=3)))  # fmt: skip
            else:  # an old post only: too old to count as recent
                session.add(Post(workspace_id=wid, account_id=account.id, caption="Old news from last year",
                                 url="https://www.instagram.com/p/OLD/", posted_at=now - timedelta(days=400)))  # fmt: skip
            collab = Collaboration(workspace_id=wid, campaign_id=campaign.id, creator_id=creator.id)
            session.add(collab)
            session.flush()
            collabs[handle], creators[handle] = collab.id, creator.id
        return World(wid, campaign.id, collabs, creators)
