"""/api/v1 for drafts and messages."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["outreach"])
