"""Stored XSS, security headers, server-side request forgery, 500s, CSV injection and file modes.

Each test stands for a finding of the security review (docs/security.md) and fails without its fix.
"""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import httpx
import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from grassroots.config import Settings
from grassroots.connectors import outbound, service
from grassroots.connectors.http import ApiClient
from grassroots.creators.schemas import AccountIn, CreatorIn
from grassroots.creators.service import create_creator
from grassroots.db.session import make_engine, session_scope
from grassroots.errors import InvalidInput
from tests.support import api_headers, workspace_id


def creator_with_account(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        account = AccountIn(platform="instagram", handle="ana", followers=900)
        creator = create_creator(session, workspace_id(engine), CreatorIn(display_name="Ana", accounts=[account]))
        return creator.id, creator.accounts[0].id


def test_javascript_urls_are_refused_and_never_linked(owner_client: TestClient, engine: Engine) -> None:
    creator_id, account_id = creator_with_account(engine)
    post = {"kind": "image", "caption": "hi", "posted_at": "2026-12-01T10:00:00Z"}
    headers = api_headers(owner_client)
    for url in ("javascript:alert(document.cookie)", " JaVaScRiPt:alert(1)", "data:text/html,<script>", "//evil"):
        answer = owner_client.post(f"/api/v1/accounts/{account_id}/posts", json={**post, "url": url}, headers=headers)
        assert answer.status_code == 422, url
    ok = owner_client.post(
        f"/api/v1/accounts/{account_id}/posts", json={**post, "url": "https://instagram.com/p/1"}, headers=headers
    )
    assert ok.status_code == 201
    page = owner_client.get(f"/creators/{creator_id}").text
    assert 'href="https://instagram.com/p/1"' in page and "javascript:" not in page


def test_pages_and_api_answers_carry_security_headers(owner_client: TestClient) -> None:
    for path in ("/creators", "/api/v1/creators", "/login"):
        headers = owner_client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_templates_have_no_inline_scripts() -> None:
    # The CSP allows scripts from this origin only: an inline script would silently stop working.
    templates = Path(__file__).resolve().parents[2] / "src" / "grassroots" / "web" / "templates"
    inline = [p.name for p in templates.rglob("*.html") if "<script>" in p.read_text()]
    assert inline == []


@pytest.mark.parametrize(
    ("provider", "config"),
    [
        ("instagram", {"ig_user_id": "1", "base_url": "http://127.0.0.1:5000"}),
        ("instagram", {"ig_user_id": "1", "base_url": "https://169.254.169.254"}),
        ("instagram", {"ig_user_id": "1", "base_url": "https://attacker.example.com"}),
        ("youtube", {"channels": "UC1", "base_url": "https://10.0.0.7/youtube/v3"}),
        ("woocommerce", {"store_url": "https://192.168.1.10"}),
        ("woocommerce", {"store_url": "https://[::1]"}),
    ],
)
def test_connections_cannot_point_the_server_at_internal_hosts(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, provider: str, config: dict[str, str]
) -> None:
    monkeypatch.setattr(outbound, "get_settings", lambda: Settings(connector_allowed_hosts=[]))
    secrets = {
        "access_token": "t",
        "api_key": "k",
        "consumer_key": "ck",
        "consumer_secret": "cs",
        "webhook_secret": "w",
    }
    with session_scope(engine) as session, pytest.raises(InvalidInput) as refused:
        service.connect(session, workspace_id(engine), provider, secrets, config)
    assert set(refused.value.errors) & {"base_url", "store_url"}


def test_a_redirect_to_an_internal_host_is_not_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbound, "get_settings", lambda: Settings(connector_allowed_hosts=[]))
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:8000/api/v1/creators"})

    client = ApiClient("https://graph.facebook.com/v21.0", transport=httpx.MockTransport(answer), max_retries=0)
    with pytest.raises(outbound.ForbiddenHost):
        client.get_json("me")
    assert seen == ["https://graph.facebook.com/v21.0/me"]


BAD_CURSORS = ([None, 5], [True, 1], {"a": 1}, [1, 2**70], [1e400, 1], ["x", 1], "not json", [5, True])


@pytest.mark.parametrize("value", BAD_CURSORS, ids=str)
def test_malformed_cursors_are_a_clear_4xx(owner_client: TestClient, engine: Engine, value: object) -> None:
    _, account_id = creator_with_account(engine)
    raw = value if isinstance(value, str) else json.dumps(value)
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    for path in ("/api/v1/creators", f"/api/v1/accounts/{account_id}/posts"):
        answer = owner_client.get(path, params={"cursor": cursor})
        assert answer.status_code in (400, 422), (path, value, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_huge_ids_and_numbers_and_duplicates_are_4xx(owner_client: TestClient, engine: Engine) -> None:
    _, account_id = creator_with_account(engine)
    assert owner_client.get(f"/api/v1/creators/{2**63}").status_code == 422
    assert owner_client.get(f"/creators/{2**64}").status_code in (400, 404, 422)
    assert owner_client.get("/api/v1/creators", params={"min_followers": 2**70}).status_code == 422
    post = {"kind": "image", "caption": "hi", "posted_at": "2026-12-01T10:00:00Z", "external_id": "p-1"}
    headers = api_headers(owner_client)
    assert owner_client.post(f"/api/v1/accounts/{account_id}/posts", json=post, headers=headers).status_code == 201
    again = owner_client.post(f"/api/v1/accounts/{account_id}/posts", json=post, headers=headers)
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")


def test_labelled_csv_output_cannot_run_formulas(tmp_path: Path) -> None:
    from grassroots.cli import app

    source = tmp_path / "comments.csv"
    pl.DataFrame({"text": ['=HYPERLINK("http://evil","click")', "+1 love it", "plain"]}).write_csv(source)
    out = tmp_path / "labelled.csv"
    result = CliRunner().invoke(
        app, ["analyze", "comments", "--input", str(source), "--output", str(out), "--mode", "fast"]
    )
    assert result.exit_code == 0, result.output
    cells = pl.read_csv(out)["text"].to_list()
    assert cells == ['\'=HYPERLINK("http://evil","click")', "'+1 love it", "plain"]


def test_the_database_and_data_dir_are_private(tmp_path: Path) -> None:
    data = tmp_path / "var"
    engine = make_engine(f"sqlite:///{data / 'grassroots.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(data) == 0o700
    assert mode(data / "grassroots.db") == 0o600
    assert mode(data / "grassroots.db-wal") == 0o600
    engine.dispose()
    settings = Settings(data_dir=tmp_path / "fresh")
    settings.ensure_secret_key()
    assert mode(tmp_path / "fresh") == 0o700 and mode(tmp_path / "fresh" / "secret_key") == 0o600


def test_bodies_over_the_route_limit_are_refused_before_they_are_read(client: TestClient) -> None:
    big = b"x" * (1024 * 1024 + 1)
    for path in ("/login", "/api/v1/creators"):
        answer = client.post(path, content=big, headers={"Content-Type": "application/json"})
        assert answer.status_code == 413, path
        assert answer.headers["content-type"].startswith("application/problem+json")
    # The orders export may be large: the same body reaches the route (and fails there for want of a token).
    assert client.post("/api/v1/orders/import", content=big).status_code == 401
