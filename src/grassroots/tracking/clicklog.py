"""The click log: one JSON line per redirect answered, appended to a local file, moved into ``click`` in batches.

Why a file and not the database: the redirector answers at once and must not lose a click when the database is
slow, locked or down, nor when the process is killed. ``os.write`` on an ``O_APPEND`` descriptor puts the line
in the kernel before the 302 leaves, so a ``kill -9`` loses nothing that was answered (``click_fsync`` also
survives a power cut, at a cost per click).

Segments live in ``<data_dir>/clicklog``: ``<pid>-<ns>-<rand>.open`` is the file a live process appends to (it
holds an exclusive ``flock`` on it), ``.sealed`` is a rotated one. A flusher takes any segment it can lock: a
sealed one, or an ``.open`` one whose process died (the kernel dropped its lock). It inserts the lines with
``ON CONFLICT (click_id) DO NOTHING`` and deletes the segment only after the commit, so a crash mid-flush just
means the segment is read again, and nothing is stored twice.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, TextClause, bindparam, select, text
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.db.session import private_dir, write_unit
from grassroots.tracking.link_models import Click, ShortLink

log = logging.getLogger(__name__)
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True).encode
FOLDER = "clicklog"


@dataclass(frozen=True, slots=True)
class ClickLine:
    """One answered redirect, as written to the log (short keys keep the line and the write small)."""

    c: str  # click id
    l: int  # noqa: E741 - link id
    w: int  # workspace id (checked against the link when stored)
    t: float  # unix time
    v: str  # visitor hash
    i: str  # ip hash
    u: str | None  # user agent
    r: str | None  # referer
    m: str  # method
    b: str | None  # bot reason (None: a person)

    def encode(self) -> bytes:
        """The line, newline-terminated."""
        row = {
            "c": self.c,
            "l": self.l,
            "w": self.w,
            "t": self.t,
            "v": self.v,
            "i": self.i,
            "u": self.u,
            "r": self.r,
            "m": self.m,
            "b": self.b,
        }  # fmt: skip  (dataclasses.asdict costs half the redirect)
        return (_ENCODE(row) + "\n").encode()


def folder_of(settings: Settings) -> Path:
    """Where this server's click log segments live."""
    return settings.data_dir / FOLDER


class ClickLog:
    """This process's writer: appends lines to its open segment and seals it when the flusher asks."""

    def __init__(self, folder: Path, *, fsync: bool = False) -> None:
        self.folder = folder
        self.fsync = fsync
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._path: Path | None = None
        self._pid = os.getpid()
        self._written = 0

    def _open(self) -> None:
        private_dir(self.folder)
        name = f"{os.getpid()}-{time.time_ns()}-{secrets.token_hex(3)}"
        fresh = self.folder / f"{name}.new"  # flushers ignore .new: it is locked before it is visible as .open
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._path = fresh.with_suffix(".open")
        os.rename(fresh, self._path)
        self._fd, self._pid, self._written = fd, os.getpid(), 0

    def append(self, line: ClickLine) -> None:
        """Write one click durably enough for a process kill (raises OSError when the disk refuses)."""
        data = line.encode()
        with self._lock:
            if self._fd is None or self._pid != os.getpid():  # first click, or a forked child
                self._open()
            assert self._fd is not None
            if os.write(self._fd, data) != len(data):
                raise OSError("short write to the click log")
            if self.fsync:
                os.fsync(self._fd)
            self._written += len(data)

    def seal(self) -> Path | None:
        """Rotate: the open segment becomes ``.sealed`` (ready to flush); the next click opens a new one."""
        with self._lock:
            if self._fd is None or self._path is None or self._pid != os.getpid() or self._written == 0:
                return None
            fd, path = self._fd, self._path
            self._fd, self._path = None, None
        sealed = path.with_suffix(".sealed")
        os.rename(path, sealed)  # renamed while still locked, so no flusher takes it for an orphan meanwhile
        os.close(fd)
        return sealed


_LOGS: dict[str, ClickLog] = {}
_LOGS_GUARD = threading.Lock()


def click_log(settings: Settings) -> ClickLog:
    """The process-wide writer for this data directory."""
    key = str(settings.data_dir)  # per click: a dict lookup, no path resolution
    found = _LOGS.get(key)
    if found is None:
        with _LOGS_GUARD:
            found = _LOGS.setdefault(key, ClickLog(folder_of(settings).resolve(), fsync=settings.click_fsync))
    return found


def _decode(raw: bytes) -> dict[str, Any] | None:
    try:
        row = json.loads(raw)
        return row if isinstance(row, dict) and isinstance(row.get("c"), str) else None
    except ValueError:  # a line torn by a power cut: nothing answered after it can be behind it
        return None


def _row(line: dict[str, Any], workspace_id: int) -> dict[str, Any]:
    return {
        "click_id": line["c"][:40],
        "link_id": int(line["l"]),
        "workspace_id": workspace_id,
        "at": datetime.fromtimestamp(float(line["t"]), UTC),
        "visitor": str(line["v"])[:64],
        "ip_hash": str(line["i"])[:64],
        "user_agent": (line.get("u") or None) and str(line["u"])[:500],
        "referer": (line.get("r") or None) and str(line["r"])[:1000],
        "method": str(line.get("m") or "GET")[:8],
        "is_bot": line.get("b") is not None,
        "bot_reason": (str(line["b"])[:100] if line.get("b") is not None else None),
    }


