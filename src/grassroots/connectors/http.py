"""The one HTTP client every connector uses: retries, backoff, Retry-After, usage hooks, redaction."""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from grassroots.connectors.outbound import guard
from grassroots.errors import GrassrootsError

log = logging.getLogger("grassroots.connectors.http")
REDACTED = "***"
# Tokens also travel in query strings (Meta's access_token): scrub those even when not listed as secrets.
_QUERY_SECRET = re.compile(r"(?i)\b(access_token|client_secret|api_key|key|token|consumer_secret)=([^&\s\"']+)")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class _RedactTokens(logging.Filter):
    """httpx logs every request URL at INFO, query string included: scrub tokens before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


logging.getLogger("httpx").addFilter(_RedactTokens())


class ApiError(GrassrootsError):
    """An external API refused or failed a call.

    ``upstream_status`` is the provider's HTTP status (0 for a network failure) and ``code`` its error code;
    ``status`` stays the HTTP status *we* answer with (502: the provider failed us).
    """

    status = 502
    title = "Provider error"

    def __init__(self, status: int, code: str | int | None, message: str) -> None:
        super().__init__(message)
        self.upstream_status = status
        self.code = code
        self.message = message


class AuthFailed(ApiError):
    """The stored credentials were rejected (expired, revoked): the user must reconnect."""

    title = "Reconnect needed"


class RateLimited(ApiError):
    """The provider kept answering 429 (or asked us to wait longer than we will)."""

    status = 503
    title = "Rate limited"


class QuotaExhausted(ApiError):
    """The quota for this period is (nearly) used up: stop cleanly and resume on the next run."""

    status = 503
    title = "Quota exhausted"


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret value and every token-looking query parameter replaced by ***."""
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _QUERY_SECRET.sub(lambda m: f"{m.group(1)}={REDACTED}", text)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Seconds a response asks us to wait (``Retry-After`` as seconds or an HTTP date), if any."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def error_message(response: httpx.Response) -> tuple[str | int | None, str]:
    """The (code, message) of an error body in the common JSON shapes, else the status text."""
    try:
        body = response.json()
    except ValueError:
        return None, f"HTTP {response.status_code} {response.reason_phrase}".strip()
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        # Meta: {"error": {"message", "type", "code", ...}}; Google: {"error": {"code", "message", "errors"}}.
        return err.get("code"), str(err.get("message") or err.get("type") or response.reason_phrase)
    if isinstance(err, str):
        return err, str(body.get("error_description") or body.get("message") or err)
    if isinstance(body, dict) and ("errors" in body or "message" in body):
        return body.get("code"), str(body.get("message") or body.get("errors"))
    return None, f"HTTP {response.status_code} {response.reason_phrase}".strip()


class ApiClient:
    """A JSON HTTP client for one provider; never lets a secret reach an error, a log line or a page."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        max_retries: int = 5,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        on_response: Callable[[httpx.Response], None] | None = None,
        secrets: Iterable[str] = (),
        timeout: float = 30.0,
        max_wait: float = 300.0,
        official_hosts: tuple[str, ...] = (),
    ) -> None:
        self.secrets = tuple(s for s in secrets if s)
        self.max_retries = max_retries
        self.backoff = backoff
        self.sleep = sleep
        self.on_response = on_response
        self.max_wait = max_wait
        self.calls = 0
        self._client = httpx.Client(
            base_url=base_url,
            headers=headers or {},
            params=params or {},
            transport=transport,
            timeout=timeout,
            follow_redirects=True,
            # Every request, redirects included, is checked against server-side request forgery.
            event_hooks={"request": guard(official_hosts)},
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def redact(self, text: str) -> str:
        """``text`` without this client's secrets."""
        return redact(text, self.secrets)

    def _wait(self, attempt: int, response: httpx.Response | None) -> float:
        asked = retry_after_seconds(response) if response is not None else None
        if asked is not None:
            return asked
        return self.backoff * (2**attempt) + random.uniform(0, self.backoff)

    def request(self, method: str, path_or_url: str, **kw: Any) -> httpx.Response:
        """Send a request, retrying 429, 5xx and network errors; raise ApiError subclasses on failure."""
        attempt = 0
        while True:
            self.calls += 1
            try:
                response = self._client.request(method, path_or_url, **kw)
            except httpx.TransportError as exc:
                if attempt >= self.max_retries:
                    raise ApiError(0, "network", self.redact(f"network error: {exc}")) from None
                log.warning("network error on %s, retrying: %s", method, self.redact(str(exc)))
                self.sleep(self._wait(attempt, None))
                attempt += 1
                continue
            log.debug("%s %s -> %s", method, self.redact(str(response.request.url)), response.status_code)
            if self.on_response is not None:
                self.on_response(response)
            if response.status_code < 400:
                return response
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                wait = self._wait(attempt, response)
                if wait > self.max_wait:
                    raise RateLimited(429, "retry_after", f"the provider asked us to wait {wait:.0f} s; try later")
                self.sleep(wait)
                attempt += 1
                continue
            raise self.error_for(response)

    def error_for(self, response: httpx.Response) -> ApiError:
        """The ApiError a failed response stands for, with secrets redacted."""
        code, message = error_message(response)
        message = self.redact(message)
        status = response.status_code
        if status == 401:
            return AuthFailed(status, code, f"the provider rejected the credentials ({message}); reconnect")
        if status == 429:
            return RateLimited(status, code, f"rate limited after {self.max_retries} retries: {message}")
        return ApiError(status, code, f"HTTP {status}: {message}")

    def get_json(self, path_or_url: str, params: dict[str, Any] | None = None) -> Any:
        """GET and decode JSON."""
        return self._json(self.request("GET", path_or_url, params=params))

    def post_json(self, path: str, json: Any = None) -> Any:
        """POST a JSON body and decode the JSON answer."""
        return self._json(self.request("POST", path, json=json))

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ApiError(
                response.status_code, "invalid_json", "the provider answered with something not JSON"
            ) from None

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
