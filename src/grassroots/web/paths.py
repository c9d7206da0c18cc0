"""Path parameters shared by pages and the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# Ids are positive and fit a 64-bit column: anything else is a 422 problem, never a database error (a 500).
Id = Annotated[int, Path(ge=1, le=2**63 - 1, description="a positive id")]
