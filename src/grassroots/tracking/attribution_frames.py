"""A workspace's orders, codes, clicks, identities, collaborations and costs as the frames attribution takes.

One SELECT per frame, rows straight into Polars (no ORM objects); money is read as floats for the frame work and
turned back into Decimal by the service when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import polars as pl
from sqlalchemy import Executable, Float, cast, func, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Collaboration, LedgerEntry
from grassroots.creators.models import Creator
from grassroots.tracking.link_models import Click, ShortLink
from grassroots.tracking.models import Customer, Order, PromoCode, ReferralInvite

UTC_TIME = pl.Datetime("us", "UTC")
REVERSED_STATUSES = ("refunded", "voided")
# The first-party click id the redirector appends (``?gr_click=``), wherever the store kept the landing URL:
# the landing site, its ref, or a note attribute (a theme script may copy it there).
CLICK_ID = r"gr_click=([A-Za-z0-9_\-]{4,40})"


@dataclass(frozen=True, slots=True)
class Frames:
    """Everything ``judgments.tracking.attribution.attribute`` and the ROI need for one workspace."""

    orders: pl.DataFrame
    order_codes: pl.DataFrame
    codes: pl.DataFrame
    order_clicks: pl.DataFrame
    clicks: pl.DataFrame
    creator_customers: pl.DataFrame
    collaborations: pl.DataFrame
    costs: pl.DataFrame  # creator_id, campaign_id, cost

    def inputs(self) -> dict[str, pl.DataFrame]:
        """The keyword arguments of ``attribute``."""
        return {
            "orders": self.orders, "order_codes": self.order_codes, "codes": self.codes,
            "order_clicks": self.order_clicks, "clicks": self.clicks, "creator_customers": self.creator_customers,
            "collaborations": self.collaborations,
        }  # fmt: skip


def _frame(session: Session, query: Executable, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows of ``query`` as a frame; datetimes made aware UTC (SQLite hands them back naive)."""
    rows = session.execute(query).all()
    naive = {k: (pl.Datetime("us") if v == UTC_TIME else v) for k, v in schema.items()}
    frame = pl.DataFrame([tuple(r) for r in rows], schema=naive, orient="row", strict=False)
    return frame.with_columns(pl.col(k).dt.replace_time_zone("UTC") for k, v in schema.items() if v == UTC_TIME)


def _customer_key(customer_id: pl.Expr, email: pl.Expr) -> pl.Expr:
    # A customer id when the store sent one, else the lowercased email: the same person across their orders.
    return pl.coalesce("c" + customer_id.cast(pl.String), "e:" + email.str.strip_chars().str.to_lowercase())


def load_orders(session: Session, workspace_id: int) -> pl.DataFrame:
    """The workspace's orders with a customer key, net total, reversal and the raw evidence columns."""
    q = select(
        Order.id, Order.number, Order.customer_id, Order.email, Order.created_at, Order.currency,
        cast(Order.total, Float), cast(Order.refunded, Float), Order.financial_status, Order.cancelled_at,
        Order.landing_site, Order.landing_site_ref, Order.note_attributes, Order.discount_codes, Order.promo_code_id,
        Order.utm_source, Order.utm_medium, Order.utm_campaign, Order.utm_content,
    ).where(Order.workspace_id == workspace_id)  # fmt: skip
    schema: dict[str, pl.DataType] = {
        "order_id": pl.Int64(), "number": pl.String(), "customer_id": pl.Int64(), "email": pl.String(),
        "created_at": UTC_TIME, "currency": pl.String(), "total": pl.Float64(), "refunded": pl.Float64(),
        "financial_status": pl.String(), "cancelled_at": UTC_TIME, "landing_site": pl.String(),
        "landing_site_ref": pl.String(), "note_attributes": pl.Object(), "discount_codes": pl.Object(),
        "promo_code_id": pl.Int64(), "utm_source": pl.String(), "utm_medium": pl.String(),
        "utm_campaign": pl.String(), "utm_content": pl.String(),
    }  # fmt: skip
    frame = _frame(session, q, schema)
    notes = [_notes_text(n) for n in frame["note_attributes"].to_list()]
    codes = [[str(c).strip().upper() for c in (cs or []) if str(c).strip()] for cs in frame["discount_codes"].to_list()]
    return frame.drop("note_attributes", "discount_codes").with_columns(
        notes=pl.Series(notes, dtype=pl.String),
        codes=pl.Series(codes, dtype=pl.List(pl.String)),
        customer=_customer_key(pl.col("customer_id"), pl.col("email")),
        net_total=pl.col("total").clip(lower_bound=0.0),
        reversed=(
            pl.col("financial_status").str.to_lowercase().is_in(REVERSED_STATUSES).fill_null(False)
            | pl.col("cancelled_at").is_not_null()
            | (pl.col("total") <= 0)
        ),
    )


