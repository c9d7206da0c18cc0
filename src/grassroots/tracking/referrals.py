"""The invite-only referral programme: rules, personal codes for chosen customers, referrals recorded from the
orders that use them, rewards held then payable, cancelled by a refund or cancellation, and fraud flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.config import get_settings
from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking import codes
from grassroots.tracking.models import (
    Customer,
    DiscountKind,
    Order,
    PromoCode,
    Referral,
    ReferralInvite,
    ReferralProgram,
    RewardStatus,
)
from grassroots.tracking.referral_checks import Buyer, Redemption, check_referral


@dataclass(frozen=True)
class Rules:
    """The programme's reward rules as a form or the API gives them."""

    referrer_reward_kind: DiscountKind
    referrer_reward_value: Decimal
    friend_discount_kind: DiscountKind
    friend_discount_value: Decimal
    hold_days: int
    active: bool = True


def program(session: Session, workspace_id: int) -> ReferralProgram | None:
    """The workspace's programme, if it has one."""
    return session.scalars(select(ReferralProgram).where(ReferralProgram.workspace_id == workspace_id)).first()


def save_program(session: Session, workspace_id: int, rules: Rules) -> ReferralProgram:
    """Create or change the programme's rules (codes already issued keep their discount)."""
    if not 0 <= rules.hold_days <= 365:
        raise InvalidInput("the hold is 0 to 365 days", {"hold_days": "0 to 365 days"})
    current = program(session, workspace_id) or ReferralProgram(workspace_id=workspace_id)
    for name, value in vars(rules).items():
        setattr(current, name, value)
    session.add(current)
    session.flush()
    return current


def invite(session: Session, workspace_id: int, customer_id: int, actor: str) -> ReferralInvite:
    """Give a chosen customer a personal code carrying the friend discount (once: inviting again returns it)."""
    rules = program(session, workspace_id)
    if rules is None or not rules.active:
        raise InvalidInput("set up and switch on the referral programme before inviting customers")
    customer = session.get(Customer, customer_id)
    if customer is None or customer.workspace_id != workspace_id:
        raise NotFound("customer not found")
    existing = session.scalars(
        select(ReferralInvite).where(
            ReferralInvite.workspace_id == workspace_id, ReferralInvite.customer_id == customer_id
        )
    ).first()
    if existing is not None:
        existing.revoked_at = None
        return existing
    kind, value = rules.friend_discount_kind, rules.friend_discount_value
    name = customer.name or (customer.email or "").partition("@")[0]
    code = codes.next_free(session, workspace_id, codes.stem(name), codes.value_label(value))
    promo = codes.new_code(session, workspace_id, code, kind, value)
    made = ReferralInvite(workspace_id=workspace_id, customer_id=customer_id, promo_code_id=promo.id, created_by=actor)
    session.add(made)
    session.flush()
    return made


