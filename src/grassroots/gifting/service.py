"""Gifts: plan one per collaboration, the address it goes to, shipped and delivered, and what the portal shows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.campaigns.service import require_campaign, require_collaboration, roster
from grassroots.config import Settings
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput, NotFound
from grassroots.gifting import catalogue
from grassroots.gifting.models import Gift, GiftLine, GiftStatus
from grassroots.gifting.schemas import AddressIn, GiftIn, GiftOut, LineOut, StatusIn
from grassroots.outreach import timeline
from grassroots.portal.addresses import shipping_address
from grassroots.portal.links import open_link
from grassroots.workspaces.models import Workspace

PORTAL = "creator (portal)"
ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")


@dataclass(frozen=True)
class Address:
    """Where a gift goes, and who gave the address."""

    name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str
    phone: str | None
    given_by: str  # "brand" or "portal"

    @property
    def lines(self) -> list[str]:
        """The address as printed on a parcel."""
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return [p for p in (self.name, self.line1, self.line2, place, self.region, self.country) if p]


@dataclass
class GiftView:
    """One gift with what a page needs about it."""

    gift: Gift
    lines: list[GiftLine]
    creator: Creator
    collaboration: Collaboration
    campaign: Campaign
    address: Address | None


def gift_of(session: Session, collaboration_id: int) -> Gift | None:
    """A collaboration's gift, if one was planned."""
    return session.scalar(select(Gift).where(Gift.collaboration_id == collaboration_id))


def lines_of(session: Session, gift_id: int) -> list[GiftLine]:
    """A gift's lines, in the order they were added."""
    return list(session.scalars(select(GiftLine).where(GiftLine.gift_id == gift_id).order_by(GiftLine.id)))


def address_for(session: Session, gift: Gift) -> Address | None:
    """The brand's typed (or ordered) address, else the one the creator gave in the portal, else None."""
    if gift.ship_line1:
        values = {f: getattr(gift, f"ship_{f}") for f in ADDRESS_FIELDS}
        return Address(**values, given_by=gift.address_from or "brand")
    given = shipping_address(session, gift.workspace_id, gift.collaboration_id)
    if given is None:
        return None
    return Address(**{f: getattr(given, f) for f in ADDRESS_FIELDS}, given_by="portal")


def require_gift(session: Session, workspace_id: int, gift_id: int) -> Gift:
    """A gift of the workspace, or NotFound."""
    gift = session.get(Gift, gift_id)
    if gift is None or gift.workspace_id != workspace_id:
        raise NotFound(f"gift {gift_id} not found")
    return gift


def view(session: Session, gift: Gift) -> GiftView:
    """Everything about one gift."""
    collab = session.get(Collaboration, gift.collaboration_id)
    creator = session.get(Creator, gift.creator_id)
    campaign = session.get(Campaign, collab.campaign_id) if collab else None
    assert collab is not None and creator is not None and campaign is not None
    return GiftView(gift, lines_of(session, gift.id), creator, collab, campaign, address_for(session, gift))


def gift_page(session: Session, workspace_id: int, gift_id: int) -> GiftView:
    """One gift of the workspace (404 for another workspace's)."""
    return view(session, require_gift(session, workspace_id, gift_id))


@dataclass
class RosterGift:
    """A creator of the campaign and their gift (None: none planned yet)."""

    creator: Creator
    collaboration: Collaboration
    gift: Gift | None
    lines: list[GiftLine]
    has_address: bool


def campaign_gifts(session: Session, workspace_id: int, campaign_id: int) -> tuple[Campaign, list[RosterGift]]:
    """Every creator on the campaign's roster with their gift."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    rows = []
    for creator, collab in roster(session, campaign):
        gift = gift_of(session, collab.id)
        has_address = (gift is not None and address_for(session, gift) is not None) or (
            shipping_address(session, workspace_id, collab.id) is not None
        )
        rows.append(RosterGift(creator, collab, gift, lines_of(session, gift.id) if gift else [], has_address))
    return campaign, rows


def handle_of(creator: Creator) -> str:
    """'@maya.makes', or the creator's name when no handle is known."""
    return f"@{creator.primary_handle}" if creator.primary_handle else creator.display_name


