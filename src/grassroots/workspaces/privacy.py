"""Erasure on request ("forget me"): a creator, a shop customer or a commenter, leaving aggregates intact.

- a creator is deleted with everything about them (accounts, posts and their comments, follower history,
  vetting reports, campaign pipeline entries); promo codes and the orders they brought stay, unassigned;
- a customer keeps their row and orders (so order counts and revenue stay right) under a pseudonym
  ``forgotten-<id>``: email, name and the shop's customer id are erased, as are stored webhook bodies naming them;
- a commenter's comments stay (so every label and chart stays) under a pseudonym ``forgotten-<id>``, one per
  person, so pod and spam judgments still see one commenter rather than many or one for everybody.

A later sync re-imports whatever is still public on the platform or still in the shop.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, func, or_, select, update
from sqlalchemy.orm import Session

from grassroots.agreements.models import DocumentVersion, Signature
from grassroots.approvals.models import ContentComment, ContentDraft, ContentVersion, UgcItem
from grassroots.campaigns.models import Collaboration, LedgerEntry, StageChange
from grassroots.comments.models import CommentLabel
from grassroots.connectors.models import WebhookDelivery
from grassroots.creators.models import Comment, Creator, FollowerSnapshot, Post, SocialAccount
from grassroots.demo.models import DemoTruth
from grassroots.discovery import stored
from grassroots.discovery.catalog import forget_catalog
from grassroots.discovery.models import SearchProfile, ShortlistEntry
from grassroots.errors import InvalidInput, NotFound
from grassroots.gifting.models import Gift, GiftLine
from grassroots.insights.models import CreatorGrant, SharedInsight
from grassroots.mentions.models import Mention
from grassroots.outreach.models import OutboundMessage, OutreachDraft, Reply, Touchpoint
from grassroots.portal.models import OfferResponse, PayoutDetails, PortalLink, ShippingAddress
from grassroots.tracking.link_models import ShortLink
from grassroots.tracking.models import Customer, Order, PromoCode
from grassroots.tracking.records import normalise_email
from grassroots.vetting.models import VettingReport

PSEUDONYM = "forgotten-{id}"
# A delivery in one of these states was processed; any other one is marked skipped once its body is erased.
PROCESSED = ("processed", "ignored", "rejected", "skipped")


def forget_creator(session: Session, workspace_id: int, handle: str) -> dict[str, int]:
    """Delete the creator owning ``handle`` and everything about them; counts of rows deleted (or unlinked)."""
    key = _handle(handle)
    matching = select(SocialAccount.creator_id).where(
        SocialAccount.workspace_id == workspace_id, func.lower(SocialAccount.handle) == key
    )
    creator_ids = list(
        session.scalars(
            select(Creator.id).where(
                Creator.workspace_id == workspace_id,
                or_(Creator.id.in_(matching), func.lower(Creator.primary_handle) == key),
            )
        )
    )
    if not creator_ids:
        raise NotFound(f"no creator with the handle @{key} in this workspace")
    accounts = select(SocialAccount.id).where(SocialAccount.creator_id.in_(creator_ids))
    posts = select(Post.id).where(Post.account_id.in_(accounts))
    comments = select(Comment.id).where(Comment.post_id.in_(posts))
    collaborations = select(Collaboration.id).where(Collaboration.creator_id.in_(creator_ids))
    # Children first, so nothing depends on the database cascading (SQLite enforces keys only with a pragma).
    steps: list[tuple[str, Executable]] = [
        ("comment_label", delete(CommentLabel).where(CommentLabel.comment_id.in_(comments))),
        ("comment", delete(Comment).where(Comment.post_id.in_(posts))),
        ("post", delete(Post).where(Post.account_id.in_(accounts))),
        ("follower_snapshot", delete(FollowerSnapshot).where(FollowerSnapshot.account_id.in_(accounts))),
        ("vetting_report", delete(VettingReport).where(
            or_(VettingReport.creator_id.in_(creator_ids), VettingReport.account_id.in_(accounts)))),
        ("demo_truth", delete(DemoTruth).where(DemoTruth.account_id.in_(accounts))),
        ("stage_change", delete(StageChange).where(StageChange.collaboration_id.in_(collaborations))),
        # Payment lines go with the collaboration; export the payouts CSV first if the accountant needs them.
        ("ledger_entry", delete(LedgerEntry).where(LedgerEntry.collaboration_id.in_(collaborations))),
        ("outbound_message", delete(OutboundMessage).where(OutboundMessage.creator_id.in_(creator_ids))),
        ("touchpoint", delete(Touchpoint).where(Touchpoint.creator_id.in_(creator_ids))),
        ("portal_link", delete(PortalLink).where(PortalLink.collaboration_id.in_(collaborations))),
        ("shipping_address", delete(ShippingAddress).where(ShippingAddress.collaboration_id.in_(collaborations))),
        # Links and their clicks stay (counts stay right), unassigned, like promo codes.
        ("short_link", update(ShortLink).where(ShortLink.creator_id.in_(creator_ids)).values(creator_id=None)),
        # forget: outreach (drafts, replies)
        ("outreach_draft", delete(OutreachDraft).where(OutreachDraft.creator_id.in_(creator_ids))),
        ("outreach_reply", delete(Reply).where(Reply.creator_id.in_(creator_ids))),
        # forget: portal and agreements
        ("agreement_signature", delete(Signature).where(Signature.collaboration_id.in_(collaborations))),
        ("document_version", delete(DocumentVersion).where(DocumentVersion.collaboration_id.in_(collaborations))),
        ("offer_response", delete(OfferResponse).where(OfferResponse.collaboration_id.in_(collaborations))),
        ("payout_details", delete(PayoutDetails).where(PayoutDetails.collaboration_id.in_(collaborations))),
        # forget: approvals, UGC and mentions
        ("ugc_item", delete(UgcItem).where(
            or_(UgcItem.creator_id.in_(creator_ids), UgcItem.collaboration_id.in_(collaborations)))),
        ("content_comment", delete(ContentComment).where(ContentComment.draft_id.in_(
            select(ContentDraft.id).where(ContentDraft.collaboration_id.in_(collaborations))))),
        ("content_version", delete(ContentVersion).where(ContentVersion.draft_id.in_(
            select(ContentDraft.id).where(ContentDraft.collaboration_id.in_(collaborations))))),
        ("content_draft", delete(ContentDraft).where(ContentDraft.collaboration_id.in_(collaborations))),
        # Mentions go with their posts (deleted above, the rows cascade); this catches any left behind.
        ("mention", delete(Mention).where(Mention.creator_id.in_(creator_ids))),
        # forget: gifting
        ("gift_line", delete(GiftLine).where(
            GiftLine.gift_id.in_(select(Gift.id).where(Gift.creator_id.in_(creator_ids))))),
        ("gift", delete(Gift).where(Gift.creator_id.in_(creator_ids))),
        # forget: creator insights
        # Shared figures and grants (encrypted tokens) go with the creator; the platform is not called here.
        ("shared_insight", delete(SharedInsight).where(SharedInsight.creator_id.in_(creator_ids))),
        ("creator_grant", delete(CreatorGrant).where(CreatorGrant.creator_id.in_(creator_ids))),
        # forget: tracking links and referrals
        # Issued codes stay (orders keep counting) but lose the collaboration that is deleted below.
        ("promo_code_collaboration", update(PromoCode).where(PromoCode.collaboration_id.in_(collaborations))
         .values(collaboration_id=None)),
        ("collaboration", delete(Collaboration).where(Collaboration.creator_id.in_(creator_ids))),
        ("promo_code", update(PromoCode).where(PromoCode.creator_id.in_(creator_ids)).values(creator_id=None)),
        ("search_profile", delete(SearchProfile).where(SearchProfile.creator_id.in_(creator_ids))),
        ("shortlist_entry", delete(ShortlistEntry).where(ShortlistEntry.creator_id.in_(creator_ids))),
        ("social_account", delete(SocialAccount).where(SocialAccount.creator_id.in_(creator_ids))),
        ("creator", delete(Creator).where(Creator.id.in_(creator_ids))),
    ]  # fmt: skip
    counts = {name: _changed(session, statement) for name, statement in steps}
    session.expire_all()
    # The discovery catalog (in memory and on disk) holds their words and vector: dropped, rebuilt without them.
    forget_catalog(workspace_id)
    stored.forget(workspace_id)
    return counts


def forget_customer(
    session: Session,
    workspace_id: int,
    email: str | None = None,
    external_id: str | None = None,
    *,
    source: str | None = None,
) -> dict[str, int]:
    """Erase a shop customer's email, name and shop id (by email or the shop's customer id); orders stay."""
    wanted = normalise_email(email)
    if wanted is None and not (external_id or "").strip():
        raise InvalidInput("give the customer's email or the shop's customer id")
    customers = _customers(session, workspace_id, wanted, (external_id or "").strip() or None, source)
    emails = {wanted} if wanted else set()
    emails |= {e for c in customers if (e := normalise_email(c.email))}
    ids = [c.id for c in customers]
    orders_of = [Order.customer_id.in_(ids)] if ids else []
    if emails:
        orders_of.append(func.lower(Order.email).in_(sorted(emails)))
    order_count = 0
    if orders_of:
        orders = (
            update(Order)
            .where(Order.workspace_id == workspace_id, or_(*orders_of))
            .values(
                email=None,
                shipping_key=None,
                fingerprints=None,  # hashes, but of the person's address, IP and card
            )
        )
        order_count = _changed(session, orders)
    shop_ids = {c.external_id for c in customers} | ({external_id.strip()} if external_id else set())
    deliveries = _erase_deliveries(session, workspace_id, emails, shop_ids)
    if not customers and not order_count and not deliveries:
        raise NotFound("no customer with that email or shop customer id in this workspace")
    for customer in customers:
        pseudonym = PSEUDONYM.format(id=customer.id)
        customer.email, customer.name, customer.external_id = None, pseudonym, pseudonym
    session.flush()
    return {"customer": len(customers), "sales_order": order_count, "webhook_delivery": deliveries}


def forget_commenter(session: Session, workspace_id: int, handle: str, *, erase_text: bool = False) -> dict[str, int]:
    """Put a pseudonym on every comment written by ``handle`` and blank its avatar flag (and text, if asked)."""
    key = _handle(handle)
    theirs = (Comment.workspace_id == workspace_id, func.lower(Comment.author_handle) == key)
    first = session.scalar(select(func.min(Comment.id)).where(*theirs))
    if first is None:
        raise NotFound(f"no comment by @{key} in this workspace")
    values: dict[str, Any] = {"author_handle": PSEUDONYM.format(id=first), "author_has_avatar": None}
    if erase_text:
        values["text"] = ""
    changed = _changed(session, update(Comment).where(*theirs).values(**values))
    session.expire_all()
    return {"comment": changed}


def _handle(handle: str) -> str:
    key = handle.strip().lstrip("@").strip().lower()
    if not key:
        raise InvalidInput("give a handle")
    return key


def _changed(session: Session, statement: Executable) -> int:
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return cast(CursorResult[Any], result).rowcount


def _customers(
    session: Session, workspace_id: int, email: str | None, external_id: str | None, source: str | None
) -> list[Customer]:
    match = []
    if email:
        match.append(Customer.email == email)
    if external_id:
        match.append(Customer.external_id == external_id)
    query = select(Customer).where(Customer.workspace_id == workspace_id, or_(*match))
    if source:
        query = query.where(Customer.source == source)
    return list(session.scalars(query.order_by(Customer.id)))


def _erase_deliveries(session: Session, workspace_id: int, emails: set[str], shop_ids: set[str]) -> int:
    """Erase the stored body and payload of every webhook delivery that names the customer."""
    query = select(WebhookDelivery.id, WebhookDelivery.body, WebhookDelivery.payload).where(
        WebhookDelivery.workspace_id == workspace_id,
        or_(WebhookDelivery.body.is_not(None), WebhookDelivery.payload.is_not(None)),
    )
    found = [
        row.id
        for batch in session.execute(query.execution_options(yield_per=500)).partitions()
        for row in batch
        if _names(row.body, emails, shop_ids) or _names(row.payload, emails, shop_ids)
    ]
    for chunk in (found[i : i + 500] for i in range(0, len(found), 500)):
        erase = update(WebhookDelivery).where(WebhookDelivery.id.in_(chunk))
        _changed(session, erase.values(body=None, payload=None))
        unfinished = erase.where(WebhookDelivery.status.not_in(PROCESSED))
        _changed(session, unfinished.values(status="skipped", error="personal data erased before processing"))
    return len(found)


def _names(stored: bytes | dict[str, Any] | None, emails: set[str], shop_ids: set[str]) -> bool:
    """Whether a stored body (raw JSON bytes) or payload mentions one of the emails or the shop's customer ids."""
    if stored is None:
        return False
    if isinstance(stored, dict):
        data: Any = stored
    else:
        raw = bytes(stored)
        if any(e.encode() in raw.lower() for e in emails):
            return True
        try:
            data = json.loads(raw)
        except ValueError:
            return False
    return _mentions(data, emails, shop_ids)


def _mentions(data: Any, emails: set[str], shop_ids: set[str]) -> bool:
    if isinstance(data, str):
        return data.strip().lower() in emails
    if isinstance(data, list):
        return any(_mentions(item, emails, shop_ids) for item in data)
    if not isinstance(data, dict):
        return False
    customer = data.get("customer")
    ids: Iterable[Any] = [data.get("customer_id"), customer.get("id") if isinstance(customer, dict) else None]
    if any(i is not None and str(i) in shop_ids for i in ids):
        return True
    return any(_mentions(value, emails, shop_ids) for value in data.values())
