"""An aiosmtpd sink on 127.0.0.1 (tests assert on what arrived) and settings that send to it."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from grassroots.config import Settings


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SinkHandler:
    """Keeps every message; ``reply`` (e.g. "451 …" or "550 …") makes the server refuse instead."""

    received: list[Message] = field(default_factory=list)
    reply: str | None = None
    delay: float = 0.0  # seconds before the server accepts (a slow server: time to kill a worker mid-send)

    slow_rcpt: dict[str, float] = field(default_factory=dict)  # address -> seconds, once: a kill lands before DATA

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        await asyncio.sleep(self.slow_rcpt.pop(address, 0.0))
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        if self.reply:
            return self.reply
        self.received.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class Sink:
    """A local SMTP server that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = SinkHandler()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Message]:
        """Messages that arrived, in order."""
        return self.handler.received

    def start(self) -> None:
        """Listen (again)."""
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening: clients get 'connection refused'."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def sink() -> Iterator[Sink]:
    """A running SMTP sink."""
    server = Sink()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path: Path, sink: Sink) -> Settings:
    """Settings sending to the sink; no embedded runner (tests run jobs themselves, on their own clock)."""
    return Settings(data_dir=tmp_path, secret_key="test-secret", smtp_host="127.0.0.1", smtp_port=sink.port,
                    smtp_tls="none", smtp_from="hello@brand.test", smtp_timeout=5, jobs_in_server=False,
                    public_url="https://grassroots.brand.test")  # fmt: skip
