"""Pages: connect an account from the portal (OAuth start and callback), revoke."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
