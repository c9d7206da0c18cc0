"""Test helpers: users, sign-in and CSRF tokens (imported by tests; no side effects)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.db.session import session_scope
from grassroots.workspaces import service as workspaces
from grassroots.workspaces.models import Role, User

FIXTURES = Path(__file__).resolve().parent / "fixtures"  # recorded shapes of vendor APIs
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared/data beside the checkout
PASSWORD = "correct horse battery"


def make_user(engine: Engine, email: str = "owner@brand.test", role: Role = Role.owner, ws: str = "Brand") -> User:
    """A user with the test password in workspace ``ws``."""
    with session_scope(engine) as session:
        workspace = workspaces.get_or_create_workspace(session, ws)
        user = workspaces.create_user(session, workspace, email, PASSWORD, role)
        session.expunge(user)
    return user


def workspace_id(engine: Engine, name: str = "Brand") -> int:
    """The id of a workspace by name."""
    with session_scope(engine) as session:
        return workspaces.get_or_create_workspace(session, name).id


def csrf_from(html: str) -> str:
    """The CSRF token embedded in a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def api_headers(client: TestClient) -> dict[str, str]:
    """What a signed-in browser adds to an /api/v1 write: the session's CSRF token (read from a page)."""
    return {"X-CSRF-Token": csrf_from(client.get("/settings/tokens").text)}


def login(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form."""
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.text