def _notes_text(notes: Any) -> str | None:
    if not notes:
        return None
    return "&".join(f"{n.get('name')}={n.get('value')}" for n in notes if isinstance(n, dict))


def carried_click_ids(orders: pl.DataFrame) -> pl.DataFrame:
    """(order_id, click_id) for every ``gr_click=`` in an order's landing site, its ref or its note attributes."""
    text = pl.concat_str(
        [pl.col("landing_site").fill_null(""), pl.col("landing_site_ref").fill_null(""), pl.col("notes").fill_null("")],
        separator=" ",
    )
    return (
        orders.select("order_id", click_id=text.str.extract_all(CLICK_ID))
        .explode("click_id")
        .drop_nulls()
        .with_columns(pl.col("click_id").str.replace("gr_click=", "", literal=True))
        .unique()
    )


def order_codes(session: Session, workspace_id: int, orders: pl.DataFrame) -> pl.DataFrame:
    """(order_id, code): the codes on the order plus the promo code the store linked it to."""
    linked = _frame(
        session,
        select(PromoCode.id, PromoCode.code).where(PromoCode.workspace_id == workspace_id),
        {"promo_code_id": pl.Int64(), "code": pl.String()},
    )
    listed = orders.select("order_id", code=pl.col("codes")).explode("code").drop_nulls()
    via_link = orders.select("order_id", "promo_code_id").drop_nulls().join(linked, on="promo_code_id")
    return pl.concat([listed, via_link.select("order_id", "code")]).unique()


def codes(session: Session, workspace_id: int, creator_customers: pl.DataFrame) -> pl.DataFrame:
    """(code, creator_id, campaign_id): creators' codes, plus referral codes of customers who are creators."""
    q = (
        select(PromoCode.code, func.coalesce(PromoCode.creator_id, Collaboration.creator_id),
               func.coalesce(PromoCode.campaign_id, Collaboration.campaign_id))
        .outerjoin(Collaboration, Collaboration.id == PromoCode.collaboration_id)
        .where(PromoCode.workspace_id == workspace_id)
    )  # fmt: skip
    schema = {"code": pl.String(), "creator_id": pl.Int64(), "campaign_id": pl.Int64()}
    owned = _frame(session, q, schema)
    # A referral code belongs to a customer: it credits a creator only when that customer is one (otherwise the
    # referral programme, not attribution, rewards it).
    referral = _frame(
        session,
        select(PromoCode.code, ReferralInvite.customer_id)
        .join(ReferralInvite, ReferralInvite.promo_code_id == PromoCode.id)
        .where(ReferralInvite.workspace_id == workspace_id),
        {"code": pl.String(), "customer_id": pl.Int64()},
    )
    by_referral = referral.select("code", customer="c" + pl.col("customer_id").cast(pl.String)).join(
        creator_customers, on="customer"
    )
    found = by_referral.select("code", "creator_id", campaign_id=pl.lit(None, pl.Int64))
    return pl.concat([owned.filter(pl.col("creator_id").is_not_null()), found]).unique(subset="code", keep="first")


