"""Shared fixtures: every DB test runs on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, Table, create_engine, text

_DATA = Path(tempfile.mkdtemp(prefix="grassroots-test-"))
os.environ["GRASSROOTS_DATA_DIR"] = str(_DATA)
# The recorded-API servers the connector tests run on 127.0.0.1 (production refuses loopback addresses).
os.environ["GRASSROOTS_CONNECTOR_ALLOWED_HOSTS"] = '["127.0.0.1"]'
os.environ.pop("GRASSROOTS_DATABASE_URL", None)

from grassroots.config import Settings  # noqa: E402
from grassroots.db.base import Base  # noqa: E402
from grassroots.db.migrate import upgrade  # noqa: E402
from grassroots.db.session import make_engine  # noqa: E402
from grassroots.web.app import create_app  # noqa: E402
from grassroots.workspaces import service as workspaces_service  # noqa: E402
from tests.support import login, make_user  # noqa: E402

# Tests create users and sign in hundreds of times: a light Argon2id (same algorithm, same hash format, verified
# the same way) keeps that to milliseconds; the product keeps argon2-cffi's defaults (about 0.1-0.5 s a hash).
workspaces_service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_available() -> bool:
    """True when a PostgreSQL server answers on 127.0.0.1:5432."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def _sqlite_engine() -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{_DATA / 'suite.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _pg_engine() -> Iterator[Engine]:
    if not postgres_available():
        pytest.skip("PostgreSQL is not answering on 127.0.0.1:5432 (start it to run the PostgreSQL tests)")
    name = f"grassroots_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    upgrade(engine)
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _wipe(engine: Engine) -> None:
    tables = [t for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # TRUNCATE costs about a second for every test whatever it wrote (it cascades to every table that
            # refers to workspace); deleting the few rows a test wrote, children first, takes milliseconds.
            touched = _touched(conn, tables)
            for table in tables:
                if table.name in touched:
                    conn.execute(table.delete())
            conn.execute(text(
                "SELECT setval(format('%I', sequencename)::regclass, 1, false) FROM pg_sequences "
                "WHERE schemaname = 'public' AND last_value IS NOT NULL"
            ))  # fmt: skip
        else:
            for table in tables:
                conn.execute(table.delete())


def _touched(conn: Connection, tables: list[Table]) -> set[str]:
    """Tables a test may have written to: those holding a row, and those whose id sequence moved (rows added and
    deleted again) since the last reset."""
    used = set(conn.execute(text(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"
    )).scalars())  # fmt: skip
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
    return set(conn.execute(text(probe)).scalars()) | {t.name for t in tables if f"{t.name}_id_seq" in used}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated, empty database: SQLite and PostgreSQL."""
    eng: Engine = request.getfixturevalue(f"_{'pg' if request.param == 'postgresql' else 'sqlite'}_engine")
    _wipe(eng)
    yield eng


@pytest.fixture
def sqlite_engine(_sqlite_engine: Engine) -> Engine:
    """Only SQLite, for tests about the web layer rather than the database."""
    _wipe(_sqlite_engine)
    return _sqlite_engine


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a throwaway data dir."""
    return Settings(data_dir=tmp_path, secret_key="test-secret")


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """A test client on a fresh database (both backends)."""
    with TestClient(create_app(engine, settings), follow_redirects=False) as c:
        yield c


@pytest.fixture
def owner_client(client: TestClient, engine: Engine) -> TestClient:
    """A client signed in as an owner of workspace 'Brand'."""
    make_user(engine)
    login(client, "owner@brand.test")
    return client


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The real `grassroots` CLI on its own settings: a fresh data dir, and a SQLite database `grassroots init` made."""
    from typer.testing import CliRunner

    from grassroots.cli import app
    from grassroots.config import get_settings
    from grassroots.db.session import get_engine

    monkeypatch.setenv("GRASSROOTS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GRASSROOTS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    yield tmp_path
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()
