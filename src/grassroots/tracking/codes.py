"""Promo codes per creator and campaign: readable, collision-free codes (``MAYA15``), issued for one collaboration
or a whole roster, created in the store by a job when a Shopify connection exists, else exported as CSV."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.config import get_settings
from grassroots.connectors.models import Connection, ConnectionStatus
from grassroots.creators.models import Creator, SocialAccount
from grassroots.csv_cells import safe_cell
from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput, NotFound
from grassroots.jobs import queue
from grassroots.outreach import timeline
from grassroots.tracking.models import CommerceSource, DiscountKind, Order, PromoCode, StoreStatus
from grassroots.tracking.records import normalise_code
from grassroots.tracking.referral_checks import LEAK_WINDOW

CREATE_JOB = "tracking.create_store_code"
# Letters, digits, - and _ only (what every store accepts and no spreadsheet or URL mistakes), 3-32 long.
SAFE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,31}$")
STEM_LENGTH = 10
MAX_VALUE = {DiscountKind.percentage: Decimal(100), DiscountKind.fixed_amount: Decimal(10_000)}


def checked_code(raw: str) -> str:
    """A code someone typed, normalised (trimmed, uppercased), or InvalidInput saying what is wrong."""
    code = normalise_code(raw)
    if not SAFE_CODE.match(code):
        raise InvalidInput(
            "a code has 3 to 32 letters, digits, - or _, and starts with a letter or digit",
            {"code": "use only A-Z, 0-9, - and _"},
        )
    return code


def checked_discount(kind: str, value: str | Decimal) -> tuple[DiscountKind, Decimal]:
    """A discount kind and value from a form or the API, or InvalidInput."""
    try:
        parsed_kind = DiscountKind(kind)
        amount = Decimal(str(value).strip())
    except (ValueError, ArithmeticError):
        raise InvalidInput("give a kind (percentage or fixed_amount) and a number", {"value": "a number"}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_VALUE[parsed_kind]:
        limit = MAX_VALUE[parsed_kind]
        raise InvalidInput(f"the discount must be above 0 and at most {limit}", {"value": f"between 0 and {limit}"})
    return parsed_kind, amount.quantize(Decimal("0.01"))


def stem(*names: str | None) -> str:
    """The readable start of a code: the first name (or handle) in capitals, accents dropped: "Maya Ortiz" -> MAYA."""
    for name in names:
        ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
        for word in re.split(r"[\s._-]+", ascii_name):
            cleaned = re.sub(r"[^A-Za-z0-9]", "", word).upper()[:STEM_LENGTH]
            if len(cleaned) >= 2:
                return cleaned
    return "CODE"


def value_label(value: Decimal) -> str:
    """The discount as it reads in a code: 15 for 15 %, 7.5 gives 75."""
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize()).replace(".", "")


def candidates(start: str, label: str) -> Iterator[str]:
    """MAYA15, then MAYA152, MAYA153 …: on a collision a digit is added."""
    yield f"{start}{label}"[:32]
    n = 2
    while True:
        yield f"{start}{label}{n}"[:32]
        n += 1


def next_free(session: Session, workspace_id: int, start: str, label: str, also_taken: set[str] | None = None) -> str:
    """The first candidate no code of the workspace (issued, imported or reported by the store) already uses."""
    taken = set(
        session.scalars(
            select(PromoCode.code).where(PromoCode.workspace_id == workspace_id, PromoCode.code.like(f"{start}%"))
        )
    ) | (also_taken or set())
    return next(c for c in candidates(start, label) if c not in taken)


def shopify_connection(session: Session, workspace_id: int) -> Connection | None:
    """The workspace's active Shopify connection, if any (codes are created in that store)."""
    return session.scalars(
        select(Connection).where(
            Connection.workspace_id == workspace_id,
            Connection.provider == "shopify",
            Connection.status == ConnectionStatus.active.value,
        )
    ).first()


