"""A scratch PostgreSQL database for a benchmark run: created on entry, dropped on exit (shared helper)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_up() -> bool:
    """Whether a PostgreSQL server answers on 127.0.0.1:5432."""
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


@contextmanager
def scratch_postgres(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database named ``<prefix>_<random>``; dropped afterwards, even on error."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def database_for(url: str | None, sqlite_file: Path) -> Iterator[str]:
    """The database a benchmark runs on: a PostgreSQL ``url`` is created afresh (via the 'test' database) and
    dropped afterwards, even on error; otherwise ``url`` or a fresh SQLite file at ``sqlite_file``."""
    if not (url and url.startswith("postgresql")):
        sqlite_file.unlink(missing_ok=True)
        yield url or f"sqlite:///{sqlite_file}"
        return
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="test"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        admin.dispose()
