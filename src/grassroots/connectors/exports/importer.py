"""Import scraper exports (Apify Instagram/TikTok JSON or CSV) and other tools' creator lists.

The file is streamed: items are read, mapped and written in batches inside one transaction. Bad rows are
reported with their line numbers and the good rows are kept — unlike the creators CSV import, which is all or
nothing — because a scraper export is machine-written: its error items (private or deleted profiles) cannot be
"fixed" by the user, and re-importing is idempotent anyway. ``strict=True`` gives the all-or-nothing behaviour:
any bad row rolls the whole file back (it is one transaction) and raises ImportRejected.
"""

from __future__ import annotations

import csv
import enum
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from grassroots.connectors.exports.bulk import BulkCounts, BulkWriter
from grassroots.connectors.exports.fast import fast_instagram, fast_tiktok
from grassroots.connectors.exports.frame import SplitBatch, split_batch
from grassroots.connectors.exports.load import FrameLoader
from grassroots.connectors.exports.mapping import BadRow, ExportRow, map_creator_row, map_headers
from grassroots.connectors.exports.read import Item, csv_header, iter_csv, iter_json, unflatten
from grassroots.creators.models import Platform
from grassroots.errors import ImportRejected, InvalidInput, RowError

BATCH_ROWS = 5_000
BATCH_POSTS = 5_000
FRAME_BATCH = 50_000
MAX_REPORTED = 1_000
# An import allocates millions of short-lived dicts and lists, and the cyclic collector then rescans the whole
# long-lived heap (SQLAlchemy, Polars…) over and over: half the CPU of mapping a post export (measured). Collect
# the youngest generation every this many allocations instead of 700 while an import runs.
GC_THRESHOLD = 50_000
ImportProgress = Callable[[int], None]


class ExportFormat(enum.StrEnum):
    """What kind of file an import reads."""

    auto = "auto"
    apify_instagram = "apify-instagram"
    apify_tiktok = "apify-tiktok"
    creator_list = "creator-list"


@dataclass
class ExportImportResult:
    """What an import did: counts, bad rows (line and reason) and the columns nothing maps to."""

    format: ExportFormat
    rows: int = 0
    counts: BulkCounts = field(default_factory=BulkCounts)
    bad_rows: list[RowError] = field(default_factory=list)
    bad_row_count: int = 0
    warnings: list[RowError] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        """Count a bad row; keep the first MAX_REPORTED reasons (a broken million-row file stays printable)."""
        self.bad_row_count += 1
        if len(self.bad_rows) < MAX_REPORTED:
            self.bad_rows.append(RowError(line, reason))


def detect_format(head: str, csv_headers: list[str] | None) -> ExportFormat:
    """Guess the format from the first item of a JSON file or the header of a CSV file."""
    if csv_headers is not None:
        names = {h.split("/")[0].split(".")[0] for h in csv_headers}
        if "authorMeta" in names:
            return ExportFormat.apify_tiktok
        if "ownerUsername" in names or {"username", "followersCount"} <= names or "latestPosts" in names:
            return ExportFormat.apify_instagram
        return ExportFormat.creator_list
    if '"authorMeta"' in head:
        return ExportFormat.apify_tiktok
    if any(key in head for key in ('"ownerUsername"', '"followersCount"', '"latestPosts"', '"username"')):
        return ExportFormat.apify_instagram
    raise InvalidInput("cannot tell the format of this JSON file; pass --format apify-instagram or apify-tiktok")


def _is_json(stream: IO[str]) -> tuple[bool, str]:
    head = stream.read(64 * 1024)
    stream.seek(0)
    return head.lstrip("\ufeff \t\r\n")[:1] in {"[", "{"}, head


def _csv_items(fmt: ExportFormat, result: ExportImportResult, platform: Platform | None, headers: list[str],
               reader: csv.DictReader[str], loader: FrameLoader, size: int,
               progress: ImportProgress) -> Iterator[ExportRow]:  # fmt: skip
    if fmt is ExportFormat.creator_list:
        yield from _creator_list(reader, headers, result, platform, loader, size, progress)
        return
    mapper = fast_instagram if fmt is ExportFormat.apify_instagram else fast_tiktok
    yield from _mapped(iter_csv(reader), lambda line, raw: mapper(line, unflatten(raw)), result)


def _creator_list(reader: csv.DictReader[str], headers: list[str], result: ExportImportResult,
                  platform: Platform | None, loader: FrameLoader, size: int,
                  progress: ImportProgress) -> Iterator[ExportRow]:  # fmt: skip
    """Clean new rows go in by the Polars fast path as each batch is read; the others come out as mapped rows.
    ``size`` (the file's length) and the first batch's row length estimate how many rows the file has."""
    mapping, result.unmapped_columns = map_headers(headers)
    if "handle" not in mapping.values() and "url" not in mapping.values():
        raise ImportRejected(rows=[RowError(1, "no handle column (e.g. Username, Handle, Instagram handle)")])
    records = reader.reader  # the plain csv.reader under the DictReader: lists, and the same line numbers

    def by_row(line: int, record: Any) -> ExportRow:
        return map_creator_row(line, dict(zip(headers, record, strict=False)), mapping, platform)

    def batches() -> Iterator[tuple[list[list[str]], list[int], list[int], SplitBatch]]:
        while True:
            batch, lines = [], []
            for record in records:
                if record:  # csv.DictReader skips blank lines too
                    batch.append(record)
                    lines.append(records.line_num)
                    if len(batch) == FRAME_BATCH:
                        break
            if not batch:
                return
            regular = [i for i, record in enumerate(batch) if len(record) == len(headers)]
            yield batch, lines, regular, split_batch([batch[i] for i in regular], headers, mapping, platform)

    for batch, lines, regular, split in batches():
        known = loader.load(split.fast, _expected_rows(size, batch))
        result.rows += split.fast.height - len(known)
        progress(result.rows)
        slow = sorted({regular[p] for p in split.slow + known} | (set(range(len(batch))) - set(regular)))
        items = (_record_item(lines[i], batch[i], len(headers)) for i in slow)
        yield from _mapped(items, by_row, result)


