"""Settings defaults and validation."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from grassroots.config import Settings


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).ensure_secret_key()
    second = Settings(data_dir=tmp_path).ensure_secret_key()
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    url = Settings(data_dir=tmp_path).resolved_database_url
    assert url.startswith("sqlite:///") and url.endswith(str(tmp_path.resolve() / "grassroots.db"))


def test_tier_bounds_must_increase() -> None:
    with pytest.raises(ValidationError):
        Settings(tier_nano_min=20_000, tier_micro_min=10_000)
