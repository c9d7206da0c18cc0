"""Sign-in, CSRF and roles through the pages."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.workspaces.models import Role
from tests.support import csrf_from, login, make_user


def test_pages_need_a_session(client: TestClient) -> None:
    response = client.get("/creators")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_wrong_password_rerenders_the_form(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": "owner@brand.test", "password": "nope", "csrf_token": token})
    assert response.status_code == 400
    assert "Email or password is wrong" in response.text
    assert 'value="owner@brand.test"' in response.text


def test_login_then_logout(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    login(client, "owner@brand.test")
    page = client.get("/creators")
    assert page.status_code == 200 and "Creators" in page.text
    client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    assert client.get("/creators").status_code == 303


def test_forms_without_csrf_token_are_refused(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    client.get("/login")
    response = client.post("/login", data={"email": "owner@brand.test", "password": "correct horse battery"})
    assert response.status_code == 403
    assert "Form expired" in response.text
    assert client.get("/creators").status_code == 303


def test_open_redirect_after_login_is_ignored(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    token = csrf_from(client.get("/login").text)
    data = {
        "email": "owner@brand.test",
        "password": "correct horse battery",
        "csrf_token": token,
        "next": "//evil.example/",
    }
    assert client.post("/login", data=data).headers["location"] == "/creators"


def test_viewer_can_read_but_not_write(client: TestClient, engine: Engine) -> None:
    make_user(engine, "viewer@brand.test", Role.viewer)
    login(client, "viewer@brand.test")
    page = client.get("/creators")
    assert page.status_code == 200 and "Add creator" not in page.text
    assert client.get("/creators/new").status_code == 403
    data = {"csrf_token": csrf_from(page.text), "platform": "instagram", "handle": "x", "followers": "10"}
    assert client.post("/creators/new", data=data).status_code == 403
    assert client.post("/settings/tokens", data={"csrf_token": csrf_from(page.text), "name": "t"}).status_code == 403
