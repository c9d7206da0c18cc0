"""A fake YouTube Data API v3 behind httpx.MockTransport, answering from the recorded-shape fixtures.

The real connector code (API key parameter, paging tokens, ids batches, retries, 403 reasons) runs against it.
Channels by id or forHandle, playlist pages by pageToken, videos filtered by the requested ids like the real API,
comment threads by video and pageToken; ``fail`` queues error replies for an endpoint.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx

from tests.support import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "youtube"
API_KEY = "AIzaSyTEST-key-0123456789abcdefghij"
CHANNEL_A = "UCa1b2c3d4e5f6g7h8i9j0kL"
HANDLES = {"@vegan_mo": "channels_vegan_mo", "@quietmaker": "channels_hiddensubs"}


def fixture(name: str) -> Any:
    """A fixture's JSON."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


class FakeYouTube:
    """Counts calls per endpoint; ``fail[endpoint]`` is a list of (status, fixture) replies served first."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.fail: dict[str, list[tuple[int, str]]] = {}
        self.requests: list[httpx.Request] = []
        self.comments_disabled = {"vid00000003"}
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Route one request like the real API would answer it."""
        self.requests.append(request)
        endpoint = request.url.path.rsplit("/", 1)[-1]
        self.calls[endpoint] += 1
        q = request.url.params
        if q.get("key") != API_KEY:
            return httpx.Response(400, json=fixture("error_key_invalid"))
        if self.fail.get(endpoint):
            status, name = self.fail[endpoint].pop(0)
            return httpx.Response(status, json=fixture(name))
        token = q.get("pageToken") or "first"
        if endpoint == "channels":
            name = "channels_vegan_mo" if q.get("id") == CHANNEL_A else HANDLES.get(q.get("forHandle", ""))
            return httpx.Response(200, json=fixture(name or "channels_empty"))
        if endpoint == "playlistItems":
            return httpx.Response(200, json=fixture(f"playlist_{q['playlistId']}_{token}"))
        if endpoint == "videos":
            wanted = q["id"].split(",")
            assert len(wanted) <= 50, "videos.list takes at most 50 ids"
            body = fixture("videos")
            body["items"] = [v for v in body["items"] if v["id"] in wanted]
            return httpx.Response(200, json=body)
        if endpoint == "commentThreads":
            if q["videoId"] in self.comments_disabled:
                return httpx.Response(403, json=fixture("error_comments_disabled"))
            return httpx.Response(200, json=fixture(f"comments_{q['videoId']}_{token}"))
        return httpx.Response(404, json={"error": {"code": 404, "message": "Not Found", "errors": []}})

    @property
    def units(self) -> int:
        """Quota units the calls so far cost (every list call is 1 unit)."""
        return sum(self.calls.values())
