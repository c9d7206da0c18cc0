"""The store read into frames for planning: the roster with its terms, candidates with niches, actual sales.

The queries behind ``campaigns/planning.py``: each returns a Polars frame (or a small record) that the pure
judgments of ``judgments/campaigns`` take. Columns, not ORM objects: 5,000 candidates load in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Text, cast, false, func, or_, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration, Stage
from grassroots.campaigns.planning_schemas import OptimiseIn
from grassroots.campaigns.scope import window
from grassroots.config import get_settings
from grassroots.creators.models import Creator
from grassroots.creators.tiers import Tier, tier_range
from grassroots.judgments.campaigns.compensation import Terms, suggest_compensation
from grassroots.judgments.campaigns.forecast import Interval
from grassroots.judgments.vetting.engagement import tier_expr
from grassroots.tracking.models import Order, PromoCode

ROSTER_OUT = (Stage.declined, Stage.paused)  # they will not post: left out of the forecast and the optimiser
CREATOR = (Creator.id, Creator.display_name, Creator.primary_handle, Creator.followers, Creator.engagement_rate,
           Creator.credibility, Creator.primary_platform)  # fmt: skip
CREATOR_COLUMNS = {"creator_id": pl.Int64, "name": pl.String, "handle": pl.String, "followers": pl.Int64,
                   "engagement_rate": pl.Float64, "credibility": pl.Int64, "platform": pl.String}  # fmt: skip
TERM_COLUMNS = {"compensation": pl.String, "fee": pl.Float64, "commission_pct": pl.Float64, "gift_value": pl.Float64}
ID_CHUNK = 900  # ids per IN (...) list: SQLite's variable limit is 999 on older builds


@dataclass(frozen=True)
class Actual:
    """Orders that used a roster member's (or the campaign's) promo code during the campaign."""

    orders: int
    revenue: Decimal
    currency: str
    since: date
    until: date
    other_currency_orders: int
    running: bool

    def position(self, sales: Interval) -> str:
        """Where the actual sales fall against the forecast's interval, in words."""
        so_far = " so far" if self.running else ""
        if self.orders < sales.p10:
            return f"below the forecast's P10{so_far}"
        if self.orders > sales.p90:
            return f"above the forecast's P90{so_far}"
        return f"within the forecast's P10–P90{so_far}"


def chunks(ids: list[int]) -> list[list[int]]:
    """Ids in slices small enough for one IN (...) list."""
    return [ids[i : i + ID_CHUNK] for i in range(0, len(ids), ID_CHUNK)]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _creator(row: Any) -> list[Any]:
    platform = row[6].value if row[6] is not None else None
    return [*row[:6], platform]


