"""Failed sign-ins counted in the database per account (email) and per client IP, so password guessing is slowed
down across processes and restarts."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from grassroots.db.base import utcnow
from grassroots.errors import GrassrootsError
from grassroots.workspaces.models import LoginAttempt

WINDOW = timedelta(minutes=15)
LIMITS = {"account": 5, "ip": 20}  # failures allowed per key within WINDOW


class TooManyAttempts(GrassrootsError):
    """Too many failed sign-ins for this account or from this address; ``retry_after`` is in seconds."""

    status = 429
    title = "Too many attempts"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def _keys(email: str, client_ip: str | None) -> list[tuple[str, str]]:
    keys = [("account", email.strip().lower()[:320])]
    if client_ip:
        keys.append(("ip", client_ip[:320]))
    return keys


def _wait(session: Session, kind: str, key: str, now: datetime) -> int:
    """Seconds until ``key`` is below its limit again (0: not blocked)."""
    stmt = (
        select(LoginAttempt.attempted_at)
        .where(LoginAttempt.kind == kind, LoginAttempt.key == key, LoginAttempt.attempted_at > now - WINDOW)
        .order_by(LoginAttempt.attempted_at)
    )
    times = list(session.scalars(stmt))
    excess = len(times) - LIMITS[kind]
    if excess < 0:
        return 0
    # Blocked until enough of the oldest failures leave the window to drop below the limit.
    return max(1, math.ceil((times[excess] + WINDOW - now).total_seconds()))


def check(session: Session, email: str, client_ip: str | None) -> None:
    """Raise TooManyAttempts when the account or the address has failed too often lately."""
    now = utcnow()
    waits = {kind: _wait(session, kind, key, now) for kind, key in _keys(email, client_ip)}
    wait = max(waits.values())
    if wait:
        minutes = math.ceil(wait / 60)
        who = "this account" if waits["account"] else "your network address"
        detail = f"Too many failed sign-ins for {who}. Try again in {minutes} minute{'s' if minutes > 1 else ''}."
        raise TooManyAttempts(detail, wait)


def record_failure(session: Session, email: str, client_ip: str | None, workspace_id: int | None = None) -> None:
    """Count a failed sign-in against the account and the address, and prune rows older than the window."""
    now = utcnow()
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at <= now - WINDOW))
    for kind, key in _keys(email, client_ip):
        session.add(LoginAttempt(kind=kind, key=key, attempted_at=now, workspace_id=workspace_id))
    session.flush()


def reset_account(session: Session, email: str) -> None:
    """Forget the account's failures after a successful sign-in (the address's count stays)."""
    kind, key = _keys(email, None)[0]
    session.execute(delete(LoginAttempt).where(LoginAttempt.kind == kind, LoginAttempt.key == key))
