"""The default demo world (seed 7, 2,000 creators), generated once for every demo test that reads it."""

from __future__ import annotations

from datetime import date

import pytest

from grassroots.demo.generator import generate_world
from grassroots.demo.world import World

DEFAULT_TODAY = date(2026, 1, 15)


@pytest.fixture(scope="session")
def default_world() -> World:
    """What ``grassroots demo`` generates, on a fixed day."""
    return generate_world(seed=7, creators=2000, today=DEFAULT_TODAY)
