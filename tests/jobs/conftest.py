"""Jobs tests run the queue themselves: no embedded runner in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from grassroots.config import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings without the embedded runner, so a queued job stays queued until a test runs it."""
    return Settings(data_dir=tmp_path, secret_key="test-secret", jobs_in_server=False)
