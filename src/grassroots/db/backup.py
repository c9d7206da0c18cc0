"""Online backup and restore of the whole database: SQLite's backup API, or pg_dump/pg_restore for PostgreSQL.

A backup holds connector secrets encrypted with a key derived from the secret key (or the connector key):
without that key they cannot be read after a restore, so the key must be kept with the backup.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, Table, select
from sqlalchemy.engine import URL

from grassroots.config import Settings, get_settings
from grassroots.connectors.credentials import CredentialsUnreadable, decrypt_secret
from grassroots.errors import GrassrootsError, InvalidInput

log = logging.getLogger("grassroots.backup")
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# libpq connection keywords a SQLAlchemy URL's query may carry; anything else is the driver's business.
LIBPQ_KEYS = frozenset({
    "host", "hostaddr", "port", "sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslpassword",
    "connect_timeout", "application_name", "options", "target_session_attrs", "gssencmode", "channel_binding",
    "service", "passfile", "krbsrvname", "requiressl",
})  # fmt: skip


class BackupFailed(GrassrootsError):
    """A backup or restore could not run (a tool is missing, or it reported an error)."""

    status = 500
    title = "Backup failed"


@dataclass(frozen=True)
class SecretCheck:
    """How many stored connection secrets the current key can decrypt."""

    stored: int
    readable: int

    @property
    def ok(self) -> bool:
        """True when every stored secret decrypts (or none is stored)."""
        return self.readable == self.stored


def all_tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    from grassroots.db import models

    return list(models.metadata.sorted_tables)


def backup(engine: Engine, path: Path) -> Path:
    """Write a consistent copy of the live database to ``path`` (mode 0600, replaced atomically)."""
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name for the backup")
    _not_the_database(engine, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)  # mode 0600
    os.close(handle)
    partial = Path(name)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_copy(_sqlite_file(engine), partial, clean_target=True)
        elif engine.dialect.name == "postgresql":
            _run(_pg_tool("pg_dump"), "--format=custom", f"--file={partial}", engine=engine)
        else:
            raise InvalidInput(f"backups of {engine.dialect.name} databases are not supported")
        partial.chmod(0o600)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    log.info("backed up the database to %s", path)
    return path


def restore(engine: Engine, path: Path) -> None:
    """Replace the database's contents with the backup at ``path`` (stop the server first; then ``check_secrets``)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no backup file at {path}")
    _not_the_database(engine, path)
    engine.dispose()  # no pooled connection of ours may hold a lock the restore waits for
    try:
        if engine.dialect.name == "sqlite":
            _check_magic(path, SQLITE_MAGIC, "a SQLite")
            _check_sqlite_backup(path)
            _sqlite_copy(path, _sqlite_file(engine), clean_target=False)
        elif engine.dialect.name == "postgresql":
            _check_magic(path, PG_MAGIC, "a pg_dump (custom format)")
            flags = ("--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction")
            _run(_pg_tool("pg_restore"), *flags, str(path), engine=engine)
        else:
            raise InvalidInput(f"restoring {engine.dialect.name} databases is not supported")
    finally:
        engine.dispose()
    log.info("restored the database from %s", path)


def check_secrets(engine: Engine, settings: Settings | None = None) -> SecretCheck:
    """Count the stored connection secrets and how many the current key decrypts."""
    connection = next(t for t in all_tables() if t.name == "connection")
    stored = readable = 0
    with engine.connect() as conn:
        for (blob,) in conn.execute(select(connection.c.secret)):
            stored += 1
            try:
                decrypt_secret(blob, settings=settings)
            except CredentialsUnreadable:
                continue
            readable += 1
    return SecretCheck(stored, readable)


def key_location(settings: Settings | None = None) -> str:
    """Where the key that encrypts connector secrets comes from, as the user would name it."""
    settings = settings or get_settings()
    if settings.connector_key:
        return "the GRASSROOTS_CONNECTOR_KEY setting"
    key_file = settings.data_dir / "secret_key"
    if settings.secret_key and not (key_file.is_file() and key_file.read_text().strip() == settings.secret_key):
        return "the GRASSROOTS_SECRET_KEY setting"
    return f"the file {key_file.resolve()}"


def _sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise InvalidInput("only a SQLite database in a file can be backed up or restored")
    return Path(database)


def _not_the_database(engine: Engine, path: Path) -> None:
    if engine.dialect.name == "sqlite" and path.resolve() == _sqlite_file(engine).resolve():
        raise InvalidInput(f"{path} is the database itself; give another file")


def _sqlite_copy(source: Path, target: Path, *, clean_target: bool) -> None:
    """Copy ``source`` into ``target`` page by page with the backup API (a consistent snapshot, WAL-safe)."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
        if clean_target:  # a backup file stands alone: no -wal or -shm beside it
            dst.execute("PRAGMA journal_mode=DELETE")
        else:
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        raise BackupFailed(f"SQLite could not copy {source} to {target}: {exc}") from exc
    finally:
        dst.close()
        src.close()


def _check_magic(path: Path, magic: bytes, kind: str) -> None:
    with path.open("rb") as handle:
        if handle.read(len(magic)) != magic:
            raise InvalidInput(f"{path} is not {kind} backup; back up with `grassroots backup` on this database type")


def _check_sqlite_backup(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as check:
            ok = check.execute("PRAGMA quick_check").fetchone()
            has_schema = check.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone()
    except sqlite3.Error as exc:
        raise InvalidInput(f"{path} cannot be read as a SQLite database: {exc}") from exc
    if not ok or ok[0] != "ok":
        raise InvalidInput(f"{path} is damaged: {ok[0] if ok else 'no answer from quick_check'}")
    if not has_schema:
        raise InvalidInput(f"{path} is not a grassroots database (it has no alembic_version table)")


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"{name} is not installed or not on PATH; install the PostgreSQL client tools "
            f"(e.g. `apt-get install postgresql-client`, the same major version as the server)"
        )
    return found


def conninfo(url: URL) -> str:
    """The libpq connection string of a SQLAlchemy URL, without the password (that goes in PGPASSWORD)."""
    parts = {"dbname": url.database, "host": url.host, "port": url.port, "user": url.username}
    for key, value in url.query.items():
        if key in LIBPQ_KEYS:
            parts[key] = value if isinstance(value, str) else value[-1]
    return " ".join(f"{key}={_quote(str(value))}" for key, value in parts.items() if value not in (None, ""))


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _run(tool: str, *args: str, engine: Engine) -> None:
    env = dict(os.environ)
    if engine.url.password:
        env["PGPASSWORD"] = str(engine.url.password)
    command = [tool, "--no-password", f"--dbname={conninfo(engine.url)}", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupFailed(f"{Path(tool).name} failed (exit {done.returncode}): {detail}")
