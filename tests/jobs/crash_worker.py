"""A worker process for the kill -9 tests: ``python crash_worker.py DATABASE_URL LEASE_SECONDS [SMTP_PORT]``.

It registers ``test.slow`` (slow on its first attempt, so the test can kill it mid-run) and runs the real
runner with a short lease.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grassroots.config import Settings
from grassroots.db.session import make_engine
from grassroots.jobs import queue
from grassroots.jobs.queue import JobContext
from grassroots.jobs.runner import Runner


def stop_stray_runners() -> list[str]:
    """Stop job-runner threads an earlier test's app left running in this process (they would claim the crash
    test's jobs and hold them behind a retry delay); the names of what was stopped."""
    stray = [obj for obj in gc.get_objects() if isinstance(obj, Runner) and obj.running]
    for runner in stray:
        runner.stop(5.0)
    return [repr(r) for r in stray]


def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll until ``check`` holds (for the tests that drive these workers)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def start(url: str, lease: str, *extra: str) -> subprocess.Popen[bytes]:
    """Start this file as a worker process."""
    return subprocess.Popen([sys.executable, __file__, url, lease, *extra])


@queue.handler("test.slow")
def slow(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Log the start and end of each attempt; the first attempt sleeps long enough to be killed."""
    log = Path(payload["log"])
    with log.open("a") as out:
        out.write(f"start {ctx.attempt}\n")
    time.sleep(float(payload["seconds"]) if ctx.attempt == 1 else 0.1)
    with log.open("a") as out:
        out.write(f"done {ctx.attempt}\n")


if __name__ == "__main__":
    url, lease = sys.argv[1], float(sys.argv[2])
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    settings = Settings(secret_key="test-secret", smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none",
                        smtp_from="hello@brand.test", smtp_timeout=5, public_url="https://grassroots.brand.test")  # fmt: skip
    Runner(make_engine(url), settings, lease_seconds=lease, poll_seconds=0.1).run_forever()
