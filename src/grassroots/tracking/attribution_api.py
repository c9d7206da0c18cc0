"""/api/v1 for attribution: orders per creator by every method, with drill-down."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["tracking"])
