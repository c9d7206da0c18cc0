"""The live demo server the browser tests drive, and where they keep screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.demo.service import ensure_demo
from grassroots.web.app import create_app
from grassroots.web.server import serving

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def live_demo(sqlite_engine: Engine, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """The app with a small synthetic demo world, served by uvicorn on a free port."""
    with session_scope(sqlite_engine) as session:
        login = ensure_demo(session, tmp_path, creators=150, seed=3, today=date(2026, 11, 20))
    app = create_app(sqlite_engine, Settings(data_dir=tmp_path, secret_key="browser-test"))
    with serving(app) as base:
        yield base, login.email, login.password


def launch(pw: Any) -> Any:
    """Debian's chromium, headless, as the tests drive it."""
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    """Sign in through the login form."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
