"""Request dependencies: database session, signed-in user and workspace, role checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from grassroots.db.session import session_scope
from grassroots.errors import Forbidden, GrassrootsError
from grassroots.web.csrf import verify_api_cookie_request
from grassroots.workspaces import service as workspaces
from grassroots.workspaces.models import Role, User


@dataclass(frozen=True)
class WorkspaceView:
    """What pages show of the workspace, safe to use after the session closed."""

    id: int
    name: str
    is_synthetic: bool


@dataclass(frozen=True)
class Viewer:
    """A detached snapshot of the signed-in user, for templates and error pages."""

    id: int
    email: str
    role: Role
    workspace: WorkspaceView

    @classmethod
    def of(cls, user: User) -> Viewer:
        """Snapshot a user row."""
        ws = user.workspace
        return cls(user.id, user.email, user.role, WorkspaceView(ws.id, ws.name, ws.is_synthetic))


class LoginRequired(GrassrootsError):
    """No signed-in user (pages redirect to the login page, the API answers 401)."""

    status = 401
    title = "Unauthorized"


def get_db(request: Request) -> Iterator[Session]:
    """A session per request, committed when the handler succeeds."""
    with session_scope(request.app.state.engine) as session:
        yield session


DB = Annotated[Session, Depends(get_db)]


SESSION_USER = "user_id"
SESSION_VERSION = "sv"


def start_session(request: Request, user: User) -> None:
    """Sign ``user`` in: a fresh session carrying the user's id and current session version."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_VERSION] = user.session_version


def session_user(request: Request, db: Session) -> User | None:
    """The user of the session cookie, or None when there is none or it was ended (sign-out, new password)."""
    user_id = request.session.get(SESSION_USER)
    user = workspaces.get_user(db, int(user_id)) if user_id else None
    if user is None or request.session.get(SESSION_VERSION) != user.session_version:
        request.session.pop(SESSION_USER, None)
        request.session.pop(SESSION_VERSION, None)
        return None
    return user


def current_user(request: Request, db: DB) -> User:
    """The user signed in through the session cookie."""
    user = session_user(request, db)
    if user is None:
        raise LoginRequired("Sign in to continue.")
    request.state.user = Viewer.of(user)
    return user


def api_user(request: Request, db: DB) -> User:
    """The user behind the bearer token (or, for the browser, the session cookie plus CSRF token on writes)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = workspaces.user_for_token(db, header[7:].strip())
        if user is None:
            raise LoginRequired("The bearer token is invalid, expired or revoked.")
        return user
    if request.session.get(SESSION_USER):
        user = current_user(request, db)
        verify_api_cookie_request(request)
        return user
    raise LoginRequired("Send 'Authorization: Bearer <token>'; create a token with `grassroots token create`.")


def _writer(user: User) -> User:
    if not user.role.can_write:
        raise Forbidden(f"Your role ({user.role.value}) can view but not change data.")
    return user


def page_writer(user: Annotated[User, Depends(current_user)]) -> User:
    """A signed-in user whose role may change data."""
    return _writer(user)


def api_writer(user: Annotated[User, Depends(api_user)]) -> User:
    """An API caller whose role may change data."""
    return _writer(user)


PageUser = Annotated[User, Depends(current_user)]
PageWriter = Annotated[User, Depends(page_writer)]
ApiUser = Annotated[User, Depends(api_user)]
ApiWriter = Annotated[User, Depends(api_writer)]
