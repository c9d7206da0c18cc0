"""The creator portal's pages under /p/{token}: offer, brief, agreement, address, payout details."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
