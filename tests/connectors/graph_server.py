"""A local HTTP server that answers like the Instagram Graph API from the recorded-shape fixtures.

The real connector code (URLs, auth params, paging, retries, usage headers) talks to it over TCP.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.support import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "instagram"
OWN_ID = "17841400000000001"
TOKEN = "EAAGtestTOKENvalue1234567890secret"
VERSION = "v21.0"
NORMAL_USAGE = {"x-app-usage": json.dumps({"call_count": 3, "total_cputime": 1, "total_time": 2})}


def fixture(name: str) -> Any:
    """A fixture's JSON."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


@dataclass
class Reply:
    """One canned answer: status, JSON body (or fixture name), headers."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    path: str
    contains: str | None
    replies: list[Reply]


@dataclass
class Seen:
    """A request the server received."""

    path: str
    query: dict[str, str]
    raw_query: str


class GraphServer:
    """Routes (path + substring of the decoded query) to replies; later routes win; the last reply repeats."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Seen] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT (the Graph version is appended by the client)."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, path: str, *replies: Reply | str | dict[str, Any], contains: str | None = None) -> None:
        """Answer GET /{version}/{path} (whose query contains ``contains``) with the replies in order."""
        parsed = [r if isinstance(r, Reply) else Reply(r) for r in replies]
        self.routes.insert(0, Route(path.strip("/"), contains, parsed))

    def reply_for(self, path: str, query: str) -> Reply:
        for route in self.routes:
            if route.path == path and (route.contains is None or route.contains in query):
                return route.replies.pop(0) if len(route.replies) > 1 else route.replies[0]
        return Reply({"error": {"message": f"Unknown path {path}", "type": "GraphMethodException", "code": 100}}, 400)

    def calls(self, path: str, contains: str | None = None) -> list[Seen]:
        """Requests received for a path (and query substring)."""
        return [s for s in self.requests if s.path == path and (contains is None or contains in s.raw_query)]

    def standard(self, handles: tuple[str, ...] = ("ana.glow", "friend.private")) -> None:
        """The recorded world: own profile and media, comments, insights, tags, discovery, hashtags."""
        self.add(OWN_ID, "own_profile", contains="fields=id,username")
        self.add(f"{OWN_ID}/media", "own_media_page1")
        self.add(f"{OWN_ID}/media", "own_media_page2", contains="after=QVFIUm93bl9hZnRlcjE")
        self.add("17900000000000001/comments", "comments_m1")
        self.add("17900000000000001/insights", "insights_m1")
        self.add("17900000000000002/insights", Reply("error_insights_unavailable", 400))
        self.add(f"{OWN_ID}/tags", "tags")
        if "ana.glow" in handles:
            base = "business_discovery.username(ana.glow)"
            self.add(OWN_ID, "discovery_ana_page1", contains=base)
            self.add(OWN_ID, "discovery_ana_page2", contains="media.after(QVFIUmFuYWFmdGVyMQ)")
            self.add(OWN_ID, "discovery_ana_page3", contains="media.after(QVFIUmFuYWFmdGVyMg)")
        if "friend.private" in handles:
            self.add(
                OWN_ID, Reply("error_not_professional", 400), contains="business_discovery.username(friend.private)"
            )
        self.add("ig_hashtag_search", "hashtag_search")
        self.add("17843853986012965/recent_media", "hashtag_recent_media")
        self.add(OWN_ID, "mentioned_media", contains="mentioned_media.media_id(17900000000000401)")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                path = url.path.strip("/").removeprefix(VERSION).strip("/")
                raw = unquote(url.query)
                server.requests.append(Seen(path, dict(parse_qsl(url.query)), raw))
                reply = server.reply_for(path, raw)
                body = fixture(reply.body) if isinstance(reply.body, str) else reply.body
                data = json.dumps(body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                for key, value in {**NORMAL_USAGE, **reply.headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> GraphServer:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


def serve() -> Iterator[GraphServer]:
    """A started server with the standard world (use as a pytest fixture body)."""
    with GraphServer() as server:
        server.standard()
        yield server
