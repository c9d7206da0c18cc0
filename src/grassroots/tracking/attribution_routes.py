"""Pages: attribution per creator and campaign by every method, ROI, drill-down to orders and clicks."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