def plan_gift(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int, data: GiftIn, actor: Actor
) -> Gift:
    """Plan the collaboration's gift (or change a planned one): products, quantities, cost."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    collab = require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    products = [
        (catalogue.require_product(session, workspace_id, line.product_id), line.quantity) for line in data.lines
    ]
    currencies = {p.currency for p, _ in products if p.price is not None}
    priced = sum((p.price * q for p, q in products if p.price is not None), Decimal(0))
    if len(currencies) > 1 and data.cost is None:
        raise InvalidInput(
            "The products are priced in different currencies: give the gift's cost.", {"cost": "required"}
        )
    currency = currencies.pop() if len(currencies) == 1 else campaign.currency
    gift = gift_of(session, collab.id)
    if gift is not None and gift.status is not GiftStatus.planned:
        raise InvalidInput(f"This gift is {gift.status.value} already; it cannot be changed.")
    first = gift is None
    if gift is None:
        gift = Gift(workspace_id=workspace_id, collaboration_id=collab.id, creator_id=collab.creator_id,
                    store_tag=f"grassroots-gift-{secrets.token_hex(8)}", created_by=actor.name)  # fmt: skip
        session.add(gift)
    gift.cost = data.cost if data.cost is not None else (priced or None)
    gift.currency, gift.note, gift.order_error = currency, data.note or None, None
    session.flush()
    for old in lines_of(session, gift.id):
        session.delete(old)
    for product, quantity in products:
        session.add(GiftLine(workspace_id=workspace_id, gift_id=gift.id, product_id=product.id,
                             variant_gid=product.variant_gid, title=product.title, variant_title=product.variant_title,
                             sku=product.sku, unit_price=product.price, quantity=quantity))  # fmt: skip
    session.flush()
    what = ", ".join(f"{q} × {p.title}" + (f" ({p.variant_title})" if p.variant_title else "") for p, q in products)
    timeline.record(session, workspace_id=workspace_id, creator_id=collab.creator_id, collaboration_id=collab.id,
                    kind="gift_planned", summary=f"Gift {'planned' if first else 're-planned'}: {what}",
                    actor=actor.name, ref=("gift", gift.id))  # fmt: skip
    return gift


def set_address(session: Session, workspace_id: int, gift_id: int, data: AddressIn, actor: Actor) -> Gift:
    """The brand types the address (the creator has not given one, or it changed)."""
    gift = require_gift(session, workspace_id, gift_id)
    if gift.status is not GiftStatus.planned:
        raise InvalidInput("The gift was ordered already: change the address in the store or with the warehouse.")
    for name in ADDRESS_FIELDS:
        setattr(gift, f"ship_{name}", getattr(data, name) or None)
    gift.address_from = "brand"
    session.flush()
    return gift


def mark_shipped(session: Session, gift: Gift, data: StatusIn, actor: Actor) -> Gift:
    """Shipped, with the tracking number, carrier and tracking link as typed (or from the store)."""
    if gift.status not in (GiftStatus.ordered, GiftStatus.shipped):
        raise InvalidInput("Only an ordered gift can be marked shipped.")
    if not data.tracking_number and not data.tracking_url:
        raise InvalidInput("Give the tracking number or the tracking link.", {"tracking_number": "required"})
    gift.tracking_number, gift.carrier, gift.tracking_url = data.tracking_number, data.carrier, data.tracking_url
    first = gift.status is GiftStatus.ordered
    gift.status, gift.shipped_at = GiftStatus.shipped, gift.shipped_at or utcnow()
    session.flush()
    if first:
        via = " ".join(p for p in (data.carrier, data.tracking_number) if p)
        timeline.record(session, workspace_id=gift.workspace_id, creator_id=gift.creator_id,
                        collaboration_id=gift.collaboration_id, kind="gift_shipped",
                        summary=f"Gift shipped{' via ' + via if via else ''}", actor=actor.name,
                        url=gift.tracking_url, ref=("gift", gift.id))  # fmt: skip
    return gift


def mark_delivered(session: Session, gift: Gift, by: str) -> Gift:
    """Delivered (the brand marks it, or the creator presses "I got it"); the thank-you is drafted, not sent."""
    from grassroots.gifting.thanks import draft_thanks

    if gift.status is GiftStatus.delivered:
        return gift
    if gift.status is GiftStatus.planned:
        raise InvalidInput("The gift has not been ordered yet.")
    gift.status, gift.delivered_at, gift.delivered_by = GiftStatus.delivered, utcnow(), by
    draft_thanks(session, gift)
    who = "the creator (in the portal)" if by == PORTAL else by
    timeline.record(session, workspace_id=gift.workspace_id, creator_id=gift.creator_id,
                    collaboration_id=gift.collaboration_id, kind="gift_delivered",
                    summary=f"Gift delivered (confirmed by {who})", actor=by, ref=("gift", gift.id))  # fmt: skip
    return gift


def change_status(session: Session, workspace_id: int, gift_id: int, data: StatusIn, actor: Actor) -> Gift:
    """The API's and the forms' one way to move a gift on."""
    from grassroots.gifting.ordering import request_order

    gift = require_gift(session, workspace_id, gift_id)
    if data.status is GiftStatus.ordered:
        return request_order(session, workspace_id, gift.id, actor)
    if data.status is GiftStatus.shipped:
        return mark_shipped(session, gift, data, actor)
    if data.status is GiftStatus.delivered:
        return mark_delivered(session, gift, actor.name)
    raise InvalidInput("A gift cannot go back to planned.", {"status": "ordered, shipped or delivered"})


def gift_out(session: Session, gift: Gift) -> GiftOut:
    """A gift as the API shows it."""
    lines = [LineOut(title=x.title, variant_title=x.variant_title, sku=x.sku, unit_price=x.unit_price,
                     quantity=x.quantity) for x in lines_of(session, gift.id)]  # fmt: skip
    pending = gift.order_requested_at is not None and gift.status is GiftStatus.planned and not gift.order_error
    return GiftOut(
        id=gift.id, collaboration_id=gift.collaboration_id, creator_id=gift.creator_id, status=gift.status,
        fulfilment=gift.fulfilment, cost=gift.cost, currency=gift.currency, lines=lines,
        has_address=address_for(session, gift) is not None, order_pending=pending, order_error=gift.order_error,
        store_order_name=gift.store_order_name, tracking_number=gift.tracking_number, carrier=gift.carrier,
        tracking_url=gift.tracking_url, ordered_at=gift.ordered_at, shipped_at=gift.shipped_at,
        delivered_at=gift.delivered_at,
    )  # fmt: skip


def list_gifts(session: Session, workspace_id: int, campaign_id: int) -> list[GiftOut]:
    """The campaign's gifts."""
    _, rows = campaign_gifts(session, workspace_id, campaign_id)
    return [gift_out(session, r.gift) for r in rows if r.gift is not None]


