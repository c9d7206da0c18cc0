"""A base for connectors that poll an HTTP API: an injectable clock and sleep, whole-number settings."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from grassroots.connectors.base import BaseConnector, ConnectorError
from grassroots.connectors.models import Connection


class ApiConnector(BaseConnector):
    """Tests replace ``now`` (quota days, snapshot days) and ``sleep`` (retry waits); the code reads only these."""

    def __init__(
        self, connection: Connection, secrets: dict[str, str], *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(connection, secrets, transport=transport)
        self.sleep: Callable[[float], None] = time.sleep
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def whole(self, name: str, default: int) -> int:
        """A whole-number setting, or ConnectorError naming it."""
        try:
            return int(self.config_str(name, str(default)))
        except ValueError:
            raise ConnectorError(f"{name} must be a whole number, not {self.config_str(name)!r}") from None
