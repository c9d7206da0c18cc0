"""Engines and sessions."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from grassroots.config import get_settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web server read while a sync or import writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB: list counts re-read fewer pages
    cursor.close()


def private_dir(folder: Path) -> Path:
    """``folder``, created if needed, readable by its owner only (0700): it holds the data and the keys."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def private_file(path: Path) -> Path:
    """``path`` (created empty if missing) readable by its owner only (0600), in a private folder.

    SQLite gives its -wal and -shm files the database file's mode, so they are private too.
    """
    private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)
    return path


def make_engine(url: str) -> Engine:
    """Create an engine with the settings each backend needs."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            private_file(Path(path))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    return make_engine(get_settings().resolved_database_url)


@lru_cache
def _factory(engine: Engine) -> sessionmaker[Session]:
    # Every domain's tables must be known before a session maps a row: foreign keys and relationships
    # cross domains (a vetting report points at a social account). db/models.py imports them all.
    from grassroots.db import models  # noqa: F401

    return sessionmaker(bind=engine, expire_on_commit=False)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    """A cached sessionmaker for the engine (default: the configured one)."""
    return _factory(engine or get_engine())


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction: commit on success, roll back on any error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def analyze(bind: Session | Connection) -> None:
    """Refresh planner statistics after bulk loads: without them SQLite walks the wrong index for counts."""
    bind.execute(text("ANALYZE"))


T = TypeVar("T")
_WRITE_LOCKS: dict[int, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _write_lock(engine: Engine) -> threading.Lock | None:
    if engine.dialect.name != "sqlite":
        return None
    with _LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(id(engine), threading.Lock())


def _lost_insert_race(exc: BaseException) -> bool:
    """A unique-key violation, from SQLAlchemy or straight from the driver (COPY on PostgreSQL)."""
    return isinstance(exc, IntegrityError) or any(c.__name__ == "IntegrityError" for c in type(exc).__mro__)


def write_unit(engine: Engine, work: Callable[[Session], T], *, attempts: int = 20) -> T:
    """Run ``work`` in its own committed transaction, retried while the database is locked.

    SQLite has one writer: short units of work (a webhook delivery) take this process's write lock so they
    queue instead of failing with "database is locked", and a unit that still meets another process's lock
    (an import) is retried with a growing pause. On either database a unit that lost a race to insert the
    same row (two orders of one new customer at once) is run again: ``work`` must be an idempotent upsert.
    """
    lock = _write_lock(engine)
    for attempt in range(1, attempts + 1):
        try:
            if lock is None:
                with session_scope(engine) as session:
                    return work(session)
            with lock, session_scope(engine) as session:
                return work(session)
        except OperationalError as exc:
            if lock is None or "locked" not in str(exc).lower() or attempt == attempts:
                raise
            time.sleep(min(0.05 * attempt, 0.5))
        except Exception as exc:
            if not _lost_insert_race(exc) or attempt >= 5:
                raise
            time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")
