"""`grassroots export`: one workspace's rows as CSV and JSON, nothing of another workspace, no secrets."""

from __future__ import annotations

import base64
import csv
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from grassroots.config import Settings
from grassroots.connectors.models import Connection
from grassroots.csv_cells import FORMULA_START as FORMULA_STARTS
from grassroots.db.session import session_scope
from grassroots.errors import NotFound
from grassroots.workspaces.export import export_workspace, workspace_id_named
from tests.workspaces.test_backup import SHOP_SECRETS, populate

HYPERLINK = '=HYPERLINK("http://evil.test","click")'


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def agrees(cell: str, value: Any) -> bool:
    """Whether a CSV cell holds the JSON value (text that looks like a formula carries a leading ')."""
    if value is None:
        return cell == ""
    if isinstance(value, bool):
        return cell == str(value).lower()
    if isinstance(value, list | dict):
        return bool(json.loads(cell) == value)
    if isinstance(value, int | float):
        return cell == str(value)
    return cell == value or (cell == "'" + value and value.startswith(FORMULA_STARTS))


@pytest.fixture
def exported(engine: Engine, settings: Settings, tmp_path: Path) -> tuple[Path, dict[str, int], int, int]:
    """Two workspaces with a row in every table; the first exported to a folder."""
    mine = populate(engine, settings, "Brand", tag="a")
    theirs = populate(engine, settings, "Other brand", tag="b")
    with session_scope(engine) as session:
        counts = export_workspace(session, workspace_id_named(session, "Brand"), tmp_path / "out")
    return tmp_path / "out", counts, mine, theirs


def test_only_the_workspace_rows_are_written(engine: Engine, exported: tuple[Path, dict[str, int], int, int]) -> None:
    folder, counts, mine, theirs = exported
    assert counts["workspace"] == 1 and counts["creator"] == 1 and counts["comment"] == 1 and counts["order_line"] == 1
    assert {p.name for p in folder.iterdir()} == {f"{t}.{ext}" for t in counts for ext in ("csv", "json")}
    for name, count in counts.items():
        rows = json.loads((folder / f"{name}.json").read_text())
        assert len(rows) == count
        for row in rows:
            assert row.get("workspace_id", row.get("id")) == mine, name
    text = "\n".join(p.read_text() for p in folder.iterdir())
    for trace in ("Other brand", "ana.b", "fan.b", "maya-b@buyer.test", "b.myshopify.com", "owner-b@brand.test"):
        assert trace not in text
    assert "maya-a@buyer.test" in text and "ana.a" in text
    assert theirs != mine


def test_secrets_are_not_exported(engine: Engine, exported: tuple[Path, dict[str, int], int, int]) -> None:
    folder, counts, mine, _ = exported
    header, rows = read_csv(folder / "connection.csv")
    assert "secret" not in header and len(rows) == counts["connection"] == 1
    assert "password_hash" not in read_csv(folder / "user_account.csv")[0]
    assert "token_hash" not in read_csv(folder / "api_token.csv")[0]
    with session_scope(engine) as session:
        blob = session.scalar(select(Connection.secret).where(Connection.workspace_id == mine))
    assert blob is not None
    text = "\n".join(p.read_text() for p in folder.iterdir())
    for secret in (*SHOP_SECRETS.values(), bytes(blob).decode(), base64.b64encode(bytes(blob)).decode()):
        assert secret not in text


def test_formulas_are_neutralised_in_csv_only(exported: tuple[Path, dict[str, int], int, int]) -> None:
    folder, *_ = exported
    header, [row] = read_csv(folder / "creator.csv")
    assert row[header.index("notes")] == "'" + HYPERLINK
    [record] = json.loads((folder / "creator.json").read_text())
    assert record["notes"] == HYPERLINK
    header, [row] = read_csv(folder / "comment.csv")
    assert row[header.index("text")] == "'+1 where can I get this?"


def test_csv_and_json_agree_and_only_the_owner_can_read(exported: tuple[Path, dict[str, int], int, int]) -> None:
    folder, counts, *_ = exported
    for name in counts:
        header, rows = read_csv(folder / f"{name}.csv")
        records = json.loads((folder / f"{name}.json").read_text())
        assert len(rows) == len(records)
        for row, record in zip(rows, records, strict=True):
            assert header == list(record)
            assert [c for c, v in zip(row, record.values(), strict=True) if not agrees(c, v)] == [], name
        for ext in ("csv", "json"):
            assert stat.S_IMODE((folder / f"{name}.{ext}").stat().st_mode) == 0o600


def test_an_unknown_workspace_is_not_found(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session, pytest.raises(NotFound, match="no workspace named 'Nope'"):
        workspace_id_named(session, "Nope")
    with pytest.raises(NotFound):
        export_workspace(engine, 12345, tmp_path / "out")
    assert not (tmp_path / "out").exists()
