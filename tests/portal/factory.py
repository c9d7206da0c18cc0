"""Test data for the portal and agreements: a paid collaboration, its portal link, and page helpers."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Collaboration
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.portal import manage
from grassroots.tracking.models import CommerceSource, DiscountKind, Order, PromoCode
from tests.campaigns.factory import make_campaign, make_creator
from tests.support import workspace_id


@dataclass(frozen=True)
class World:
    """One paid collaboration of workspace Brand with a live portal link."""

    campaign: int
    collab: int
    creator: int
    url: str

    @property
    def path(self) -> str:
        """The portal's path (the client talks to the app directly)."""
        return "/p/" + self.url.rsplit("/p/", 1)[1]

    @property
    def manage(self) -> str:
        """The brand's portal page of this collaboration."""
        return f"/campaigns/{self.campaign}/collaborations/{self.collab}/portal"

    @property
    def documents(self) -> str:
        """The brand's brief and agreement page."""
        return f"/campaigns/{self.campaign}/collaborations/{self.collab}/documents"


def make_world(engine: Engine, settings: Settings, ws: str = "Brand", handle: str = "ana.glow") -> World:
    """Ana on a paid campaign (a 250 EUR fee), and a portal link for her."""
    creator = make_creator(engine, "Ana Glow", handle, ws=ws)
    campaign = make_campaign(engine, ws=ws, roster=[creator], name="Serum launch", kind="paid",
                             compensation="flat_fee", fee="250", brief="Glow without filters\nMention the SPF",
                             hashtags=["serumglow"])  # fmt: skip
    with session_scope(engine) as s:
        collab = s.scalar(select(Collaboration.id).where(Collaboration.campaign_id == campaign))
        assert collab is not None
        url = manage.issue_link(s, settings, workspace_id(engine, ws), campaign, collab, by="owner@brand.test")
    return World(campaign, collab, creator, url)


def add_code_and_orders(engine: Engine, world: World, totals: list[str], ws: str = "Brand") -> None:
    """A promo code for the world's creator and an order per total made with it."""
    wid = workspace_id(engine, ws)
    with session_scope(engine) as s:
        code = PromoCode(workspace_id=wid, code="ANA10", creator_id=world.creator, source=CommerceSource.csv,
                         kind=DiscountKind.percentage, value=Decimal(10))  # fmt: skip
        s.add(code)
        s.flush()
        for i, total in enumerate(totals):
            s.add(Order(workspace_id=wid, source=CommerceSource.csv, external_id=f"o{i}", number=f"#{i}",
                        created_at=datetime(2026, 11, 20, tzinfo=UTC), currency="EUR", subtotal=Decimal(total),
                        total=Decimal(total), promo_code_id=code.id, discount_codes=["ANA10"]))  # fmt: skip


def form_token(page: str) -> str:
    """The portal form's hidden field."""
    match = re.search(r'name="portal_form" value="([^"]+)"', page)
    assert match, "the page has no portal form"
    return match.group(1)


def text_of(page: str) -> str:
    """What a person reads: the page without tags, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def post(client: TestClient, page: str, action: str, data: dict[str, str], **headers: str) -> Response:
    """Post a portal form the way a browser on this site does: the form's hidden field read from ``page``."""
    token = form_token(client.get(page).text)
    return client.post(action, data={"portal_form": token, **data}, headers=headers)
