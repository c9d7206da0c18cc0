"""What every connector is: a registered class that syncs one Connection into the database."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar, Protocol, TypeVar

import httpx
from sqlalchemy.orm import Session

from grassroots.connectors.models import Connection
from grassroots.errors import GrassrootsError

Progress = Callable[[str, int, int | None], None]
"""Progress callback: (stage, done, total or None)."""


def no_progress(stage: str, done: int, total: int | None) -> None:
    """A Progress that ignores updates."""


@dataclass(frozen=True)
class Skip:
    """An item a sync did not store, and why (shown to the user, recorded on the SyncRun)."""

    item: str
    reason: str


@dataclass
class SyncSummary:
    """What a sync did: fetched items, new and updated rows, skipped items with reasons."""

    fetched: int = 0
    new: int = 0
    updated: int = 0
    skipped: list[Skip] = field(default_factory=list)
    stopped_at_quota: bool = False
    # Things stored with a caveat (a hidden like count, say): reported, not counted as skipped.
    notes: list[Skip] = field(default_factory=list)

    def skip(self, item: str, reason: str) -> None:
        """Record one skipped item."""
        self.skipped.append(Skip(item, reason))

    def note(self, item: str, reason: str) -> None:
        """Record a caveat about a stored item."""
        self.notes.append(Skip(item, reason))


class Connector(Protocol):
    """A provider's connector.

    ``sync`` commits after every page (data and cursor together, see ``repository.save_cursor``), so an
    error keeps what was stored and the next run resumes. Connectors keep their running totals in
    ``self.summary`` so the service can record a partial run when an exception interrupts ``sync``.
    """

    provider: ClassVar[str]
    secret_fields: ClassVar[tuple[str, ...]]
    config_fields: ClassVar[tuple[str, ...]]
    summary: SyncSummary

    def __init__(
        self, connection: Connection, secrets: dict[str, str], *, transport: httpx.BaseTransport | None = None
    ) -> None: ...

    def sync(self, session: Session, progress: Progress) -> SyncSummary:
        """Fetch new and changed data, store it, return the summary."""
        ...


class BaseConnector:
    """Optional convenience base: stores the constructor arguments and a running ``summary``."""

    provider: ClassVar[str] = ""
    secret_fields: ClassVar[tuple[str, ...]] = ()
    # Secret fields that may be left empty at connect time (a webhook secret, say).
    optional_secrets: ClassVar[tuple[str, ...]] = ()
    config_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self, connection: Connection, secrets: dict[str, str], *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.connection = connection
        self.secrets = secrets
        self.transport = transport
        self.config: dict[str, object] = dict(connection.config or {})
        self.summary = SyncSummary()
        # Tests replace these: waits between retries, and "today" for snapshots and rolling windows.
        self.sleep: Callable[[float], None] = time.sleep
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def int_setting(self, name: str, default: int) -> int:
        """A whole-number config value; a bad value is a ConnectorError naming the setting."""
        raw = self.config_str(name, str(default))
        try:
            return int(raw)
        except ValueError:
            raise ConnectorError(f"the {self.provider} setting {name} must be a whole number, not {raw!r}") from None

    def config_str(self, name: str, default: str = "") -> str:
        """A config value as a stripped string."""
        value = self.config.get(name)
        return default if value is None or value == "" else str(value).strip()


REGISTRY: dict[str, type[Connector]] = {}
C = TypeVar("C")


def register(cls: C) -> C:
    """Class decorator: make a connector available under its ``provider`` name."""
    provider: str = getattr(cls, "provider", "")
    if not provider:
        raise ValueError(f"{cls!r} has no provider name")
    REGISTRY[provider] = cls  # type: ignore[assignment]
    return cls


class ConnectorError(GrassrootsError):
    """A connection is misconfigured (a missing config field, say)."""

    status = 422
    title = "Connection misconfigured"