def _expected_rows(size: int, batch: list[list[str]]) -> int:
    sample = batch[:1000]
    chars = sum(len(value) + 1 for record in sample for value in record) or 1
    return size * len(sample) // chars


def _record_item(line: int, record: list[str], width: int) -> Item:
    if len(record) > width:
        return Item(line, None, "more values than columns (check quoting)")
    return Item(line, record)


def _mapped(
    items: Iterator[Item], mapper: Callable[[int, Any], ExportRow], result: ExportImportResult
) -> Iterator[ExportRow]:
    for item in items:
        result.rows += 1
        if item.error is not None:
            result.reject(item.line, item.error)
            continue
        try:
            row = mapper(item.line, item.data)
        except BadRow as exc:
            result.reject(item.line, str(exc))
            continue
        result.warnings.extend(RowError(item.line, p) for p in row.problems[: MAX_REPORTED - len(result.warnings)])
        yield row


def read_rows(stream: IO[str], fmt: ExportFormat, result: ExportImportResult, loader: FrameLoader,
              platform: Platform | None = None, progress: ImportProgress | None = None) -> Iterator[ExportRow]:  # fmt: skip
    """Mapped rows of an export (bad ones are recorded on ``result``); detects the format when auto. Clean rows of
    a creator list go straight to ``loader`` instead."""
    is_json, head = _is_json(stream)
    if is_json:
        if fmt is ExportFormat.creator_list:
            raise InvalidInput("creator lists are read from CSV; this file is JSON")
        fmt = detect_format(head, None) if fmt is ExportFormat.auto else fmt
        result.format = fmt
        mapper = fast_instagram if fmt is ExportFormat.apify_instagram else fast_tiktok
        return _mapped(iter_json(stream), mapper, result)
    size = stream.seek(0, 2)
    stream.seek(0)
    reader, headers = csv_header(stream)
    if not headers:
        raise ImportRejected(rows=[RowError(1, "the file is empty")])
    fmt = detect_format(head, headers) if fmt is ExportFormat.auto else fmt
    result.format = fmt
    return _csv_items(fmt, result, platform, headers, reader, loader, size, progress or (lambda rows: None))


def import_stream(session: Session, workspace_id: int, stream: IO[str], fmt: ExportFormat = ExportFormat.auto, *,
                  platform: Platform | None = None, strict: bool = False,
                  progress: ImportProgress | None = None) -> ExportImportResult:  # fmt: skip
    """Import an export into a workspace inside the session's transaction; see the module doc for bad rows."""
    with _fewer_collections():
        return _import_stream(session, workspace_id, stream, fmt, platform, strict, progress)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.set_threshold(max(GC_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _import_stream(session: Session, workspace_id: int, stream: IO[str], fmt: ExportFormat,
                   platform: Platform | None, strict: bool, progress: ImportProgress | None) -> ExportImportResult:  # fmt: skip
    result = ExportImportResult(fmt)
    writer = BulkWriter(session, workspace_id)
    loader = FrameLoader(session, workspace_id, writer.counts)
    try:
        batch: list[ExportRow] = []
        posts = 0
        for row in read_rows(stream, fmt, result, loader, platform, progress):
            batch.append(row)
            posts += len(row.posts)
            if len(batch) >= BATCH_ROWS or posts >= BATCH_POSTS:
                _flush(writer, batch, result, progress, strict)
                batch, posts = [], 0
        _flush(writer, batch, result, progress, strict)
        if strict and result.bad_row_count:
            raise ImportRejected(rows=result.bad_rows)
        if result.rows == 0:
            raise ImportRejected(rows=[RowError(1, "the file has no rows")])
        loader.finish()
    finally:
        loader.restore()
    result.counts = writer.counts
    if writer.counts.accounts_new + writer.counts.posts_new > 1000:
        # Only the tables an import writes: a whole-database ANALYZE took 0.5 s more at 100k rows (PostgreSQL).
        for table in ("creator", "social_account", "post"):
            session.execute(text(f"ANALYZE {table}"))
    return result


def _flush(writer: BulkWriter, batch: list[ExportRow], result: ExportImportResult,
           progress: ImportProgress | None, strict: bool) -> None:  # fmt: skip
    # In strict mode nothing will be kept once a row is bad: stop writing, keep reading to list every bad line.
    if batch and not (strict and result.bad_row_count):
        writer.write(batch)
    if progress is not None:
        progress(result.rows)


def import_file(session: Session, workspace_id: int, path: Path, fmt: ExportFormat = ExportFormat.auto, *,
                platform: Platform | None = None, strict: bool = False,
                progress: ImportProgress | None = None) -> ExportImportResult:  # fmt: skip
    """Import an export file (UTF-8, a BOM is fine); see :func:`import_stream`."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return import_stream(
                session, workspace_id, stream, fmt, platform=platform, strict=strict, progress=progress
            )
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text (byte {exc.start}): export it as UTF-8") from None
