"""CSV import of creators: validate every row first, then write all or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO

from pydantic import ValidationError
from sqlalchemy.orm import Session

from grassroots.creators import repository
from grassroots.creators.models import Creator, SocialAccount
from grassroots.creators.schemas import AccountIn
from grassroots.creators.service import refresh_summaries
from grassroots.db.session import analyze
from grassroots.errors import ImportRejected, RowError

REQUIRED = ("platform", "handle", "followers")
OPTIONAL = (
    "creator",
    "display_name",
    "bio",
    "location",
    "language",
    "following",
    "posts_count",
    "verified",
    "external_id",
    "url",
    "email",
)
TRUE = {"1", "true", "yes", "y", "t"}
FALSE = {"0", "false", "no", "n", "f", ""}
MAX_ROWS = 200_000
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class ImportRow:
    """A validated line of the file."""

    line: int
    account: AccountIn
    creator_name: str
    email: str | None


@dataclass
class ImportResult:
    """What an accepted import did."""

    created_creators: int
    created_accounts: int
    updated_accounts: int
    unmapped_columns: list[str]


def _clean(raw: dict[str, str | None]) -> dict[str, object]:
    data: dict[str, object] = {}
    for key, value in raw.items():
        value = (value or "").strip()
        if key == "verified":
            if value.lower() not in TRUE | FALSE:
                raise ValueError(f"verified must be true/false, not {value!r}")
            data[key] = value.lower() in TRUE
        elif key in {"followers", "following", "posts_count"} and value:
            data[key] = value.replace(",", "").replace("_", "")
        elif value:
            data[key] = value
    return data


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "row"
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def parse_rows(stream: IO[str]) -> tuple[list[ImportRow], list[str]]:
    """Validate every line; raise ImportRejected listing all bad lines, else return rows."""
    reader = csv.DictReader(stream)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise ImportRejected(rows=[RowError(1, f"missing required column(s): {', '.join(missing)}")])
    reader.fieldnames = headers
    unmapped = [h for h in headers if h not in REQUIRED + OPTIONAL]
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, f"file has more than {MAX_ROWS:,} rows; split it"))
            break
        if None in raw:
            errors.append(RowError(line, "more values than columns (check quoting)"))
            continue
        try:
            data = _clean({k: v for k, v in raw.items() if k in REQUIRED + OPTIONAL})
            account = AccountIn.model_validate({k: v for k, v in data.items() if k not in {"creator", "email"}})
        except ValidationError as exc:
            errors.append(RowError(line, _describe(exc)))
            continue
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        key = (account.platform.value, account.handle)
        if key in seen:
            errors.append(RowError(line, f"duplicate of line {seen[key]} ({key[0]} @{key[1]})"))
            continue
        seen[key] = line
        name = str(data.get("creator") or account.display_name or account.handle)
        rows.append(ImportRow(line, account, name, data.get("email")))  # type: ignore[arg-type]
    if errors:
        raise ImportRejected(rows=errors)
    if not rows:
        raise ImportRejected(rows=[RowError(1, "the file has a header but no rows")])
    return rows, unmapped


def import_creators(session: Session, workspace_id: int, stream: IO[str]) -> ImportResult:
    """Import a creators CSV into a workspace: new handles are created, known handles updated."""
    rows, unmapped = parse_rows(stream)
    creators_by_name: dict[str, Creator] = {}
    touched: set[int] = set()
    created_accounts = updated = 0
    for row in rows:
        existing = repository.find_account(session, workspace_id, row.account.platform, row.account.handle)
        if existing is not None:
            for name, value in row.account.model_dump(exclude_unset=True).items():
                setattr(existing, name, value)
            touched.add(existing.creator_id)
            updated += 1
            continue
        creator = creators_by_name.get(row.creator_name)
        if creator is None:
            creator = Creator(
                workspace_id=workspace_id,
                display_name=row.creator_name,
                location=row.account.location,
                language=row.account.language,
                email=row.email,
            )
            session.add(creator)
            session.flush()
            creators_by_name[row.creator_name] = creator
        session.add(SocialAccount(workspace_id=workspace_id, creator_id=creator.id, **row.account.model_dump()))
        touched.add(creator.id)
        created_accounts += 1
    refresh_summaries(session, sorted(touched))
    if created_accounts + updated > 1000:
        analyze(session)
    return ImportResult(len(creators_by_name), created_accounts, updated, unmapped)


def import_text(session: Session, workspace_id: int, text: str) -> ImportResult:
    """Import from CSV text (an uploaded file)."""
    return import_creators(session, workspace_id, io.StringIO(text.lstrip("\ufeff")))


def import_upload(session: Session, workspace_id: int, raw: bytes) -> ImportResult:
    """Import an uploaded file's bytes: all rows or none (a rejected file leaves the session rolled back)."""
    try:
        if len(raw) > MAX_BYTES:
            raise ImportRejected(rows=[], message="file is larger than 50 MB; use the CLI")
        return import_text(session, workspace_id, raw.decode("utf-8", errors="replace"))
    except ImportRejected:
        session.rollback()
        raise
