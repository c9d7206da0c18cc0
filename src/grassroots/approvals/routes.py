"""Pages: the approvals queue, one draft, the UGC library."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
