"""/api/v1 for drafts, approvals and the UGC library."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["approvals"])
