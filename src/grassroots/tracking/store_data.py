"""Erasing everything a store sent for a workspace (Shopify's ``shop/redact``, 48 hours after uninstalling)."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from grassroots.tracking.models import (
    CommerceSource,
    Customer,
    Order,
    OrderLine,
    OrderRefund,
    PromoCode,
    Referral,
    ReferralInvite,
)


def forget_store_data(session: Session, workspace_id: int, source: CommerceSource) -> dict[str, int]:
    """Delete the workspace's orders (lines, refunds, referrals), customers (and their referral invites) and
    promo codes that came from ``source``; returns the rows deleted per table. Other workspaces are untouched."""
    orders = select(Order.id).where(Order.workspace_id == workspace_id, Order.source == source)
    customers = select(Customer.id).where(Customer.workspace_id == workspace_id, Customer.source == source)
    codes = select(PromoCode.id).where(PromoCode.workspace_id == workspace_id, PromoCode.source == source)
    invites = select(ReferralInvite.id).where(
        ReferralInvite.workspace_id == workspace_id,
        ReferralInvite.customer_id.in_(customers) | ReferralInvite.promo_code_id.in_(codes),
    )
    steps = [
        ("referral", delete(Referral).where(Referral.order_id.in_(orders) | Referral.invite_id.in_(invites))),
        ("referral_invite", delete(ReferralInvite).where(ReferralInvite.id.in_(invites))),
        ("order_line", delete(OrderLine).where(OrderLine.order_id.in_(orders))),
        (
            "order_refund",
            delete(OrderRefund).where(OrderRefund.workspace_id == workspace_id, OrderRefund.source == source),
        ),
        ("sales_order", delete(Order).where(Order.id.in_(orders))),
        ("customer", delete(Customer).where(Customer.id.in_(customers))),
    ]
    counts: dict[str, int] = {}
    for table, statement in steps:
        counts[table] = int(getattr(session.execute(statement), "rowcount", 0) or 0)
    # Orders from other sources may still point at a deleted code: the link goes, the order stays.
    session.execute(
        update(Order)
        .where(Order.workspace_id == workspace_id, Order.promo_code_id.in_(codes))
        .values(promo_code_id=None)
    )
    counts["promo_code"] = int(
        getattr(session.execute(delete(PromoCode).where(PromoCode.id.in_(codes))), "rowcount", 0) or 0
    )
    session.flush()
    return counts
