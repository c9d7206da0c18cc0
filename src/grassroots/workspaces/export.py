"""Export one workspace's rows, table by table, as CSV and JSON (no secrets; CSV safe to open in a spreadsheet)."""

from __future__ import annotations

import base64
import csv
import enum
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import ColumnElement, Connection, Engine, Table, select
from sqlalchemy.orm import Session

from grassroots.csv_cells import safe_cell
from grassroots.db.backup import all_tables
from grassroots.errors import NotFound
from grassroots.workspaces.models import Workspace

# Credentials never leave the database: encrypted connector secrets, password and API-token hashes.
SECRET_COLUMNS: dict[str, frozenset[str]] = {
    "connection": frozenset({"secret"}),
    "user_account": frozenset({"password_hash"}),
    "api_token": frozenset({"token_hash"}),
}
BATCH = 1000


def workspace_id_named(session: Session, name: str) -> int:
    """The id of the workspace with this name, or NotFound (an export or erasure never creates one)."""
    found = session.scalar(select(Workspace.id).where(Workspace.name == name))
    if found is None:
        raise NotFound(f"no workspace named {name!r}")
    return found


def export_workspace(source: Session | Engine, workspace_id: int, folder: Path) -> dict[str, int]:
    """Write ``<table>.csv`` and ``<table>.json`` for every table of one workspace; rows written per table."""
    folder = Path(folder)
    with _connection(source) as conn:
        if conn.scalar(select(Workspace.id).where(Workspace.id == workspace_id)) is None:
            raise NotFound(f"workspace {workspace_id} not found")
        folder.mkdir(parents=True, exist_ok=True)
        return {table.name: _export_table(conn, table, where, folder) for table, where in scoped_tables(workspace_id)}


def scoped_tables(workspace_id: int) -> Iterator[tuple[Table, ColumnElement[bool]]]:
    """The workspace row's table and every table with a ``workspace_id`` column, each with its filter."""
    for table in all_tables():
        if table.name == "workspace":
            yield table, table.c.id == workspace_id
        elif "workspace_id" in table.c:
            yield table, table.c.workspace_id == workspace_id


def exported_columns(table: Table) -> list[str]:
    """The columns of ``table`` an export writes (all but the secret ones)."""
    hidden = SECRET_COLUMNS.get(table.name, frozenset())
    return [column.name for column in table.columns if column.name not in hidden]


def csv_cell(value: Any) -> str:
    """A value as CSV text; text starting like a formula is prefixed with ``'`` so spreadsheets show it as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal) and not isinstance(value, enum.Enum):
        return str(value)  # numbers (a refund's -5.00) are never formulas
    if isinstance(value, list | dict):
        text = json.dumps(value, default=json_value, ensure_ascii=False)
    else:
        text = str(json_value(value))
    return str(safe_cell(text))


def json_value(value: Any) -> Any:
    """A value JSON can hold: dates as ISO text, money as exact decimal text, bytes as base64."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, enum.Enum):
        return value.value
    return value


@contextmanager
def _connection(source: Session | Engine) -> Iterator[Connection]:
    if isinstance(source, Session):
        yield source.connection()
    else:
        with source.connect() as conn:
            yield conn


def _export_table(conn: Connection, table: Table, where: ColumnElement[bool], folder: Path) -> int:
    names = exported_columns(table)
    query = select(*(table.c[n] for n in names)).where(where).order_by(*table.primary_key.columns)
    rows = 0
    with (
        conn.execute(query.execution_options(yield_per=BATCH)) as result,
        _private(folder / f"{table.name}.csv") as csv_file,
        _private(folder / f"{table.name}.json") as json_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(names)
        json_file.write("[")
        for batch in result.partitions():
            for row in batch:
                writer.writerow([csv_cell(v) for v in row])
                record = {name: json_value(v) for name, v in zip(names, row, strict=True)}
                json_file.write(
                    ("\n" if rows == 0 else ",\n") + json.dumps(record, default=json_value, ensure_ascii=False)
                )
                rows += 1
        json_file.write("\n]\n")
    return rows


@contextmanager
def _private(path: Path) -> Iterator[IO[str]]:
    """A text file readable by its owner only: an export holds personal data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with open(descriptor, "w", encoding="utf-8", newline="") as handle:
        yield handle
