"""/api/v1 for orders: the Shopify orders CSV import (discount codes are created through a connection)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from grassroots.tracking import service
from grassroots.web.deps import DB, ApiWriter
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
