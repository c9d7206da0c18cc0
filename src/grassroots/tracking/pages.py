"""What the tracking pages and the codes/referrals API show and do: one module the routes call."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.creators.models import Creator
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking import codes, referrals
from grassroots.tracking.codes import CodeRow
from grassroots.tracking.models import Customer, Order, PromoCode, Referral, ReferralInvite, RewardStatus
from grassroots.tracking.referrals import Rules

__all__ = ["CodeRow", "Rules", "codes", "referrals"]


@dataclass(frozen=True)
class Choices:
    """What the issue and assign forms offer: campaigns, collaborations (creator in campaign), creators."""

    campaigns: list[tuple[int, str]]
    collaborations: list[tuple[int, str]]
    creators: list[tuple[int, str]]


def choices(session: Session, workspace_id: int) -> Choices:
    """The workspace's campaigns, collaborations and creators, by name."""
    campaigns = session.execute(
        select(Campaign.id, Campaign.name).where(Campaign.workspace_id == workspace_id).order_by(Campaign.name)
    ).all()
    collabs = session.execute(
        select(Collaboration.id, Creator.display_name, Campaign.name)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .join(Campaign, Campaign.id == Collaboration.campaign_id)
        .where(Collaboration.workspace_id == workspace_id)
        .order_by(Campaign.name, Creator.display_name)
    ).all()
    creators = session.execute(
        select(Creator.id, Creator.display_name)
        .where(Creator.workspace_id == workspace_id)
        .order_by(Creator.display_name)
    ).all()
    return Choices(
        [(i, n) for i, n in campaigns], [(i, f"{c} — {n}") for i, c, n in collabs], [(i, n) for i, n in creators]
    )


@dataclass
class Overview:
    """The /tracking page: codes grouped by campaign with their totals, and the referral programme's state."""

    by_campaign: dict[str, list[CodeRow]] = field(default_factory=dict)
    code_count: int = 0
    orders: int = 0
    revenue: Decimal = Decimal(0)
    program_active: bool | None = None
    referrers: int = 0
    referral_counts: dict[str, int] = field(default_factory=dict)
    flagged: int = 0


def overview(session: Session, workspace_id: int) -> Overview:
    """Codes per creator and campaign with usage and revenue, and the referral programme in numbers."""
    result = Overview()
    for row in codes.code_rows(session, workspace_id):
        result.by_campaign.setdefault(row.campaign or "No campaign", []).append(row)
        result.code_count += 1
        result.orders += row.orders
        result.revenue += row.revenue
    rules = referrals.program(session, workspace_id)
    result.program_active = None if rules is None else rules.active
    referrals.settle(session, workspace_id)
    result.referrers = int(
        session.scalar(select(func.count(ReferralInvite.id)).where(ReferralInvite.workspace_id == workspace_id)) or 0
    )
    for status, n in session.execute(
        select(Referral.status, func.count(Referral.id))
        .where(Referral.workspace_id == workspace_id)
        .group_by(Referral.status)
    ):
        result.referral_counts[status.value] = int(n)
    result.flagged = sum(1 for r in _referrals(session, workspace_id) if r.flags)
    return result


def _referrals(session: Session, workspace_id: int) -> list[Referral]:
    return list(
        session.scalars(
            select(Referral).where(Referral.workspace_id == workspace_id).order_by(Referral.created_at.desc())
        )
    )


@dataclass(frozen=True)
class ReferrerRow:
    """An invited customer, their code and what their referrals earned."""

    invite: ReferralInvite
    customer: Customer
    code: PromoCode
    referrals: int
    earned: Decimal


@dataclass(frozen=True)
class ReferralRow:
    """A referred order with its referrer, reward and flags."""

    referral: Referral
    order: Order
    referrer: Customer
    code: str


