"""A tiny IMAP4rev1 server on 127.0.0.1 for the reply tests: just the commands imaplib sends to read a folder
read-only (CAPABILITY, LOGIN, EXAMINE, UID SEARCH, UID FETCH BODY.PEEK[], LOGOUT), over a real socket."""

from __future__ import annotations

import re
import socketserver
import threading
from typing import Any

UID_VALIDITY = 7


class _Handler(socketserver.StreamRequestHandler):
    server: ImapServer

    def _send(self, *lines: bytes) -> None:
        self.wfile.write(b"".join(line + b"\r\n" for line in lines))

    def handle(self) -> None:
        self._send(b"* OK [CAPABILITY IMAP4rev1] test server ready")
        while line := self.rfile.readline():
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            command, _, args = rest.partition(b" ")
            self.server.commands.append(rest.decode())
            name = command.upper()
            if name == b"CAPABILITY":
                self._send(b"* CAPABILITY IMAP4rev1", tag + b" OK done")
            elif name == b"LOGIN":
                ok = args.split(b" ")[0].strip(b'"') == self.server.user.encode()
                self._send(tag + (b" OK logged in" if ok else b" NO [AUTHENTICATIONFAILED] wrong login"))
            elif name in (b"EXAMINE", b"SELECT"):
                count = len(self.server.messages)
                self._send(f"* {count} EXISTS".encode(), f"* OK [UIDVALIDITY {UID_VALIDITY}] UIDs valid".encode(),
                           tag + b" OK [READ-ONLY] done")  # fmt: skip
            elif name == b"UID":
                self._uid(tag, args)
            elif name == b"LOGOUT":
                self._send(b"* BYE", tag + b" OK bye")
                return
            else:
                self._send(tag + b" BAD unknown command")

    def _uid(self, tag: bytes, args: bytes) -> None:
        sub, _, rest = args.partition(b" ")
        uids = sorted(self.server.messages)
        if sub.upper() == b"SEARCH":
            start = int(re.search(rb"UID (\d+):\*", rest).group(1))  # type: ignore[union-attr]
            found = [u for u in uids if u >= start] or uids[-1:]  # "n:*" always names the newest (RFC 3501)
            self._send(b"* SEARCH " + b" ".join(str(u).encode() for u in found), tag + b" OK done")
        elif sub.upper() == b"FETCH":
            uid = int(rest.split(b" ")[0])
            raw = self.server.messages[uid]
            seq = uids.index(uid) + 1
            self.wfile.write(f"* {seq} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode() + raw + b")\r\n")
            self._send(tag + b" OK done")
        else:
            self._send(tag + b" BAD unknown UID command")


class ImapServer(socketserver.ThreadingTCPServer):
    """Serves ``messages`` (uid -> raw RFC 5322 bytes) to the user ``user``; records the commands it got."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, user: str = "replies@brand.test") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.user = user
        self.messages: dict[int, bytes] = {}
        self.commands: list[str] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        """Where it listens."""
        return int(self.server_address[1])

    def __enter__(self) -> ImapServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()
        self.server_close()
