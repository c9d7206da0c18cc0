"""The click log: durable lines, a crash loses nothing answered, flushing is idempotent, busy segments wait."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.tracking import clicklog
from grassroots.tracking.clicklog import ClickLine, ClickLog, Flusher, flush_folder, folder_of
from grassroots.tracking.link_models import ShortLink
from tests.support import make_user
from tests.tracking.links_world import _fresh_link_caches, click_count, clicks, make_link  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def line(link_id: int, n: int, ws: int = 1, bot: str | None = None) -> ClickLine:
    """A click line with a predictable id."""
    return ClickLine(c=f"click-{n:06d}", l=link_id, w=ws, t=time.time(), v="v" * 64, i="i" * 64,
                     u="Mozilla/5.0", r=None, m="GET", b=bot)  # fmt: skip


def setup_link(engine: Engine) -> int:
    make_user(engine)
    return make_link(engine)[0]


def test_a_killed_process_loses_no_click_and_a_new_flusher_stores_each_once(engine: Engine, settings: Settings) -> None:
    link_id = setup_link(engine)
    folder = folder_of(settings)
    script = textwrap.dedent(f"""
        import os, signal, sys, time
        from pathlib import Path
        from grassroots.tracking.clicklog import ClickLine, ClickLog
        log = ClickLog(Path({str(folder)!r}))
        for n in range(500):
            log.append(ClickLine(c=f"crash-{{n:04d}}", l={link_id}, w=0, t=time.time(), v="v", i="i", u=None,
                                 r=None, m="GET", b=None))
        print("written", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # no flush, no close, no atexit
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL and "written" in done.stdout, done.stderr
    assert [p.suffix for p in folder.iterdir()] == [".open"]  # the orphan of the killed writer

    assert flush_folder(engine, folder) == 500
    assert flush_folder(engine, folder) == 0
    assert click_count(engine) == 500
    stored = clicks(engine)
    assert {c.click_id for c in stored} == {f"crash-{n:04d}" for n in range(500)}
    assert {c.workspace_id for c in stored} == {link_of_ws(engine, link_id)}  # taken from the link, not the line
    assert list(folder.iterdir()) == []  # deleted after the commit


def link_of_ws(engine: Engine, link_id: int) -> int:
    with session_scope(engine) as s:
        link = s.get(ShortLink, link_id)
        assert link is not None
        return link.workspace_id


def test_flushing_the_same_lines_twice_stores_them_once(engine: Engine, settings: Settings) -> None:
    link_id = setup_link(engine)
    log = ClickLog(folder_of(settings))
    for n in range(30):
        log.append(line(link_id, n))
    sealed = log.seal()
    assert sealed is not None and sealed.suffix == ".sealed"
    shutil.copy(sealed, sealed.with_name("0-1-copy.sealed"))  # as if a crash came between commit and delete
    assert flush_folder(engine, folder_of(settings), batch=7) == 30
    assert click_count(engine) == 30


def test_a_live_writers_segment_waits_until_it_is_sealed(engine: Engine, settings: Settings) -> None:
    link_id = setup_link(engine)
    log = ClickLog(folder_of(settings))
    log.append(line(link_id, 1))
    assert flush_folder(engine, folder_of(settings)) == 0  # locked by its (living) writer
    log.append(line(link_id, 2))
    log.seal()
    log.append(line(link_id, 3))  # goes to a fresh segment
    assert flush_folder(engine, folder_of(settings)) == 2
    log.seal()
    assert flush_folder(engine, folder_of(settings)) == 1
    assert click_count(engine) == 3


def test_torn_lines_and_clicks_of_deleted_links_are_skipped_not_fatal(engine: Engine, settings: Settings) -> None:
    link_id = setup_link(engine)
    folder = folder_of(settings)
    folder.mkdir(parents=True, exist_ok=True)
    good = line(link_id, 1).encode() + line(link_id + 999, 2).encode()
    (folder / "1-2-abc.sealed").write_bytes(good + b'{"c":"torn-li')
    assert flush_folder(engine, folder) == 1
    assert [c.click_id for c in clicks(engine)] == ["click-000001"]
    assert list(folder.iterdir()) == []


def test_bots_are_stored_flagged(engine: Engine, settings: Settings) -> None:
    link_id = setup_link(engine)
    log = ClickLog(folder_of(settings))
    log.append(line(link_id, 1, bot="WhatsApp link preview"))
    log.append(line(link_id, 2))
    log.seal()
    flush_folder(engine, folder_of(settings))
    assert [(c.is_bot, c.bot_reason) for c in clicks(engine)] == [(True, "WhatsApp link preview"), (False, None)]


def test_the_flusher_thread_stores_what_its_process_wrote_and_flushes_on_stop(
    engine: Engine, settings: Settings
) -> None:
    link_id = setup_link(engine)
    fast = settings.model_copy(update={"click_flush_seconds": 0.05})
    flusher = Flusher(engine, fast).start()
    try:
        clicklog.click_log(fast).append(line(link_id, 1))
        deadline = time.monotonic() + 10
        while click_count(engine) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert click_count(engine) == 1
        clicklog.click_log(fast).append(line(link_id, 2))
    finally:
        flusher.stop()
    assert click_count(engine) == 2
    assert not [p for p in folder_of(fast).iterdir() if p.stat().st_size > 0]


def test_a_file_mode_keeps_the_log_private(settings: Settings) -> None:
    log = ClickLog(folder_of(settings))
    written = line(1, 1)
    log.append(written)
    (segment,) = list(folder_of(settings).iterdir())
    assert oct(segment.stat().st_mode & 0o777) == oct(0o600)
    assert oct(folder_of(settings).stat().st_mode & 0o777) == oct(0o700)
    assert segment.read_bytes() == written.encode()


def test_the_worker_job_stores_segments_a_server_left_behind(engine: Engine, settings: Settings) -> None:
    from grassroots.db.base import utcnow
    from grassroots.jobs.queue import HANDLERS, JobContext
    from grassroots.tracking.link_jobs import FLUSH_JOB

    link_id = setup_link(engine)
    log = ClickLog(folder_of(settings))
    log.append(line(link_id, 1))
    log.seal()
    context = JobContext(engine=engine, settings=settings, job_id=1, workspace_id=None, attempt=1, max_attempts=3,
                         now=utcnow())  # fmt: skip
    HANDLERS[FLUSH_JOB](context, {})
    HANDLERS[FLUSH_JOB](context, {})
    assert click_count(engine) == 1


def test_a_segment_renamed_while_the_folder_is_listed_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer can rename its ``.new`` file to ``.open`` between the listing and the look at its age."""
    (tmp_path / "segment-0001.open").write_bytes(b"")
    gone = tmp_path / "segment-0002.new"  # listed, then renamed away before anyone looks at it
    listed = [tmp_path / "segment-0001.open", gone]
    monkeypatch.setattr(Path, "iterdir", lambda self: iter(listed))
    assert clicklog.ready_segments(tmp_path) == [tmp_path / "segment-0001.open"]
