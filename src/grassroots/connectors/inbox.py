"""The webhook inbox worker: processes stored deliveries in batches, on one thread, inside the server.

A request thread stores its delivery (durably, committed) and hands the row id to the inbox, then waits a
moment for the result. The worker takes every id waiting at that time and processes them in one transaction,
so 20 concurrent senders cost one batch, not 20 (on SQLite, one writer either way). A delivery left behind
(the wait timed out, processing failed, or the process died) is found again by the sweep and retried.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from sqlalchemy import Engine

log = logging.getLogger("grassroots.connectors.inbox")
BATCH = 500
SWEEP_SECONDS = 5.0

Process = Callable[[Engine, list[int]], dict[int, str]]
Pending = Callable[[Engine], list[int]]


class Inbox:
    """One worker thread over ``process`` (row ids -> statuses); ``pending`` finds rows to sweep up."""

    def __init__(self, engine: Engine, process: Process, pending: Pending) -> None:
        self.engine = engine
        self.process = process
        self.pending = pending
        self._queue: queue.Queue[tuple[int, Future[str]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the worker thread is alive (without it, callers process inline)."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the worker (idempotent)."""
        if not self.running:
            self._thread = threading.Thread(target=self._run, name="webhook-inbox", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what is queued, then stop."""
        if self.running:
            self._queue.put(None)
            assert self._thread is not None
            self._thread.join(timeout)

    def submit(self, ids: list[int], timeout: float) -> dict[int, str]:
        """Queue stored rows and wait up to ``timeout`` s; a row not done by then is ``accepted`` (still queued)."""
        if not self.running:
            return self.process(self.engine, ids)
        futures = {row_id: Future[str]() for row_id in ids}
        for row_id, future in futures.items():
            self._queue.put((row_id, future))
        results = {}
        for row_id, future in futures.items():
            try:
                results[row_id] = future.result(timeout)
            except FutureTimeout:
                results[row_id] = "accepted"
        return results

    def _run(self) -> None:
        stopping = False
        while not stopping:
            try:
                first = self._queue.get(timeout=SWEEP_SECONDS)
            except queue.Empty:
                self._sweep()
                continue
            batch: dict[int, list[Future[str]]] = {}
            item = first
            while True:
                if item is None:
                    stopping = True
                else:
                    batch.setdefault(item[0], []).append(item[1])
                if len(batch) >= BATCH or self._queue.empty():
                    break
                item = self._queue.get_nowait()
            if batch:
                self._answer(batch)

    def _answer(self, batch: dict[int, list[Future[str]]]) -> None:
        try:
            statuses = self.process(self.engine, list(batch))
        except Exception:  # the rows stay unfinished; the sweep retries them
            log.exception("webhook inbox batch of %d failed", len(batch))
            statuses = {}
        for row_id, futures in batch.items():
            for future in futures:
                future.set_result(statuses.get(row_id, "accepted"))

    def _sweep(self) -> None:
        try:
            ids = self.pending(self.engine)
            if ids:
                log.info("webhook inbox: retrying %d stored deliveries", len(ids))
                self.process(self.engine, ids)
        except Exception:
            log.exception("webhook inbox sweep failed")