def new_code(
    session: Session, workspace_id: int, code: str, kind: DiscountKind, value: Decimal, **links: int | None
) -> PromoCode:
    """A PromoCode issued here: queued for creation in the store when one is connected, else marked for export."""
    in_store = shopify_connection(session, workspace_id) is not None
    promo = PromoCode(
        workspace_id=workspace_id, code=code, kind=kind, value=value, usage_count=0,
        source=CommerceSource.shopify if in_store else CommerceSource.csv,
        store_status=StoreStatus.pending if in_store else StoreStatus.export, **links,
    )  # fmt: skip
    session.add(promo)
    session.flush()
    if in_store:
        queue.enqueue(session, CREATE_JOB, {"promo_code_id": promo.id}, workspace_id=workspace_id,
                      key=f"{CREATE_JOB}:{promo.id}")  # fmt: skip
    return promo


def _collaborations(session: Session, workspace_id: int, ids: list[int]) -> list[Collaboration]:
    found = list(
        session.scalars(
            select(Collaboration).where(Collaboration.workspace_id == workspace_id, Collaboration.id.in_(ids))
        )
    )
    if len(found) != len(set(ids)):
        raise NotFound("collaboration not found")
    return found


def _names(session: Session, workspace_id: int, creator_id: int) -> tuple[str | None, ...]:
    creator = session.get(Creator, creator_id)
    handle = session.scalars(
        select(SocialAccount.handle).where(
            SocialAccount.workspace_id == workspace_id, SocialAccount.creator_id == creator_id
        )
    ).first()
    return (creator.display_name if creator else None, handle)


def issue(
    session: Session, workspace_id: int, collaboration_ids: list[int], kind: DiscountKind, value: Decimal,
    actor: str, code: str | None = None,
) -> list[PromoCode]:  # fmt: skip
    """One code per collaboration (a collaboration that already has one keeps it); each is a touchpoint."""
    wanted = checked_code(code) if code else None
    if wanted and len(set(collaboration_ids)) != 1:
        raise InvalidInput("your own code is for one collaboration; a roster gets codes made from names")
    issued: list[PromoCode] = []
    for collab in sorted(_collaborations(session, workspace_id, collaboration_ids), key=lambda c: c.id):
        existing = session.scalars(
            select(PromoCode).where(PromoCode.workspace_id == workspace_id, PromoCode.collaboration_id == collab.id)
        ).first()
        if existing is not None:
            issued.append(existing)
            continue
        if wanted and next_free(session, workspace_id, wanted, "") != wanted:
            raise InvalidInput(f"{wanted} is already a code of this workspace", {"code": "already taken"})
        chosen = wanted or next_free(session, workspace_id, stem(*_names(session, workspace_id, collab.creator_id)),
                                     value_label(value))  # fmt: skip
        promo = new_code(session, workspace_id, chosen, kind, value, creator_id=collab.creator_id,
                         collaboration_id=collab.id, campaign_id=collab.campaign_id)  # fmt: skip
        timeline.record(
            session, workspace_id=workspace_id, creator_id=collab.creator_id, kind="code_issued",
            summary=f"Promo code {chosen} issued ({describe(kind, value)})", actor=actor,
            collaboration_id=collab.id, ref=("promo_code", promo.id),
        )  # fmt: skip
        issued.append(promo)
    return issued


