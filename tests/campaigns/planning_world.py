"""A small world for the forecast, optimiser and compensation: six creators, a campaign, codes and orders."""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Engine

from grassroots.campaigns.models import Campaign, CampaignGoal, CampaignKind, Collaboration, Stage
from grassroots.creators import service as creators
from grassroots.creators.models import Creator, Platform
from grassroots.creators.schemas import AccountIn, CreatorIn
from grassroots.db.session import session_scope
from grassroots.tracking.models import CommerceSource, DiscountKind, Order, PromoCode
from tests.support import workspace_id

# name, handle, followers, engagement, credibility, on the roster (stage)
CREATORS = [
    ("Ana Glow", "ana.glow", 800, 0.15, 90, Stage.agreed),
    ("Bo Baker", "bo.bakes", 1_200, 0.12, 85, Stage.prospect),
    ("Cy Crafts", "cy.crafts", 1_900, 0.18, -1, Stage.shipped),
    ("Di Dance", "di.dance", 5_000, 0.10, 80, Stage.live),
    ("Ed Eats", "ed.eats", 8_000, 0.09, 75, Stage.declined),
    ("Flo Fit", "flo.fit", 40_000, 0.05, 30, None),
]


def seed(engine: Engine, workspace: str = "Brand", *, budget: str | None = "2000") -> dict[str, int]:
    """The creators above, a seeding campaign in March 2026 (EUR) and orders that used Ana's code ANA10."""
    ws = workspace_id(engine, workspace)
    ids: dict[str, int] = {}
    with session_scope(engine) as s:
        for name, handle, followers, er, cred, _ in CREATORS:
            account = AccountIn(platform=Platform.instagram, handle=f"{handle}.{ws}", followers=followers)
            creator = creators.create_creator(s, ws, CreatorIn(display_name=name, accounts=[account]))
            row = s.get(Creator, creator.id)
            assert row is not None
            row.engagement_rate, row.credibility = er, cred
            ids[name.split()[0]] = creator.id
        campaign = Campaign(workspace_id=ws, name="Spring seeding", kind=CampaignKind.seeding, goal=CampaignGoal.sales,
                            budget=Decimal(budget) if budget else None, currency="EUR", starts_on=date(2026, 3, 1),
                            ends_on=date(2026, 3, 31), gift_value=Decimal("25"))  # fmt: skip
        s.add(campaign)
        s.flush()
        ids["campaign"] = campaign.id
        for name, *_, stage in CREATORS:
            if stage is not None:
                s.add(Collaboration(workspace_id=ws, campaign_id=campaign.id, creator_id=ids[name.split()[0]],
                                    stage=stage))  # fmt: skip
        s.add(PromoCode(workspace_id=ws, code=f"ANA10X{ws}", creator_id=ids["Ana"], source=CommerceSource.shopify,
                        kind=DiscountKind.percentage, value=Decimal(10)))  # fmt: skip
        orders = [  # (day, total, currency, codes)
            (datetime(2026, 3, 5, 10, tzinfo=UTC), "40.00", "EUR", [f"ana10x{ws}"]),
            (datetime(2026, 3, 9, 10, tzinfo=UTC), "60.50", "EUR", [f"ANA10X{ws}"]),
            (datetime(2026, 3, 12, 10, tzinfo=UTC), "55.00", "USD", [f"ANA10X{ws}"]),
            (datetime(2026, 4, 20, 10, tzinfo=UTC), "99.00", "EUR", [f"ANA10X{ws}"]),  # after the campaign
            (datetime(2026, 3, 10, 10, tzinfo=UTC), "70.00", "EUR", ["SPRING"]),  # someone else's code
            (datetime(2026, 3, 11, 10, tzinfo=UTC), "30.00", "EUR", []),
        ]
        for i, (at, total, currency, codes) in enumerate(orders):
            s.add(Order(workspace_id=ws, source=CommerceSource.shopify, external_id=f"{ws}-{i}", number=f"#{i}",
                        created_at=at, currency=currency, subtotal=Decimal(total), total=Decimal(total),
                        discount_codes=codes))  # fmt: skip
    return ids