@dataclass
class PortalGift:
    """What the creator sees: the brand, the gift (if any) and where it goes."""

    brand_name: str
    gift: GiftView | None


def portal_gift(session: Session, settings: Settings, token: str) -> PortalGift:
    """The gift a portal link opens (a bad, expired or revoked link is a 404)."""
    opened = open_link(session, settings, token)
    workspace = session.get(Workspace, opened.workspace_id)
    gift = gift_of(session, opened.collaboration.id)
    return PortalGift(workspace.name if workspace else "", view(session, gift) if gift else None)


def portal_received(session: Session, settings: Settings, token: str) -> Gift:
    """The creator says the gift arrived."""
    opened = open_link(session, settings, token)
    gift = gift_of(session, opened.collaboration.id)
    if gift is None:
        raise NotFound("There is no gift for this collaboration yet.")
    return mark_delivered(session, gift, PORTAL)


@dataclass
class GiftForm:
    """The gift page of a collaboration: the gift (or none yet), the products to choose from, the address."""

    campaign: Campaign
    collaboration: Collaboration
    creator: Creator
    gift: GiftView | None
    catalogue: catalogue.Catalogue
    address: Address | None


def gift_form(session: Session, workspace_id: int, campaign_id: int, collaboration_id: int) -> GiftForm:
    """What the gift page of one collaboration shows (another workspace's is a 404)."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    collab = require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    creator = session.get(Creator, collab.creator_id)
    assert creator is not None
    gift = gift_of(session, collab.id)
    shown = view(session, gift) if gift else None
    address = shown.address if shown else None
    if address is None:
        given = shipping_address(session, workspace_id, collab.id)
        address = Address(**{f: getattr(given, f) for f in ADDRESS_FIELDS}, given_by="portal") if given else None
    return GiftForm(campaign, collab, creator, shown, catalogue.catalogue(session, workspace_id), address)


def collaboration_of(session: Session, workspace_id: int, gift_id: int) -> tuple[int, int]:
    """(campaign id, collaboration id) of a gift: where its page is."""
    gift = require_gift(session, workspace_id, gift_id)
    collab = session.get(Collaboration, gift.collaboration_id)
    assert collab is not None
    return collab.campaign_id, collab.id