def issue_for_campaign(
    session: Session, workspace_id: int, campaign_id: int, kind: DiscountKind, value: Decimal, actor: str
) -> list[PromoCode]:
    """A code for every collaboration of a campaign's roster, in one go."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.workspace_id != workspace_id:
        raise NotFound("campaign not found")
    ids = list(
        session.scalars(
            select(Collaboration.id).where(
                Collaboration.workspace_id == workspace_id, Collaboration.campaign_id == campaign_id
            )
        )
    )
    return issue(session, workspace_id, ids, kind, value, actor) if ids else []


def describe(kind: DiscountKind, value: Decimal) -> str:
    """How a person reads the discount: "15% off" or "10.00 off"."""
    return f"{value_label(value)}% off" if kind == DiscountKind.percentage else f"{value} off"


def assign(session: Session, workspace_id: int, code_id: int, creator_id: int | None, actor: str) -> PromoCode:
    """Give an existing (say, imported) code to a creator, or take it back with None; a touchpoint either way."""
    promo = session.get(PromoCode, code_id)
    if promo is None or promo.workspace_id != workspace_id:
        raise NotFound("promo code not found")
    if creator_id is not None:
        creator = session.get(Creator, creator_id)
        if creator is None or creator.workspace_id != workspace_id:
            raise NotFound("creator not found")
        timeline.record(session, workspace_id=workspace_id, creator_id=creator_id, kind="code_assigned",
                        summary=f"Promo code {promo.code} assigned", actor=actor, ref=("promo_code", promo.id))  # fmt: skip
    promo.creator_id = creator_id
    session.flush()
    return promo


@dataclass(frozen=True)
class CodeRow:
    """A code with what it brought: orders that used it and their revenue now (after refunds); ``leak`` explains
    why the code may be posted on a coupon site."""

    code: PromoCode
    creator: str | None
    campaign: str | None
    orders: int
    revenue: Decimal
    leak: str | None = None


def leak_warnings(session: Session, workspace_id: int, now: datetime | None = None) -> dict[int, str]:
    """Codes of creators used in the last 7 days by at least ``referral_leak_threshold`` new customers who came
    through no tracked link (no click id, no code in the landing page): probably leaked to a coupon site."""
    since = (now or utcnow()) - LEAK_WINDOW
    first_order = (
        select(Order.customer_id, func.min(Order.created_at).label("first"))
        .where(Order.workspace_id == workspace_id, Order.customer_id.is_not(None))
        .group_by(Order.customer_id)
        .subquery()
    )
    rows = session.execute(
        select(PromoCode.id, PromoCode.code, Order.landing_site, Order.created_at, first_order.c.first)
        .join(Order, Order.promo_code_id == PromoCode.id)
        .outerjoin(first_order, first_order.c.customer_id == Order.customer_id)
        .where(PromoCode.workspace_id == workspace_id, PromoCode.creator_id.is_not(None), Order.created_at >= since)
    ).all()
    cold: Counter[int] = Counter()
    names: dict[int, str] = {}
    for code_id, code, landing, at, first in rows:
        landing = (landing or "").lower()
        if (first is None or first >= at) and code.lower() not in landing and "gr_click=" not in landing:
            cold[code_id] += 1
            names[code_id] = code
    threshold = get_settings().referral_leak_threshold
    return {
        code_id: f"{n} new customers used {names[code_id]} in the last 7 days without a tracked link: "
        "it may be posted on a coupon site"
        for code_id, n in cold.items()
        if n >= threshold
    }


def code_rows(session: Session, workspace_id: int, campaign_id: int | None = None) -> list[CodeRow]:
    """Every code of the workspace (or of one campaign) with its usage and revenue."""
    usage = (
        select(Order.promo_code_id, func.count(Order.id).label("n"), func.coalesce(func.sum(Order.total), 0).label("r"))
        .where(Order.workspace_id == workspace_id, Order.promo_code_id.is_not(None))
        .group_by(Order.promo_code_id)
        .subquery()
    )
    query = (
        select(PromoCode, Creator.display_name, Campaign.name, usage.c.n, usage.c.r)
        .outerjoin(Creator, Creator.id == PromoCode.creator_id)
        .outerjoin(Campaign, Campaign.id == PromoCode.campaign_id)
        .outerjoin(usage, usage.c.promo_code_id == PromoCode.id)
        .where(PromoCode.workspace_id == workspace_id)
        .order_by(PromoCode.code)
    )
    if campaign_id is not None:
        query = query.where(PromoCode.campaign_id == campaign_id)
    leaks = leak_warnings(session, workspace_id)
    return [
        CodeRow(
            code, creator, campaign, int(n or 0), Decimal(str(r or 0)).quantize(Decimal("0.01")), leaks.get(code.id)
        )
        for code, creator, campaign, n, r in session.execute(query).all()
    ]


def export_csv(session: Session, workspace_id: int, campaign_id: int | None = None) -> str:
    """The codes to create in a store by hand (or to hand out): formula-safe cells."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "kind", "value", "creator", "campaign", "store_status"])
    for row in code_rows(session, workspace_id, campaign_id):
        status = row.code.store_status.value if row.code.store_status else "from the store"
        cells = [row.code.code, row.code.kind.value, str(row.code.value), row.creator or "", row.campaign or "", status]
        writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue()
