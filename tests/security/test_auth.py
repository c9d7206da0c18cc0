"""Security review findings on sign-in, sessions, CSRF for the API, cookies and tokens: each test fails without its fix."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from typer.testing import CliRunner

from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import get_engine, session_scope
from grassroots.errors import InvalidInput
from grassroots.web.app import create_app
from grassroots.workspaces import service as workspaces
from grassroots.workspaces.models import Role
from tests.support import PASSWORD, api_headers, csrf_from, login, make_user

OWNER = "owner@brand.test"
COOKIE = "grassroots_session"
PROBLEM = "application/problem+json"


def _post_login(client: TestClient, email: str, password: str) -> Any:  # the test client's response
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def _second_client(client: TestClient) -> TestClient:
    """Another browser on the same app."""
    return TestClient(client.app, follow_redirects=False)


# Finding 6: logout, a password change and "Sign out everywhere" end the session, not only this browser's cookie.


def test_logout_ends_a_replayed_cookie(owner_client: TestClient) -> None:
    page = owner_client.get("/creators")
    assert page.status_code == 200
    copied = owner_client.cookies.get(COOKIE)
    assert copied
    owner_client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    replay = _second_client(owner_client)
    replay.cookies.set(COOKIE, copied)
    response = replay.get("/creators")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    api = replay.get("/api/v1/creators")
    assert api.status_code == 401


def test_sign_out_everywhere_and_password_change_end_other_sessions(owner_client: TestClient) -> None:
    other = _second_client(owner_client)
    login(other, OWNER)
    assert other.get("/creators").status_code == 200
    page = owner_client.get("/settings/tokens")
    assert "Sign out everywhere" in page.text
    assert owner_client.post("/settings/sessions/end").status_code == 403  # CSRF-protected
    ended = owner_client.post("/settings/sessions/end", data={"csrf_token": csrf_from(page.text)})
    assert ended.status_code == 303 and ended.headers["location"] == "/login"
    assert owner_client.get("/creators").status_code == 303
    assert other.get("/creators").status_code == 303

    login(owner_client, OWNER)
    login(other, OWNER)
    token = csrf_from(owner_client.get("/settings/tokens").text)
    new = "a brand new pass phrase"
    wrong = owner_client.post(
        "/settings/password", data={"csrf_token": token, "current": "nope", "new": new, "confirm": new}
    )
    assert wrong.status_code == 400 and "Current password is wrong" in wrong.text
    weak = "password1234"
    refused = owner_client.post(
        "/settings/password", data={"csrf_token": token, "current": PASSWORD, "new": weak, "confirm": weak}
    )
    assert refused.status_code == 400 and "New password is one of the most common" in refused.text
    differ = owner_client.post(
        "/settings/password", data={"csrf_token": token, "current": PASSWORD, "new": new, "confirm": new + "x"}
    )
    assert differ.status_code == 400 and "The two new passwords differ" in differ.text
    assert other.get("/creators").status_code == 200
    changed = owner_client.post(
        "/settings/password", data={"csrf_token": token, "current": PASSWORD, "new": new, "confirm": new}
    )
    assert changed.status_code == 303
    assert owner_client.get("/creators").status_code == 200  # this browser stays signed in
    assert other.get("/creators").status_code == 303  # every other session ended
    assert _post_login(_second_client(owner_client), OWNER, PASSWORD).status_code == 400
    login(_second_client(owner_client), OWNER, new)


# Finding 7: failed sign-ins are throttled per account and per address; weak passwords are refused.


def test_failed_logins_are_throttled_per_account(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    for _ in range(5):
        assert _post_login(client, OWNER, "wrong password!").status_code == 400
    blocked = _post_login(client, OWNER, PASSWORD)  # even the right password, while blocked
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60
    assert "Too many failed sign-ins for this account" in blocked.text
    assert client.get("/creators").status_code == 303

    # The counters are rows in the database (shared by processes, kept over restarts); the window passes.
    from grassroots.workspaces.models import LoginAttempt

    with session_scope(engine) as session:
        kinds = dict(session.execute(select(LoginAttempt.kind, func.count()).group_by(LoginAttempt.kind)).all())
        assert kinds == {"account": 5, "ip": 5}
        session.execute(update(LoginAttempt).values(attempted_at=utcnow() - timedelta(minutes=16)))
    assert _post_login(client, OWNER, "wrong again!!").status_code == 400
    with session_scope(engine) as session:  # old rows were pruned
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 2
    assert _post_login(client, OWNER, PASSWORD).status_code == 303


def test_success_resets_the_account_but_not_the_address(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    for _ in range(4):
        assert _post_login(client, OWNER, "wrong password!").status_code == 400
    assert _post_login(client, OWNER, PASSWORD).status_code == 303
    for _ in range(4):  # the account's count started again
        assert _post_login(client, OWNER, "wrong password!").status_code == 400
    for n in range(12):  # the address's count did not: 8 so far, 20 allowed
        assert _post_login(client, f"nobody{n}@brand.test", "guess guess").status_code == 400
    blocked = _post_login(client, OWNER, PASSWORD)
    assert blocked.status_code == 429 and "network address" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0


@pytest.mark.parametrize(
    "password",
    ["12345678", "password", "short pass", "password1234", "Password1234", "qwertyuiop123", "aaaaaaaaaaaaaa"],
)
def test_weak_passwords_are_refused(engine: Engine, password: str) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidInput) as refused:
        ws = workspaces.get_or_create_workspace(session, "Brand")
        workspaces.create_user(session, ws, "ana@brand.test", password, Role.owner)
    assert "password" in refused.value.errors


def test_the_email_is_not_a_password(engine: Engine) -> None:
    with session_scope(engine) as session:
        ws = workspaces.get_or_create_workspace(session, "Brand")
        with pytest.raises(InvalidInput):
            workspaces.create_user(session, ws, "anastasia.k.1987@brand.test", "Anastasia.K.1987", Role.owner)
        workspaces.create_user(session, ws, "anastasia.k.1987@brand.test", PASSWORD, Role.owner)


# Finding 8: a cookie-authenticated API write needs the CSRF header and this site's Origin; bearer tokens do not.


def test_api_writes_with_the_cookie_need_csrf_and_same_origin(owner_client: TestClient, engine: Engine) -> None:
    body = {"display_name": "Ana", "accounts": [{"platform": "instagram", "handle": "ana", "followers": 1500}]}
    bare = owner_client.post("/api/v1/creators", json=body)
    assert bare.status_code == 403 and bare.headers["content-type"].startswith(PROBLEM)
    headers = api_headers(owner_client)
    forged = owner_client.post("/api/v1/creators", json=body, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    foreign = owner_client.post("/api/v1/creators", json=body, headers={**headers, "Origin": "https://evil.example"})
    assert foreign.status_code == 403 and foreign.headers["content-type"].startswith(PROBLEM)
    referer = {**headers, "Referer": "https://evil.example/page"}
    assert owner_client.post("/api/v1/creators", json=body, headers=referer).status_code == 403
    null = owner_client.post("/api/v1/creators", json=body, headers={**headers, "Origin": "null"})
    assert null.status_code == 403
    own = owner_client.post("/api/v1/creators", json=body, headers={**headers, "Origin": "http://testserver"})
    assert own.status_code == 201, own.text
    assert owner_client.get("/api/v1/creators").status_code == 200  # reads need nothing more

    make_user(engine, "api@brand.test")
    with session_scope(engine) as session:
        _, plain = workspaces.create_token(session, workspaces.find_user(session, "api@brand.test"), "ci")
    program = _second_client(owner_client)
    bearer = {"Authorization": f"Bearer {plain}", "Origin": "https://elsewhere.example"}
    body["accounts"] = [{"platform": "instagram", "handle": "kai", "followers": 3000}]
    assert program.post("/api/v1/creators", json=body, headers=bearer).status_code == 201


# Finding 12 (part): Secure cookies by default outside localhost; API tokens that expire.


def test_secure_cookies_are_the_default_outside_localhost(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for host in ("127.0.0.1", "localhost", "::1"):
        assert Settings(host=host).secure_cookies is False
    assert Settings(host="0.0.0.0").secure_cookies is True
    assert Settings(host="grassroots.example.com").secure_cookies is True
    assert Settings(host="0.0.0.0", secure_cookies=False).secure_cookies is False
    monkeypatch.setenv("GRASSROOTS_HOST", "0.0.0.0")
    assert Settings().secure_cookies is True
    monkeypatch.setenv("GRASSROOTS_SECURE_COOKIES", "false")
    assert Settings().secure_cookies is False
    monkeypatch.delenv("GRASSROOTS_SECURE_COOKIES")
    settings = Settings(data_dir=tmp_path, secret_key="test-secret")
    with TestClient(create_app(engine, settings), base_url="https://testserver") as browser:
        cookie = browser.get("/login").headers["set-cookie"]
    assert "secure" in cookie.lower()


def test_expired_tokens_are_refused(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    with session_scope(engine) as session:
        user = workspaces.find_user(session, OWNER)
        forever, forever_plain = workspaces.create_token(session, user, "forever")
        week, week_plain = workspaces.create_token(session, user, "week", expires_in_days=7)
        assert forever.expires_at is None and week.expires_at is not None
        assert timedelta(days=6) < week.expires_at - utcnow() <= timedelta(days=7)
        with pytest.raises(InvalidInput):
            workspaces.create_token(session, user, "never valid", expires_in_days=0)
    for plain in (forever_plain, week_plain):
        assert client.get("/api/v1/creators", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    from grassroots.workspaces.models import ApiToken

    with session_scope(engine) as session:
        session.execute(update(ApiToken).where(ApiToken.name == "week").values(expires_at=utcnow()))
    expired = client.get("/api/v1/creators", headers={"Authorization": f"Bearer {week_plain}"})
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    assert client.get("/api/v1/creators", headers={"Authorization": f"Bearer {forever_plain}"}).status_code == 200


def test_cli_token_with_an_expiry(cli_home: Path) -> None:
    from grassroots.cli import app

    runner = CliRunner()
    weak = runner.invoke(
        app, ["user", "create", "ana@brand.test", "--workspace", "Glow", "--password-stdin"], input="password\n"
    )
    assert weak.exit_code == 1 and "at least 12" in weak.output
    created = runner.invoke(
        app, ["user", "create", "ana@brand.test", "--workspace", "Glow", "--password-stdin"], input=f"{PASSWORD}\n"
    )
    assert created.exit_code == 0, created.output
    token = runner.invoke(app, ["token", "create", "ana@brand.test", "--expires-in-days", "30"])
    assert token.exit_code == 0 and "gr_" in token.output and "expires" in token.output
    with session_scope(get_engine()) as session:
        (listed,) = workspaces.list_tokens(session, workspaces.find_user(session, "ana@brand.test").workspace_id)
        assert listed.expires_at is not None and listed.expires_at - utcnow() > timedelta(days=29)