def with_tiers(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``tier`` from followers, with the tier bounds in settings."""
    s = get_settings()
    bounds = (s.tier_nano_min, s.tier_micro_min, s.tier_macro_min, s.tier_mega_min)
    return frame.with_columns(tier_expr(pl.col("followers"), bounds).alias("tier"))


def with_suggested_fee(frame: pl.DataFrame, currency: str) -> pl.DataFrame:
    """Add ``suggested_fee``: the middle of the fair-compensation range for one post."""
    fees = suggest_compensation(frame, Terms(currency=currency)).select("creator_id", "suggested_fee")
    return frame.join(fees, on="creator_id", how="left", maintain_order="left")


def roster_frame(session: Session, campaign: Campaign) -> pl.DataFrame:
    """The roster (without declined and paused creators) with each collaboration's terms over the campaign's."""
    terms = (Collaboration.compensation, Collaboration.fee, Collaboration.commission_pct, Collaboration.gift_value)
    rows = session.execute(
        select(*CREATOR, *terms)
        .join(Collaboration, Collaboration.creator_id == Creator.id)
        .where(Collaboration.campaign_id == campaign.id, Collaboration.stage.not_in(ROSTER_OUT))
        .order_by(Creator.id)
    ).all()
    defaults = (campaign.fee, campaign.commission_pct, campaign.gift_value)
    values = [
        [*_creator(r), (r[7] or campaign.compensation).value, *(_float(v if v is not None else d)
                                                                 for v, d in zip(r[8:], defaults, strict=True))]
        for r in rows
    ]  # fmt: skip
    frame = with_tiers(pl.DataFrame(values, schema=CREATOR_COLUMNS | TERM_COLUMNS, orient="row"))
    return with_suggested_fee(frame, campaign.currency)


def set_aside(session: Session, campaign: Campaign) -> int:
    """How many of the roster are declined or paused (not forecast)."""
    count = select(func.count()).where(Collaboration.campaign_id == campaign.id, Collaboration.stage.in_(ROSTER_OUT))
    return int(session.scalar(count) or 0)


def actual_sales(session: Session, campaign: Campaign, creator_ids: list[int]) -> Actual | None:
    """Orders with a roster member's code or the campaign's own codes during its dates; None without any code."""
    codes = {c.upper() for c in campaign.promo_codes or []}
    for part in chunks(creator_ids):
        mine = select(PromoCode.code).where(PromoCode.workspace_id == campaign.workspace_id,
                                            PromoCode.creator_id.in_(part))  # fmt: skip
        codes |= {c.upper() for c in session.scalars(mine)}
    if not codes:
        return None
    start, end = window(campaign)
    since = start or datetime.combine(campaign.created_at.date(), datetime.min.time(), UTC)
    # Most orders carry no code: the text of an empty JSON list is cheap to rule out in SQL on both databases.
    query = select(Order.total, Order.currency, Order.discount_codes).where(
        Order.workspace_id == campaign.workspace_id, Order.created_at >= since, cast(Order.discount_codes, Text) != "[]"
    )  # fmt: skip
    if end is not None:
        query = query.where(Order.created_at <= end)
    matched = [(t, c) for t, c, used in session.execute(query) if any(str(u).upper() in codes for u in used or [])]
    same = [t for t, c in matched if c == campaign.currency]
    today = datetime.now(UTC).date()
    until = min(campaign.ends_on, today) if campaign.ends_on else today
    return Actual(len(matched), sum(same, Decimal(0)), campaign.currency, since.date(), until,
                  len(matched) - len(same), campaign.ends_on is None or campaign.ends_on >= today)  # fmt: skip


def _in_tiers(tiers: list[Tier]) -> ColumnElement[bool]:
    settings = get_settings()
    ranges = [tier_range(t, settings) for t in tiers]
    return or_(false(), *[(Creator.followers >= low) & (Creator.followers < (high or 2**62)) for low, high in ranges])


def _candidate_ids(session: Session, workspace_id: int, params: OptimiseIn) -> list[int] | None:
    """Explicit candidates (ids or a shortlist), or None for 'the workspace's creators in the chosen tiers'."""
    if params.creator_ids:
        return sorted(set(params.creator_ids))
    if params.shortlist_id is not None:
        from grassroots.discovery.models import ShortlistEntry
        from grassroots.discovery.repository import require_shortlist

        shortlist = require_shortlist(session, workspace_id, params.shortlist_id)
        entries = select(ShortlistEntry.creator_id).where(ShortlistEntry.shortlist_id == shortlist.id)
        return sorted(set(session.scalars(entries)))
    return None


def _candidate_queries(session: Session, workspace_id: int, campaign: Campaign, params: OptimiseIn) -> list[Any]:
    from grassroots.discovery.models import SearchProfile

    roster = select(Collaboration.creator_id).where(
        Collaboration.campaign_id == campaign.id, Collaboration.stage.not_in(ROSTER_OUT)
    )
    base = (
        select(*CREATOR, SearchProfile.niches)
        .outerjoin(SearchProfile, SearchProfile.creator_id == Creator.id)
        .where(Creator.workspace_id == workspace_id)
    )
    wanted = _candidate_ids(session, workspace_id, params)
    if wanted is None:
        return [base.where(or_(_in_tiers(params.tiers), Creator.id.in_(roster)))]
    return [base.where(Creator.id.in_(roster))] + [base.where(Creator.id.in_(part)) for part in chunks(wanted)]


def candidates_frame(
    session: Session, workspace_id: int, campaign: Campaign, params: OptimiseIn
) -> tuple[pl.DataFrame, int]:
    """The roster plus the candidates (ids, a shortlist, or the workspace's creators in the tiers), with niches;
    and how many were left out for having declined (or paused) this campaign: asking twice is over-asking."""
    aside = select(Collaboration.creator_id).where(
        Collaboration.campaign_id == campaign.id, Collaboration.stage.in_(ROSTER_OUT)
    )
    declined = set(session.scalars(aside))
    seen: dict[int, list[Any]] = {}
    for query in _candidate_queries(session, workspace_id, campaign, params):
        for row in session.execute(query):
            seen[row[0]] = [*_creator(row), row[7][0] if row[7] else None]
    removed = len(declined & set(seen))
    for creator_id in declined:
        seen.pop(creator_id, None)
    frame = pl.DataFrame(list(seen.values()), schema=CREATOR_COLUMNS | {"niche": pl.String}, orient="row")
    frame = with_tiers(frame)
    if params.min_fit > 0 and not frame.is_empty():
        # Brand fit lives in discovery's catalog (the brand profile against each creator's content vector).
        from grassroots.discovery.catalog import catalog_for

        fit = catalog_for(session, workspace_id).frame.select(pl.col("id").alias("creator_id"), pl.col("fit") / 100)
        frame = frame.join(fit, on="creator_id", how="left")
    return with_suggested_fee(frame, campaign.currency).sort("creator_id"), removed
