"""A local HTTP server on 127.0.0.1 standing in for Instagram, TikTok and Google (authorize, token, insights).

It serves the recorded-shape fixtures in tests/fixtures/creator_oauth/, checks what the real client code sends
(client secret, code, grant types, bearer tokens) and records every request, so tests can assert on them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.support import FIXTURES

FIX = FIXTURES / "creator_oauth"
CLIENT_SECRET = "app-secret-for-tests-000"
CODE = "AQBx-authorisation-code-example"
IG_LONG = "IGAAlongLIVEDtoken1111example"
IG_REFRESHED = "IGAArefreshedTOKEN2222example"


def fixture(name: str) -> Any:
    """One fixture's JSON."""
    return json.loads((FIX / f"{name}.json").read_text())


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]


@dataclass
class PlatformServer:
    """Routes by (method, path); ``overrides`` replace an answer: {(method, path): (status, body)}."""

    base: str = ""
    requests: list[Seen] = field(default_factory=list)
    overrides: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)

    def urls(self) -> dict[str, str]:
        """Settings ``creator_oauth_urls`` pointing every platform here."""
        b = self.base
        return {
            "instagram.authorize": f"{b}/oauth/authorize", "instagram.token": f"{b}/oauth/access_token",
            "instagram.graph": b, "tiktok.authorize": f"{b}/v2/auth/authorize/", "tiktok.api": b,
            "youtube.authorize": f"{b}/o/oauth2/v2/auth", "youtube.token": f"{b}/token",
            "youtube.revoke": f"{b}/revoke", "youtube.analytics": b,
        }  # fmt: skip

    def seen(self, path: str) -> list[Seen]:
        """Requests to one path."""
        return [r for r in self.requests if r.path == path]

    def answer(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        """(status, JSON body, headers) for one request."""
        key = (seen.method, seen.path)
        if key in self.overrides:
            status, body = self.overrides[key]
            return status, body, {}
        if seen.path in ("/oauth/authorize", "/v2/auth/authorize/", "/o/oauth2/v2/auth"):
            # The person approves: back to the redirect URI with a code and the state, untouched.
            target = f"{seen.query['redirect_uri']}?{urlencode({'code': CODE, 'state': seen.query.get('state', '')})}"
            return 302, None, {"Location": target}
        return self._data(seen)

    def _data(self, s: Seen) -> tuple[int, Any, dict[str, str]]:
        q, f, p = s.query, s.form, s.path
        bearer = s.headers.get("authorization", "")
        if p == "/oauth/access_token":
            ok = (
                f.get("code") == CODE
                and f.get("client_secret") == CLIENT_SECRET
                and f.get("grant_type") == "authorization_code"
            )
            return (
                (200, fixture("instagram_code_exchange"), {}) if ok else (400, fixture("instagram_error_code_used"), {})
            )
        if p == "/access_token":
            ok = q.get("grant_type") == "ig_exchange_token" and q.get("client_secret") == CLIENT_SECRET
            return (
                (200, fixture("instagram_long_lived"), {})
                if ok
                else (400, fixture("instagram_error_expired_token"), {})
            )
        if p == "/refresh_access_token":
            ok = q.get("grant_type") == "ig_refresh_token" and q.get("access_token") == IG_LONG
            return (
                (200, fixture("instagram_refresh"), {}) if ok else (400, fixture("instagram_error_expired_token"), {})
            )
        if p.startswith("/v21.0/"):
            if q.get("access_token") not in (IG_LONG, IG_REFRESHED):
                return 400, fixture("instagram_error_expired_token"), {}
            return self._graph(p, q)
        if p == "/v2/oauth/token/":
            grant = f.get("grant_type")
            if f.get("client_secret") != CLIENT_SECRET or (grant == "authorization_code" and f.get("code") != CODE):
                return 200, fixture("tiktok_error_invalid_grant"), {}
            return 200, fixture("tiktok_token" if grant == "authorization_code" else "tiktok_token_refreshed"), {}
        if p == "/v2/oauth/revoke/":
            return 200, {}, {}
        if p == "/v2/user/info/":
            return 200, fixture("tiktok_user_info"), {}
        if p == "/v2/video/list/":
            return 200, fixture("tiktok_video_list"), {}
        if p == "/token":
            if f.get("client_secret") != CLIENT_SECRET:
                return 400, fixture("google_error_invalid_grant"), {}
            return 200, fixture("google_token"), {}
        if p == "/revoke":
            return 200, {}, {}
        if p == "/v2/reports" and bearer.startswith("Bearer ya29."):
            name = {"ageGroup,gender": "youtube_age_gender", "country": "youtube_country"}.get(
                q.get("dimensions", ""), "youtube_videos"
            )
            return 200, fixture(name), {}
        return 404, {"error": {"message": f"no route {s.method} {p}", "code": 404}}, {}

    def _graph(self, path: str, q: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        parts = path.split("/")  # ["", "v21.0", id, edge?]
        if parts[2] == "me":
            return 200, fixture("instagram_me"), {}
        if parts[3] == "media":
            return 200, fixture("instagram_media"), {}
        if q.get("metric") == "follower_demographics":
            return 200, fixture(f"instagram_demographics_{q['breakdown']}"), {}
        media = {"18030000000000001": "instagram_media_insights_1", "18030000000000002": "instagram_media_insights_2"}
        if parts[2] in media:
            return 200, fixture(media[parts[2]]), {}
        return 400, fixture("instagram_error_not_enough_viewers"), {}


def _handler(server: PlatformServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            form = dict(parse_qsl(raw)) if "x-www-form-urlencoded" in (self.headers.get("content-type") or "") else {}
            seen = Seen(
                method, parts.path, dict(parse_qsl(parts.query)), form, {k.lower(): v for k, v in self.headers.items()}
            )
            server.requests.append(seen)
            status, body, headers = server.answer(seen)
            payload = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler


@contextmanager
def running() -> Iterator[PlatformServer]:
    """A platform server on a free port of 127.0.0.1 for the duration of the block."""
    state = PlatformServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
