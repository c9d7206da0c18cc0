"""Pages: drafts, the review-and-send queue, follow-ups, replies."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
