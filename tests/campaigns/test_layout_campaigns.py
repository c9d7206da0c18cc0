"""The campaign page modules beyond routes.py and api.py stay as thin as the layout test wants those two."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import test_layout

CAMPAIGNS = test_layout.SRC / "campaigns"
ROUTE_MODULES = sorted(CAMPAIGNS.glob("*_routes.py")) + sorted(CAMPAIGNS.glob("*_api.py"))


def test_there_are_extra_route_modules_to_check() -> None:
    assert {p.name for p in ROUTE_MODULES} >= {"pipeline_routes.py", "payment_routes.py", "pipeline_api.py"}


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=lambda p: p.name)
def test_campaign_route_modules_parse_call_a_service_and_render(path: Path) -> None:
    test_layout.test_routes_parse_call_a_service_and_render(path)
