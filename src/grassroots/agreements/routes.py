"""Pages: write a collaboration's brief and agreement, see versions and signatures."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
