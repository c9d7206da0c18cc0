"""Ordering a gift: a zero-priced order in the connected store (by a job, exactly once) or a warehouse CSV row;
the gift's cost goes to the payments ledger when it is ordered."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns import payments
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign, Collaboration, EntryKind
from grassroots.campaigns.schemas import EntryIn
from grassroots.campaigns.service import require_campaign
from grassroots.config import Settings
from grassroots.connectors.shopify import draft_orders
from grassroots.connectors.shopify.draft_orders import DraftAddress, DraftLine, DraftOrderRefused
from grassroots.creators.models import Creator
from grassroots.creators.schemas import http_url
from grassroots.csv_cells import safe_cell
from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput
from grassroots.gifting import shop
from grassroots.gifting.models import Fulfilment, Gift, GiftStatus
from grassroots.gifting.schemas import StatusIn
from grassroots.gifting.service import ADDRESS_FIELDS, address_for, handle_of, lines_of, mark_shipped, require_gift
from grassroots.jobs import queue
from grassroots.outreach import timeline

ORDER_JOB = "gifting.order"
CSV_COLUMNS = ("gift_id", "campaign", "creator", "handle", "product", "variant", "sku", "quantity", "name",
               "address_line1", "address_line2", "postal_code", "city", "region", "country", "phone", "note")  # fmt: skip


def _snapshot_address(session: Session, gift: Gift) -> None:
    """Copy the address the gift goes to onto the gift: a later change in the portal does not move a parcel."""
    address = address_for(session, gift)
    if address is None:
        raise InvalidInput("Waiting for the creator's address: ask them to enter it in the portal, or type it here.")
    for name in ADDRESS_FIELDS:
        setattr(gift, f"ship_{name}", getattr(address, name))
    gift.address_from = address.given_by


def request_order(session: Session, workspace_id: int, gift_id: int, actor: Actor) -> Gift:
    """ "Create gift order": a store order job when a store is connected and every line is a store product,
    else the gift is ordered at once and appears in the warehouse CSV."""
    gift = require_gift(session, workspace_id, gift_id)
    if gift.status is not GiftStatus.planned:
        raise InvalidInput(f"This gift is {gift.status.value} already.")
    if gift.order_requested_at is not None and not gift.order_error:
        raise InvalidInput("The order is being created in the store already.")
    lines = lines_of(session, gift.id)
    if not lines:
        raise InvalidInput("Choose at least one product first.")
    _snapshot_address(session, gift)
    connection = shop.store_connection(session, workspace_id)
    if connection is None or any(not line.variant_gid for line in lines):
        return record_ordered(session, gift, Fulfilment.warehouse, actor)
    gift.fulfilment, gift.order_error = Fulfilment.store, None
    gift.order_requested_at, gift.order_requested_by = utcnow(), actor.name
    session.flush()
    queue.enqueue(session, ORDER_JOB, {"gift_id": gift.id}, workspace_id=workspace_id, max_attempts=6)
    return gift


def _ledger_note(session: Session, gift: Gift) -> str:
    what = ", ".join(f"{line.quantity} × {line.title}" for line in lines_of(session, gift.id))
    return f"Gift: {what}" + (f" (store order {gift.store_order_name})" if gift.store_order_name else "")


def record_ordered(
    session: Session, gift: Gift, fulfilment: Fulfilment, actor: Actor, *, order_gid: str | None = None,
    order_name: str | None = None,
) -> Gift:  # fmt: skip
    """Mark the gift ordered, put its cost on the payments ledger (once) and on the creator's timeline."""
    collab = session.get(Collaboration, gift.collaboration_id)
    assert collab is not None
    gift.status, gift.fulfilment, gift.ordered_at, gift.order_error = GiftStatus.ordered, fulfilment, utcnow(), None
    gift.store_order_gid, gift.store_order_name = order_gid, order_name
    if gift.cost and gift.ledger_entry_id is None:
        entry = EntryIn(kind=EntryKind.gift, amount=gift.cost, currency=gift.currency, note=_ledger_note(session, gift))
        made = payments.add_entry(session, gift.workspace_id, collab.campaign_id, collab.id, entry, actor)
        gift.ledger_entry_id = made.id
    session.flush()
    where = f"store order {order_name}" if order_name else "for the warehouse (CSV)"
    timeline.record(session, workspace_id=gift.workspace_id, creator_id=gift.creator_id, collaboration_id=collab.id,
                    kind="gift_ordered", summary=f"Gift ordered: {where}", actor=actor.name,
                    ref=("gift", gift.id))  # fmt: skip
    return gift


