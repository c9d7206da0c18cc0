"""The payments ledger: fees, commissions and gift costs owed and paid, the commission hold, the payout CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from grassroots.campaigns import repository
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign, Collaboration, EntryKind, EntryStatus, LedgerEntry
from grassroots.campaigns.schemas import EntryIn, EntryOut, PaidIn
from grassroots.campaigns.service import require_campaign, require_collaboration
from grassroots.creators.models import Creator
from grassroots.csv_cells import safe_cell
from grassroots.errors import InvalidInput, NotFound
from grassroots.outreach import timeline

STATES = ("payable", "on_hold", "paid")
CSV_COLUMNS = ("entry_id", "campaign", "creator", "handle", "email", "kind", "amount", "currency", "state",
               "earned_on", "payable_on", "due_on", "paid_on", "paid_by", "note")  # fmt: skip


def today() -> date:
    """Today in UTC (the ledger's calendar)."""
    return datetime.now(UTC).date()


def state_of(entry: LedgerEntry, on: date) -> str:
    """paid; on_hold (a commission still inside its hold period: returns happen); or payable."""
    if entry.status is EntryStatus.paid:
        return "paid"
    return "on_hold" if entry.payable_on > on else "payable"


def _checked_dates(data: EntryIn, payable_on: date, now: date) -> None:
    errors: dict[str, str] = {}
    if data.paid_on and data.status is not EntryStatus.paid:
        errors["paid_on"] = "a paid date needs the status paid"
    paid_on = data.paid_on or now
    if data.status is EntryStatus.paid and paid_on > now:
        errors["paid_on"] = "cannot be in the future"
    if data.status is EntryStatus.paid and data.kind is EntryKind.commission and paid_on < payable_on:
        errors["paid_on"] = f"the commission is on hold until {payable_on:%Y-%m-%d} (returns happen)"
    if errors:
        raise InvalidInput("The entry has invalid dates: " + ", ".join(errors), errors)


def add_entry(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int, data: EntryIn, actor: Actor
) -> LedgerEntry:
    """Record an amount owed (or paid already) for a collaboration; a commission waits out the hold period."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    collab = require_collaboration(session, workspace_id, campaign_id, collaboration_id)
    now = today()
    earned = data.earned_on or now
    hold = campaign.commission_hold_days if data.kind is EntryKind.commission else 0
    payable_on = earned + timedelta(days=hold)
    _checked_dates(data, payable_on, now)
    paid = data.status is EntryStatus.paid
    entry = LedgerEntry(
        workspace_id=workspace_id,
        collaboration_id=collab.id,
        kind=data.kind,
        amount=data.amount,
        currency=data.currency or campaign.currency,
        status=data.status,
        earned_on=earned,
        payable_on=payable_on,
        due_on=data.due_on,
        paid_on=(data.paid_on or now) if paid else None,
        paid_by=actor.name if paid else None,
        note=data.note or None,
        created_by=actor.name,
    )
    session.add(entry)
    session.flush()
    if entry.kind is not EntryKind.gift:  # a gift's cost: gifting records "gift ordered" itself
        _touchpoint(session, collab, entry, "Recorded" if not paid else "Paid", actor)
    return entry


def _touchpoint(session: Session, collab: Collaboration, entry: LedgerEntry, verb: str, actor: Actor) -> None:
    """The payment on the creator's timeline."""
    summary = f"Payment: {verb.lower()} {entry.kind.value} of {entry.amount:,.2f} {entry.currency}"
    timeline.record(session, workspace_id=entry.workspace_id, creator_id=collab.creator_id, kind="payment",
                    summary=summary + ("" if verb == "Paid" else f" (owed, payable {entry.payable_on:%Y-%m-%d})"),
                    actor=actor.name, collaboration_id=collab.id, detail=entry.note,
                    url=f"/campaigns/{collab.campaign_id}/payments", ref=("ledger_entry", entry.id))  # fmt: skip


def mark_paid(
    session: Session, workspace_id: int, campaign_id: int, entry_id: int, data: PaidIn, actor: Actor
) -> LedgerEntry:
    """Record that an owed amount was paid; a commission on hold cannot be paid yet."""
    require_campaign(session, workspace_id, campaign_id)
    entry = session.get(LedgerEntry, entry_id)
    collab = session.get(Collaboration, entry.collaboration_id) if entry else None
    if entry is None or collab is None or entry.workspace_id != workspace_id or collab.campaign_id != campaign_id:
        raise NotFound(f"ledger entry {entry_id} not found in campaign {campaign_id}")
    now = today()
    paid_on = data.paid_on or now
    if entry.status is EntryStatus.paid:
        raise InvalidInput(f"This entry was paid on {entry.paid_on:%Y-%m-%d} already.", {"paid_on": "paid already"})
    if paid_on > now:
        raise InvalidInput("A payment date cannot be in the future.", {"paid_on": "cannot be in the future"})
    if entry.kind is EntryKind.commission and paid_on < entry.payable_on:
        message = f"on hold until {entry.payable_on:%Y-%m-%d} (returns happen)"
        raise InvalidInput(f"This commission is {message}.", {"paid_on": message})
    entry.status, entry.paid_on, entry.paid_by = EntryStatus.paid, paid_on, actor.name
    session.flush()
    if entry.kind is not EntryKind.gift:
        _touchpoint(session, collab, entry, "Paid", actor)
    return entry


def _out(entry: LedgerEntry, collab: Collaboration, creator: Creator, on: date) -> EntryOut:
    return EntryOut(
        id=entry.id, collaboration_id=collab.id, creator_id=creator.id, display_name=creator.display_name,
        kind=entry.kind, amount=entry.amount, currency=entry.currency, status=entry.status,
        state=state_of(entry, on), earned_on=entry.earned_on, payable_on=entry.payable_on, due_on=entry.due_on,
        paid_on=entry.paid_on, paid_by=entry.paid_by, note=entry.note, created_by=entry.created_by,
    )  # fmt: skip


def entry_out(session: Session, entry: LedgerEntry) -> EntryOut:
    """One entry as the API shows it."""
    collab = session.get(Collaboration, entry.collaboration_id)
    creator = session.get(Creator, collab.creator_id) if collab else None
    assert collab is not None and creator is not None
    return _out(entry, collab, creator, today())


def ledger(
    session: Session, workspace_id: int, campaign_id: int, *, collaboration_id: int | None = None, state: str = ""
) -> list[EntryOut]:
    """The campaign's (or one collaboration's) ledger entries, by payable date; optionally only one state."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    on = today()
    entries = [_out(e, k, c, on) for e, k, c in repository.ledger_rows(session, campaign.id, collaboration_id)]
    return [e for e in entries if e.state == state] if state in STATES else entries


@dataclass
class Totals:
    """Sums of one currency by state."""

    currency: str
    amounts: dict[str, Decimal] = field(default_factory=lambda: {s: Decimal(0) for s in STATES})


def totals(entries: list[EntryOut]) -> list[Totals]:
    """Per currency: payable now, on hold and paid."""
    by_currency: dict[str, Totals] = defaultdict(lambda: Totals(""))
    for entry in entries:
        row = by_currency[entry.currency]
        row.currency = entry.currency
        row.amounts[entry.state] += entry.amount
    return [by_currency[c] for c in sorted(by_currency)]


def payouts_csv(session: Session, workspace_id: int, campaign_id: int, state: str = "") -> str:
    """The ledger as CSV for the accounting tool; text cells are safe from spreadsheet formulas."""
    campaign: Campaign = require_campaign(session, workspace_id, campaign_id)
    on = today()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry, _collab, creator in repository.ledger_rows(session, campaign.id):
        row_state = state_of(entry, on)
        if state in STATES and row_state != state:
            continue
        values = (
            entry.id, campaign.name, creator.display_name, creator.primary_handle, creator.email or "",
            entry.kind.value, f"{entry.amount:.2f}", entry.currency, row_state, entry.earned_on.isoformat(),
            entry.payable_on.isoformat(), entry.due_on.isoformat() if entry.due_on else "",
            entry.paid_on.isoformat() if entry.paid_on else "", entry.paid_by or "", entry.note or "",
        )  # fmt: skip
        writer.writerow(safe_cell(v) for v in values)
    return out.getvalue()
