"""/api/v1 for connections: list them, sync one, create a discount code in a connected shop."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from grassroots.connectors import service
from grassroots.tracking.models import DiscountKind
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES, tags=["connections"])


@router.get("/connections")
def list_connections(user: ApiUser, db: DB) -> list[dict[str, Any]]:
    """The workspace's connections (never their secrets)."""
    return [view.connection for view in service.overview(db, user.workspace_id)]


@router.post("/connections/{connection_id}/sync")
def sync_connection(request: Request, connection_id: Id, user: ApiWriter, db: DB) -> dict[str, Any]:
    """Sync one connection and return the run's counts and reasons."""
    connection = service.require_connection(db, user.workspace_id, connection_id)
    result = service.sync_connection(db, connection, settings=request.app.state.settings)
    summary = result.summary
    return {
        "run_id": result.run_id,
        "status": result.status.value,
        "fetched": summary.fetched,
        "new": summary.new,
        "updated": summary.updated,
        "skipped": [{"item": s.item, "reason": s.reason} for s in service.summary_skips(result)],
    }


class DiscountIn(BaseModel):
    """A discount code to create in the shop."""

    code: str = Field(min_length=1, max_length=100)
    kind: DiscountKind = DiscountKind.percentage
    value: Decimal = Field(gt=0)
    creator_id: int | None = None


@router.post("/connections/{connection_id}/discount-codes", status_code=201)
def create_code(request: Request, connection_id: Id, body: DiscountIn, user: ApiWriter, db: DB) -> dict[str, Any]:
    """Create a Shopify discount code (price rule + code) and store it as a PromoCode."""
    promo = service.create_shop_discount_code(
        db, user.workspace_id, connection_id, request.app.state.settings,
        code=body.code, kind=body.kind, value=body.value, creator_id=body.creator_id,
    )  # fmt: skip
    return {"id": promo.id, "code": promo.code, "kind": promo.kind.value, "value": str(promo.value),
            "external_id": promo.external_id}  # fmt: skip