def _draft_input(session: Session, gift: Gift, campaign: Campaign, creator: Creator) -> dict[str, object]:
    address = address_for(session, gift)
    assert address is not None  # snapshotted when the order was requested
    lines = [DraftLine(str(line.variant_gid), line.quantity) for line in lines_of(session, gift.id)]
    where = DraftAddress(address.name, address.line1, address.line2, address.city, address.region,
                         address.postal_code, address.country, address.phone)  # fmt: skip
    note = f"Gift for {handle_of(creator)}, campaign {campaign.name}"
    return draft_orders.gift_draft_input(lines, where, note=note, tag=gift.store_tag)


def place_store_order(session: Session, settings: Settings, workspace_id: int | None, gift_id: int) -> Gift | None:
    """The order job's work, safe to run again: the draft order's id is committed before it is completed, and
    a draft made by a run that died before recording it is found again by the gift's own tag."""
    gift = session.get(Gift, gift_id)
    if gift is None or gift.workspace_id != workspace_id or gift.status is not GiftStatus.planned:
        return None  # done already (or gone)
    connection = shop.store_connection(session, gift.workspace_id)
    if connection is None:
        raise DraftOrderRefused("the Shopify store is no longer connected; reconnect it or order by CSV")
    collab = session.get(Collaboration, gift.collaboration_id)
    creator = session.get(Creator, gift.creator_id)
    campaign = session.get(Campaign, collab.campaign_id) if collab else None
    assert creator is not None and campaign is not None
    client = shop.connector(connection, settings)
    with client.client:
        found = draft_orders.find_by_id(client, gift.draft_order_gid) if gift.draft_order_gid else None
        draft = found or draft_orders.find_by_tag(client, gift.store_tag)
        if draft is None:
            draft = draft_orders.create(client, _draft_input(session, gift, campaign, creator))
        if gift.draft_order_gid != draft.gid:
            gift.draft_order_gid = draft.gid
            session.commit()  # recorded before completing: a retry completes this draft, never a second one
        if not draft.completed:
            draft = draft_orders.complete(client, draft.gid)
    if not draft.completed:
        raise DraftOrderRefused(f"the store did not turn draft {draft.name or draft.gid} into an order")
    actor = Actor(gift.order_requested_by or "store order job")
    return record_ordered(
        session, gift, Fulfilment.store, actor, order_gid=draft.order_gid, order_name=draft.order_name
    )


def tracking_from_store(session: Session, settings: Settings, workspace_id: int, gift_id: int, actor: Actor) -> Gift:
    """Read the tracking of the gift's store order (its fulfillment) and mark the gift shipped with it."""
    gift = require_gift(session, workspace_id, gift_id)
    connection = shop.store_connection(session, workspace_id)
    if gift.store_order_gid is None or connection is None:
        raise InvalidInput("Only a gift ordered in a connected store has tracking there.")
    client = shop.connector(connection, settings)
    with client.client:
        tracking = draft_orders.order_tracking(client, gift.store_order_gid)
    if tracking is None:
        raise InvalidInput(f"The store has no tracking for order {gift.store_order_name} yet.")
    change = StatusIn(status=GiftStatus.shipped, tracking_number=tracking.number, carrier=tracking.company,
                      tracking_url=http_url(tracking.url))  # fmt: skip
    return mark_shipped(session, gift, change, actor)


def record_order_error(session: Session, gift_id: int, error: str) -> None:
    """Show why the store order failed on the gift page (the brand can try again or use the CSV)."""
    gift = session.get(Gift, gift_id)
    if gift is not None and gift.status is GiftStatus.planned:
        gift.order_error = error[:2000]


def warehouse_csv(session: Session, workspace_id: int, campaign_id: int) -> str:
    """One row per line of every gift to send from the warehouse (ordered, not shipped yet); formula-safe cells."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    rows = session.execute(
        select(Gift, Creator)
        .join(Collaboration, Collaboration.id == Gift.collaboration_id)
        .join(Creator, Creator.id == Gift.creator_id)
        .where(
            Gift.workspace_id == workspace_id,
            Collaboration.campaign_id == campaign.id,
            Gift.fulfilment == Fulfilment.warehouse,
            Gift.status == GiftStatus.ordered,
        )
        .order_by(Gift.id)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for gift, creator in rows:
        for line in lines_of(session, gift.id):
            values = (gift.id, campaign.name, creator.display_name, handle_of(creator), line.title,
                      line.variant_title or "", line.sku or "", line.quantity, gift.ship_name or "",
                      gift.ship_line1 or "", gift.ship_line2 or "", gift.ship_postal_code or "", gift.ship_city or "",
                      gift.ship_region or "", gift.ship_country or "", gift.ship_phone or "", gift.note or "")  # fmt: skip
            writer.writerow(safe_cell(v) for v in values)
    return out.getvalue()
