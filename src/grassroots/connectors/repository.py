"""Queries for connections, their cursors and their runs."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.connectors.models import Connection, SyncRun, SyncState
from grassroots.db.base import utcnow


def get_cursor(session: Session, connection: Connection, stream: str) -> str | None:
    """The stored cursor of a stream, or None when the stream never ran."""
    state = session.scalar(
        select(SyncState).where(SyncState.connection_id == connection.id, SyncState.stream == stream)
    )
    return state.cursor if state else None


def save_cursor(session: Session, connection: Connection, stream: str, cursor: str) -> None:
    """Set a stream's cursor (call it in the same transaction as the page it follows)."""
    state = session.scalar(
        select(SyncState).where(SyncState.connection_id == connection.id, SyncState.stream == stream)
    )
    if state is None:
        state = SyncState(workspace_id=connection.workspace_id, connection_id=connection.id, stream=stream)
        session.add(state)
    state.cursor = cursor
    state.updated_at = utcnow()
    session.flush()


def commit_page(session: Session, connection: Connection, stream: str, cursor: str | None) -> None:
    """Commit one page of data together with the cursor after it: a crash later keeps both or neither."""
    if cursor is not None:
        save_cursor(session, connection, stream, cursor)
    session.commit()


def list_connections(session: Session, workspace_id: int, provider: str | None = None) -> list[Connection]:
    """The workspace's connections, by provider and label."""
    stmt = select(Connection).where(Connection.workspace_id == workspace_id)
    if provider:
        stmt = stmt.where(Connection.provider == provider)
    return list(session.scalars(stmt.order_by(Connection.provider, Connection.label)))


def find_connection(session: Session, workspace_id: int, provider: str, label: str) -> Connection | None:
    """A connection by its natural key."""
    return session.scalar(
        select(Connection).where(
            Connection.workspace_id == workspace_id, Connection.provider == provider, Connection.label == label
        )
    )


def get_connection(session: Session, workspace_id: int, connection_id: int) -> Connection | None:
    """A connection of this workspace by id."""
    return session.scalar(
        select(Connection).where(Connection.workspace_id == workspace_id, Connection.id == connection_id)
    )


def connections_of(session: Session, provider: str) -> list[Connection]:
    """Every workspace's connections to a provider (webhooks route deliveries by provider ids)."""
    return list(session.scalars(select(Connection).where(Connection.provider == provider).order_by(Connection.id)))


def last_runs(session: Session, connection_ids: list[int]) -> dict[int, SyncRun]:
    """The latest run of each connection."""
    if not connection_ids:
        return {}
    latest = (
        select(func.max(SyncRun.id)).where(SyncRun.connection_id.in_(connection_ids)).group_by(SyncRun.connection_id)
    )
    runs = session.scalars(select(SyncRun).where(SyncRun.id.in_(latest))).all()
    return {run.connection_id: run for run in runs}
