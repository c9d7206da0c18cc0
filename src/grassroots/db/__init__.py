"""Database: declarative base, engines, sessions and Alembic migrations."""

from grassroots.db.base import Base, WorkspaceScoped, utcnow
from grassroots.db.session import get_engine, make_engine, session_scope

__all__ = ["Base", "WorkspaceScoped", "get_engine", "make_engine", "session_scope", "utcnow"]
