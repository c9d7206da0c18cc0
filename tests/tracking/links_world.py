"""Test data for the links tests: a roster, links, a flush of the click log."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.tracking import redirector
from grassroots.tracking.clicklog import Flusher
from grassroots.tracking.link_models import Click, ShortLink
from grassroots.tracking.links import LinkIn, create_link
from tests.campaigns.factory import make_campaign, make_creator
from tests.support import workspace_id


@pytest.fixture(autouse=True)
def _fresh_link_caches() -> None:
    """Each test's database is wiped: forget slugs a previous test cached."""
    redirector._CACHES.clear()


def roster(engine: Engine, ws: str = "Brand") -> tuple[int, list[int]]:
    """A 'Spring glow' campaign with Maya and Theo on its roster: (campaign id, collaboration ids)."""
    from grassroots.campaigns.models import Collaboration

    maya = make_creator(engine, "Maya López", f"maya_{ws.lower()}", ws=ws)
    theo = make_creator(engine, "Theo Park", f"theo_{ws.lower()}", ws=ws)
    campaign = make_campaign(engine, ws=ws, roster=[maya, theo], name="Spring glow")
    with session_scope(engine) as s:
        ids = list(s.scalars(select(Collaboration.id).where(Collaboration.campaign_id == campaign)
                             .order_by(Collaboration.id)))  # fmt: skip
    return campaign, ids


def make_link(engine: Engine, ws: str = "Brand", **fields: object) -> tuple[int, str]:
    """A link to the shop (https://shop.example/serum); returns (id, slug)."""
    data = LinkIn(**{"destination": "https://shop.example/serum", **fields})  # type: ignore[arg-type]
    with session_scope(engine) as s:
        link = create_link(s, workspace_id(engine, ws), data, actor="tester@brand.test")
        return link.id, link.slug


def flush(engine: Engine, settings: Settings) -> int:
    """Seal this process's segment and store what the click log holds, as the server's flusher thread does."""
    return Flusher(engine, settings).flush_once()


def clicks(engine: Engine) -> list[Click]:
    """Every stored click, oldest first."""
    with session_scope(engine) as s:
        return list(s.scalars(select(Click).order_by(Click.at, Click.id)))


def click_count(engine: Engine) -> int:
    """How many clicks are stored."""
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Click)) or 0)


def link_of(engine: Engine, link_id: int) -> ShortLink:
    """A link row."""
    with session_scope(engine) as s:
        found = s.get(ShortLink, link_id)
        assert found is not None
        return found