def store(session: Session, lines: list[dict[str, Any]]) -> int:
    """Insert clicks, skipping ones already stored (by click id) and ones whose link is gone; returns new rows.

    One fixed statement run by the driver over all rows (executemany), not a statement built per batch: the
    flusher shares its process with the redirector, and building a 500-row VALUES list in Python held the GIL
    long enough to stall redirects (docs/performance.md).
    """
    owners = dict(
        session.execute(
            select(ShortLink.id, ShortLink.workspace_id).where(ShortLink.id.in_({int(x["l"]) for x in lines}))
        ).all()
    )
    rows = [_row(x, owners[int(x["l"])]) for x in lines if int(x["l"]) in owners]
    if not rows:
        return 0
    return session.connection().execute(_insert_statement(), rows).rowcount  # both drivers sum it over the rows


@cache
def _insert_statement() -> TextClause:
    """INSERT … ON CONFLICT (click_id) DO NOTHING over the columns ``_row`` fills, with their types (dates)."""
    table = Click.__table__
    names = list(_row({"c": "", "l": 0, "t": 0, "v": "", "i": ""}, 0))
    sql = (f"INSERT INTO {Click.__tablename__} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)}) "
           "ON CONFLICT (click_id) DO NOTHING")  # fmt: skip
    return text(sql).bindparams(*(bindparam(n, type_=table.c[n].type) for n in names))


def _batches(data: bytes, size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for raw in data.splitlines():
        if raw.strip() and (line := _decode(raw)) is not None:
            batch.append(line)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def _unlink_same(fd: int, path: Path) -> None:
    """Delete the segment we hold, under whichever name it has now (its writer may have sealed it meanwhile)."""
    inode = os.fstat(fd).st_ino
    for name in (path, path.with_suffix(".sealed")):
        try:
            if name.stat().st_ino == inode:
                name.unlink()
                return
        except FileNotFoundError:
            continue


def flush_segment(engine: Engine, path: Path, batch: int) -> int | None:
    """Store one segment and delete it; None when it is busy (its writer is alive, or another flusher has it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        if os.fstat(fd).st_nlink == 0:  # another flusher stored and deleted it while we waited to look
            return None
        with os.fdopen(os.dup(fd), "rb") as reader:
            data = reader.read()
        stored = sum(write_unit(engine, partial(store, lines=rows)) for rows in _batches(data, batch))
        _unlink_same(fd, path)
        return stored
    finally:
        os.close(fd)


def ready_segments(folder: Path) -> list[Path]:
    """Sealed segments and open ones (orphans are among them), oldest first; stale empty ``.new`` files go."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name.split("-")[1] if "-" in p.name else p.name):
        if path.suffix in {".sealed", ".open"}:
            found.append(path)
        elif path.suffix == ".new" and _age(path) > 60 and flush_segment_empty(path):
            path.unlink(missing_ok=True)
    return found


def _age(path: Path) -> float:
    """Seconds since the file last changed; 0 when it is gone (a writer renamed it between listing and looking)."""
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def flush_segment_empty(path: Path) -> bool:
    """Whether an abandoned ``.new`` file can go: nobody holds it and it is empty (clicks only go to ``.open``)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return os.fstat(fd).st_size == 0
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def flush_folder(engine: Engine, folder: Path, batch: int = 2_000) -> int:
    """Store every segment no live writer holds (leftovers of a killed process included); returns new clicks."""
    return sum(flush_segment(engine, path, batch) or 0 for path in ready_segments(folder))


class Flusher:
    """The background thread of a server process: seals its segment and flushes every ready one each interval."""

    def __init__(self, engine: Engine, settings: Settings, *, on_tick: Callable[[], None] | None = None) -> None:
        self.engine, self.settings, self.on_tick = engine, settings, on_tick
        self.log = click_log(settings)
        self.stored = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def flush_once(self) -> int:
        """Seal this process's segment and store every ready one (leftovers first: they are the oldest)."""
        self.log.seal()
        stored = flush_folder(self.engine, self.log.folder, self.settings.click_flush_batch)
        self.stored += stored
        return stored

    def _run(self) -> None:
        pause = self.settings.click_flush_seconds
        while True:
            try:
                self.flush_once()
                if self.on_tick is not None:
                    self.on_tick()
                pause = self.settings.click_flush_seconds
            except Exception:  # the database is away: the clicks wait on disk, nothing is lost
                log.exception("click log: flush failed; retrying")
                pause = min(pause * 2, 30.0)
            if self._stop.wait(pause):
                break

    def start(self) -> Flusher:
        """Run on a daemon thread (idempotent)."""
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="click-flusher", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread, then flush what this process wrote (whatever fails stays on disk for the next run)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        try:
            self.flush_once()
        except Exception:
            log.exception("click log: final flush failed; the segments stay for the next start")