def revoke(session: Session, workspace_id: int, invite_id: int) -> ReferralInvite:
    """Stop counting new referrals on an invite (its code should also be disabled in the store)."""
    found = session.get(ReferralInvite, invite_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("referral invite not found")
    found.revoked_at = found.revoked_at or utcnow()
    return found


def _reward(rules: ReferralProgram, order: Order) -> Decimal:
    if rules.referrer_reward_kind == DiscountKind.percentage:
        return (order.total * rules.referrer_reward_value / 100).quantize(Decimal("0.01"))
    return rules.referrer_reward_value


def _buyer_of_orders(session: Session, workspace_id: int, customer: Customer) -> Buyer:
    """The referrer as their own orders show them: every address and fingerprint they used."""
    orders = session.scalars(select(Order).where(Order.workspace_id == workspace_id, Order.customer_id == customer.id))
    keys: set[str] = set()
    prints: set[tuple[str, str]] = set()
    for order in orders:
        keys |= {order.shipping_key} if order.shipping_key else set()
        prints |= set((order.fingerprints or {}).items())
    return Buyer(customer.id, customer.email, frozenset(keys), frozenset(prints))


def _via_link(order: Order, code: str) -> bool:
    """Whether the buyer came through a tracked or referral link (its code or a click id on the landing page)."""
    landing = (order.landing_site or "").lower()
    return code.lower() in landing or "gr_click=" in landing


def _new_customer(session: Session, order: Order) -> bool:
    if order.customer_id is None:
        return True
    earlier = session.scalars(
        select(Order.id).where(Order.customer_id == order.customer_id, Order.created_at < order.created_at).limit(1)
    ).first()
    return earlier is None


def _record(session: Session, rules: ReferralProgram, found: ReferralInvite, promo: PromoCode, order: Order) -> None:
    referrer = session.get_one(Customer, found.customer_id)
    friend = Buyer(
        order.customer_id, order.email, frozenset({order.shipping_key} if order.shipping_key else set()),
        frozenset((order.fingerprints or {}).items()),
    )  # fmt: skip
    earlier = [
        Redemption(o.created_at, _new_customer(session, o), _via_link(o, promo.code))
        for o in session.scalars(
            select(Order).join(Referral, Referral.order_id == Order.id).where(Referral.invite_id == found.id)
        )
    ]
    flags = check_referral(
        friend, _buyer_of_orders(session, order.workspace_id, referrer), at=order.created_at,
        via_link=_via_link(order, promo.code), new_customer=_new_customer(session, order), earlier=earlier,
        leak_threshold=get_settings().referral_leak_threshold,
    )  # fmt: skip
    session.add(
        Referral(
            workspace_id=order.workspace_id, invite_id=found.id, order_id=order.id, reward=_reward(rules, order),
            currency=order.currency, status=RewardStatus.pending, flags=flags,
            hold_until=order.created_at + timedelta(days=rules.hold_days),
        )
    )  # fmt: skip


def orders_changed(session: Session, workspace_id: int, orders: list[Order]) -> None:
    """Record a referral for each new order that used a live invite's code; cancel the reward of an order that
    was refunded or cancelled (a paid reward stays paid and is marked for a person to look at)."""
    rules = program(session, workspace_id)
    if rules is None or not orders:
        return
    known = {
        r.order_id: r
        for r in session.scalars(
            select(Referral).where(Referral.workspace_id == workspace_id, Referral.order_id.in_([o.id for o in orders]))
        )
    }
    promo_ids = {o.promo_code_id for o in orders if o.promo_code_id is not None}
    invites = {
        i.promo_code_id: i
        for i in session.scalars(
            select(ReferralInvite).where(
                ReferralInvite.workspace_id == workspace_id, ReferralInvite.promo_code_id.in_(promo_ids)
            )
        )
    } if promo_ids else {}  # fmt: skip
    for order in orders:
        referral = known.get(order.id)
        if referral is None and order.promo_code_id in invites and rules.active:
            found = invites[order.promo_code_id]
            if found.revoked_at is None and order.cancelled_at is None:
                _record(session, rules, found, session.get_one(PromoCode, found.promo_code_id), order)
        elif referral is not None:
            _reverse_if_undone(referral, order)
    session.flush()


def _reverse_if_undone(referral: Referral, order: Order) -> None:
    if order.cancelled_at is None and not (order.refunded and order.refunded > 0):
        return
    why = "order cancelled" if order.cancelled_at is not None else f"order refunded ({order.refunded})"
    if referral.status == RewardStatus.paid:
        referral.status_reason = f"{why} after the reward was paid"
    elif referral.status != RewardStatus.cancelled:
        referral.status, referral.status_reason = RewardStatus.cancelled, why


def settle(session: Session, workspace_id: int, now: datetime | None = None) -> int:
    """Rewards whose hold has passed become payable; returns how many."""
    moment = now or utcnow()
    due = session.scalars(
        select(Referral).where(
            Referral.workspace_id == workspace_id,
            Referral.status == RewardStatus.pending,
            Referral.hold_until <= moment,
        )
    ).all()
    for referral in due:
        referral.status = RewardStatus.payable
    session.flush()
    return len(due)


def mark_paid(session: Session, workspace_id: int, referral_id: int) -> Referral:
    """Record that a payable reward was paid."""
    found = session.get(Referral, referral_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("referral not found")
    if found.status != RewardStatus.payable:
        raise InvalidInput(f"only a payable reward can be paid; this one is {found.status.value}")
    found.status, found.paid_at = RewardStatus.paid, utcnow()
    return found