def referrer_rows(session: Session, workspace_id: int) -> list[ReferrerRow]:
    """Every invite with its customer, code, referral count and rewards not cancelled."""
    rows = []
    query = (
        select(ReferralInvite, Customer, PromoCode)
        .join(Customer, Customer.id == ReferralInvite.customer_id)
        .join(PromoCode, PromoCode.id == ReferralInvite.promo_code_id)
        .where(ReferralInvite.workspace_id == workspace_id)
        .order_by(ReferralInvite.created_at.desc())
    )
    for found, customer, code in session.execute(query).all():
        mine = session.scalars(select(Referral).where(Referral.invite_id == found.id)).all()
        earned = sum((r.reward for r in mine if r.status != RewardStatus.cancelled), Decimal(0))
        rows.append(ReferrerRow(found, customer, code, len(mine), earned))
    return rows


def referral_rows(session: Session, workspace_id: int) -> list[ReferralRow]:
    """Every referral, newest first, rewards settled first (a hold that passed becomes payable)."""
    referrals.settle(session, workspace_id)
    query = (
        select(Referral, Order, Customer, PromoCode.code)
        .join(Order, Order.id == Referral.order_id)
        .join(ReferralInvite, ReferralInvite.id == Referral.invite_id)
        .join(Customer, Customer.id == ReferralInvite.customer_id)
        .join(PromoCode, PromoCode.id == ReferralInvite.promo_code_id)
        .where(Referral.workspace_id == workspace_id)
        .order_by(Referral.created_at.desc())
    )
    return [ReferralRow(r, o, c, code) for r, o, c, code in session.execute(query).all()]


def invite_by_email(session: Session, workspace_id: int, email: str, actor: str) -> ReferralInvite:
    """Invite the workspace's customer with this email (the page asks for an email, not an id)."""
    wanted = email.strip().lower()
    if not wanted or "@" not in wanted:
        raise InvalidInput("give the customer's email", {"email": "an email address"})
    customer = session.scalars(
        select(Customer).where(Customer.workspace_id == workspace_id, Customer.email == wanted)
    ).first()
    if customer is None:
        raise NotFound(f"no customer with the email {wanted} in this workspace's orders")
    return referrals.invite(session, workspace_id, customer.id, actor)


def issue_codes(
    session: Session, workspace_id: int, *, kind: str, value: str, actor: str,
    campaign_id: int | None = None, collaboration_ids: list[int] | None = None, code: str | None = None,
) -> list[PromoCode]:  # fmt: skip
    """Issue codes for a whole roster (campaign) or chosen collaborations."""
    parsed_kind, amount = codes.checked_discount(kind, value)
    if campaign_id is not None:
        return codes.issue_for_campaign(session, workspace_id, campaign_id, parsed_kind, amount, actor)
    if not collaboration_ids:
        raise InvalidInput("choose a campaign's roster or a collaboration", {"collaboration_id": "choose one"})
    return codes.issue(session, workspace_id, collaboration_ids, parsed_kind, amount, actor, code)


def code_of(session: Session, found: ReferralInvite) -> str:
    """The personal code of an invite."""
    return session.get_one(PromoCode, found.promo_code_id).code


def _one(fields: dict[str, list[str]], name: str) -> str:
    return (fields.get(name) or [""])[0].strip()


def rules_from(fields: dict[str, list[str]]) -> Rules:
    """The programme form (or API body) as rules, or InvalidInput naming the bad box."""
    try:
        referrer = codes.checked_discount(_one(fields, "referrer_reward_kind"), _one(fields, "referrer_reward_value"))
        friend = codes.checked_discount(_one(fields, "friend_discount_kind"), _one(fields, "friend_discount_value"))
        hold = int(_one(fields, "hold_days") or "30")
    except (ValueError, InvalidOperation):
        raise InvalidInput("the hold is a whole number of days", {"hold_days": "a whole number"}) from None
    return Rules(referrer[0], referrer[1], friend[0], friend[1], hold, _one(fields, "active") != "no")