def clicks(session: Session, workspace_id: int, since: Any) -> pl.DataFrame:
    """Clicks on the workspace's links since ``since``, each with its link's creator and campaign."""
    q = (
        select(Click.click_id, func.coalesce(ShortLink.creator_id, Collaboration.creator_id),
               func.coalesce(ShortLink.campaign_id, Collaboration.campaign_id), ShortLink.slug, Click.at,
               Click.visitor, Click.is_bot)
        .join(ShortLink, ShortLink.id == Click.link_id)
        .outerjoin(Collaboration, Collaboration.id == ShortLink.collaboration_id)
        .where(Click.workspace_id == workspace_id)
    )  # fmt: skip
    if since is not None:
        q = q.where(Click.at >= since)
    schema = {
        "click_id": pl.String(), "creator_id": pl.Int64(), "campaign_id": pl.Int64(), "slug": pl.String(),
        "at": UTC_TIME, "visitor": pl.String(), "is_bot": pl.Boolean(),
    }  # fmt: skip
    return _frame(session, q, schema)


def creator_customers(session: Session, workspace_id: int) -> pl.DataFrame:
    """(customer key, creator_id) for creators whose email is also a customer's: their own orders are flagged."""
    email = func.lower(func.trim(Creator.email))
    q = (
        select(Creator.id, email, Customer.id)
        .outerjoin(Customer, (Customer.workspace_id == workspace_id) & (Customer.email == email))
        .where(Creator.workspace_id == workspace_id, Creator.email.is_not(None))
    )
    rows = _frame(session, q, {"creator_id": pl.Int64(), "email": pl.String(), "customer_id": pl.Int64()})
    by_id = rows.drop_nulls("customer_id").select(
        customer="c" + pl.col("customer_id").cast(pl.String), creator_id="creator_id"
    )
    by_email = rows.select(customer="e:" + pl.col("email"), creator_id="creator_id")
    return pl.concat([by_id, by_email]).unique()


def collaborations(session: Session, workspace_id: int) -> pl.DataFrame:
    """(creator_id, campaign_id, started_at) for every collaboration of the workspace."""
    q = select(Collaboration.creator_id, Collaboration.campaign_id, Collaboration.created_at).where(
        Collaboration.workspace_id == workspace_id
    )
    return _frame(session, q, {"creator_id": pl.Int64(), "campaign_id": pl.Int64(), "started_at": UTC_TIME})


def costs(session: Session, workspace_id: int) -> pl.DataFrame:
    """(creator_id, campaign_id, cost): fees, commissions and gift costs booked per collaboration, owed or paid."""
    q = (
        select(Collaboration.creator_id, Collaboration.campaign_id, cast(func.sum(LedgerEntry.amount), Float))
        .join(Collaboration, Collaboration.id == LedgerEntry.collaboration_id)
        .where(LedgerEntry.workspace_id == workspace_id)
        .group_by(Collaboration.creator_id, Collaboration.campaign_id)
    )
    return _frame(session, q, {"creator_id": pl.Int64(), "campaign_id": pl.Int64(), "cost": pl.Float64()})


def load(session: Session, workspace_id: int, window_days: float) -> Frames:
    """All frames of one workspace; clicks older than the first order's window are not read."""
    orders = load_orders(session, workspace_id)
    first = orders["created_at"].min() if orders.height else None
    since = first - timedelta(days=window_days) if first is not None else None  # type: ignore[operator]
    identities = creator_customers(session, workspace_id)
    return Frames(
        orders=orders,
        order_codes=order_codes(session, workspace_id, orders),
        codes=codes(session, workspace_id, identities),
        order_clicks=carried_click_ids(orders),
        clicks=clicks(session, workspace_id, since),
        creator_customers=identities,
        collaborations=collaborations(session, workspace_id),
        costs=costs(session, workspace_id),
    )
