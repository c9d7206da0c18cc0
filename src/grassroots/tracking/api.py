"""/api/v1 for orders (the Shopify orders CSV import), promo codes (list, issue, assign) and referrals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel, Field

from grassroots.tracking import pages, service
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES, tags=["orders"])


@router.post("/orders/import")
def import_orders(user: ApiWriter, db: DB, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """Import Shopify's "Export orders" CSV; bad rows are listed by line and their orders skipped."""
    result = service.import_orders_csv(db, user.workspace_id, file.file)
    return {
        "rows": result.rows,
        "new": result.new,
        "updated": result.updated,
        "skipped_orders": result.skipped_orders,
        "error_count": result.error_count,
        "errors": [{"line": e.line, "message": e.reason} for e in result.errors],
    }


class IssueIn(BaseModel):
    """Issue codes for a campaign's roster or chosen collaborations."""

    kind: str = "percentage"
    value: str
    campaign_id: int | None = None
    collaboration_ids: list[int] | None = None
    code: str | None = Field(default=None, description="your own code (one collaboration only)")


class AssignIn(BaseModel):
    """The creator to give a code to (null takes it back)."""

    creator_id: int | None


class ProgramIn(BaseModel):
    """The referral programme's rules."""

    referrer_reward_kind: str = "fixed_amount"
    referrer_reward_value: str
    friend_discount_kind: str = "percentage"
    friend_discount_value: str
    hold_days: int = 30
    active: bool = True


class InviteIn(BaseModel):
    """The customer to invite, by id or email."""

    customer_id: int | None = None
    email: str | None = None


def _code(row: pages.CodeRow) -> dict[str, Any]:
    c = row.code
    return {
        "id": c.id, "code": c.code, "kind": c.kind.value, "value": str(c.value), "creator_id": c.creator_id,
        "creator": row.creator, "collaboration_id": c.collaboration_id, "campaign_id": c.campaign_id,
        "campaign": row.campaign, "store_status": c.store_status.value if c.store_status else None,
        "store_error": c.store_error, "orders": row.orders, "revenue": str(row.revenue),
    }  # fmt: skip


@router.get("/codes", tags=["codes"])
def list_codes(user: ApiUser, db: DB, campaign_id: int | None = None) -> list[dict[str, Any]]:
    """Every promo code with its creator, campaign, store status, orders and revenue."""
    return [_code(r) for r in pages.codes.code_rows(db, user.workspace_id, campaign_id)]


@router.post("/codes", status_code=201, tags=["codes"])
def issue_codes(body: IssueIn, user: ApiWriter, db: DB) -> list[dict[str, Any]]:
    """Issue codes (MAYA15 style, collision-free) for a campaign's roster or chosen collaborations."""
    issued = pages.issue_codes(
        db, user.workspace_id, kind=body.kind, value=body.value, actor=user.email, campaign_id=body.campaign_id,
        collaboration_ids=body.collaboration_ids, code=body.code,
    )  # fmt: skip
    wanted = {p.id for p in issued}
    return [_code(r) for r in pages.codes.code_rows(db, user.workspace_id) if r.code.id in wanted]


@router.post("/codes/{code_id}/assign", tags=["codes"])
def assign_code(code_id: int, body: AssignIn, user: ApiWriter, db: DB) -> dict[str, Any]:
    """Give a code to a creator of this workspace (or take it back)."""
    promo = pages.codes.assign(db, user.workspace_id, code_id, body.creator_id, user.email)
    return {"id": promo.id, "code": promo.code, "creator_id": promo.creator_id}


def _program(found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "active": found.active, "referrer_reward_kind": found.referrer_reward_kind.value,
        "referrer_reward_value": str(found.referrer_reward_value), "friend_discount_kind": found.friend_discount_kind.value,
        "friend_discount_value": str(found.friend_discount_value), "hold_days": found.hold_days,
    }  # fmt: skip


@router.get("/referrals/program", tags=["referrals"])
def get_program(user: ApiUser, db: DB) -> dict[str, Any] | None:
    """The referral programme's rules (null when not set up)."""
    return _program(pages.referrals.program(db, user.workspace_id))


@router.put("/referrals/program", tags=["referrals"])
def put_program(body: ProgramIn, user: ApiWriter, db: DB) -> dict[str, Any] | None:
    """Set the referral programme's rules."""
    fields = {k: [str(v).lower() if isinstance(v, bool) else str(v)] for k, v in body.model_dump().items()}
    fields["active"] = ["yes" if body.active else "no"]
    return _program(pages.referrals.save_program(db, user.workspace_id, pages.rules_from(fields)))


@router.post("/referrals/invites", status_code=201, tags=["referrals"])
def invite(body: InviteIn, user: ApiWriter, db: DB) -> dict[str, Any]:
    """Invite a customer of this workspace: they get a personal code carrying the friend discount."""
    made = (
        pages.referrals.invite(db, user.workspace_id, body.customer_id, user.email)
        if body.customer_id is not None
        else pages.invite_by_email(db, user.workspace_id, body.email or "", user.email)
    )
    return {"id": made.id, "customer_id": made.customer_id, "code": pages.code_of(db, made)}


@router.get("/referrals", tags=["referrals"])
def list_referrals(user: ApiUser, db: DB) -> list[dict[str, Any]]:
    """Every referral with its order, referrer, reward, status and fraud flags (with reasons)."""
    return [_referral(r) for r in pages.referral_rows(db, user.workspace_id)]


def _referral(r: pages.ReferralRow) -> dict[str, Any]:
    return {
        "id": r.referral.id,
        "order": r.order.number,
        "order_total": str(r.order.total),
        "referrer_id": r.referrer.id,
        "code": r.code,
        "reward": str(r.referral.reward),
        "currency": r.referral.currency,
        "status": r.referral.status.value,
        "status_reason": r.referral.status_reason,
        "hold_until": r.referral.hold_until.isoformat(),
        "flags": r.referral.flags,
    }
