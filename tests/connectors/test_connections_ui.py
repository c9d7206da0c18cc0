"""Connect and sync as people do it: the CLI (connect → sync → connections) and the Connections page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from grassroots.cli import app
from grassroots.config import Settings
from grassroots.connectors import service
from grassroots.creators.models import Post
from grassroots.db.session import session_scope
from tests.connectors.graph_server import OWN_ID, TOKEN, GraphServer
from tests.support import api_headers, csrf_from, workspace_id

runner = CliRunner()


@pytest.fixture
def graph() -> Iterator[GraphServer]:
    with GraphServer() as server:
        server.standard()
        yield server


def test_cli_connect_sync_and_list(cli_home: Path, graph: GraphServer) -> None:
    args = [
        "connect",
        "instagram",
        "--workspace",
        "Glow",
        "-c",
        f"ig_user_id={OWN_ID}",
        "-c",
        f"base_url={graph.base_url}",
    ]
    args += ["-c", "page_size=2", "-c", "hashtags=sensitiveskin", "--handle", "ana.glow", "--handle", "friend.private"]
    connected = runner.invoke(app, args, input=f"{TOKEN}\n\n")
    assert connected.exit_code == 0, connected.output
    assert "Connected instagram" in connected.output and TOKEN not in connected.output
    synced = runner.invoke(app, ["sync", "--workspace", "Glow"])
    assert synced.exit_code == 0, synced.output
    assert "instagram" in synced.output and "ok" in synced.output and "17" in synced.output
    assert "@friend.private: not a Business or Creator account" in synced.output
    again = runner.invoke(app, ["sync", "--workspace", "Glow", "--provider", "instagram"])
    assert again.exit_code == 0 and TOKEN not in again.output
    listed = runner.invoke(app, ["connections", "--workspace", "Glow"])
    assert listed.exit_code == 0 and "ig_user_id=" in listed.output and "ok: 0 new" in listed.output
    assert TOKEN not in listed.output
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 11


def test_cli_reports_unknown_provider_and_missing_connections(cli_home: Path) -> None:
    unknown = runner.invoke(app, ["connect", "myspace"])
    assert unknown.exit_code == 1 and "unknown provider 'myspace'" in unknown.output and "instagram" in unknown.output
    nothing = runner.invoke(app, ["sync", "--workspace", "Empty"])
    assert nothing.exit_code == 1 and "no connections" in nothing.output


def test_connections_page_sync_button(
    owner_client: TestClient, engine: Engine, graph: GraphServer, settings: Settings
) -> None:
    empty = owner_client.get("/connections")
    assert empty.status_code == 200 and "No connections yet" in empty.text
    assert 'href="/connections"' in empty.text  # the nav link
    with session_scope(engine) as session:
        config = {"ig_user_id": OWN_ID, "base_url": graph.base_url, "handles": "ana.glow", "page_size": "2"}
        connection = service.connect(
            session, workspace_id(engine), "instagram", {"access_token": TOKEN}, config, settings=settings
        )
        connection_id = connection.id
    page = owner_client.get("/connections")
    assert "instagram" in page.text and "never" in page.text and TOKEN not in page.text
    no_csrf = owner_client.post(f"/connections/{connection_id}/sync")
    assert no_csrf.status_code == 403
    clicked = owner_client.post(f"/connections/{connection_id}/sync", data={"csrf_token": csrf_from(page.text)})
    assert clicked.status_code == 303
    result = owner_client.get(clicked.headers["location"])
    assert "Sync ok" in result.text and "new <strong>17</strong>" in result.text
    assert "@kai.lifts" in result.text  # natural advocates found through tags
    assert "like counts hidden" in result.text and TOKEN not in result.text
    api = owner_client.post(f"/api/v1/connections/{connection_id}/sync", headers=api_headers(owner_client))
    assert api.status_code == 200 and api.json()["status"] == "ok" and api.json()["new"] == 0
    assert owner_client.get("/api/v1/connections").json()[0]["config"]["ig_user_id"] == OWN_ID
    missing = owner_client.post("/api/v1/connections/999/sync", headers=api_headers(owner_client))
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
