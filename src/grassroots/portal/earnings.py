"""The creator's earnings page: their codes, the orders made with them, and what the brand owes and paid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.agreements.service import creator_codes
from grassroots.campaigns.models import EntryStatus, LedgerEntry
from grassroots.tracking.models import Order


@dataclass
class CodeLine:
    """One code: orders made with it and their value (per currency: shops may sell in several)."""

    code: str
    orders: int = 0
    revenue: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Earnings:
    """The page's figures."""

    codes: list[CodeLine]
    orders: int
    revenue: dict[str, Decimal]
    entries: list[LedgerEntry]
    owed: dict[str, Decimal]
    paid: dict[str, Decimal]


def earnings(session: Session, workspace_id: int, creator_id: int, collaboration_id: int) -> Earnings:
    """Codes and sales (all of the creator's codes), and this collaboration's ledger entries."""
    codes = creator_codes(session, workspace_id, creator_id)
    lines = {c.id: CodeLine(c.code) for c in codes}
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    if lines:
        query = (
            select(Order.promo_code_id, Order.currency, func.count(Order.id), func.coalesce(func.sum(Order.total), 0))
            .where(Order.workspace_id == workspace_id, Order.promo_code_id.in_(list(lines)))
            .group_by(Order.promo_code_id, Order.currency)
        )
        for code_id, currency, count, total in session.execute(query):
            line = lines.get(code_id or 0)
            if line is None:
                continue
            line.orders += int(count)
            line.revenue[currency] = line.revenue.get(currency, Decimal(0)) + Decimal(total)
            revenue[currency] += Decimal(total)
    entries = list(
        session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.workspace_id == workspace_id, LedgerEntry.collaboration_id == collaboration_id)
            .order_by(LedgerEntry.earned_on.desc(), LedgerEntry.id.desc())
        )
    )
    owed: dict[str, Decimal] = defaultdict(Decimal)
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        (paid if entry.status is EntryStatus.paid else owed)[entry.currency] += entry.amount
    orders = sum(line.orders for line in lines.values())
    return Earnings(list(lines.values()), orders, dict(revenue), entries, dict(owed), dict(paid))
