"""What every creator-authorised platform offers: an authorize URL, code exchange, refresh, revoke, fetch.

A creator (not the brand) authorises the brand's app on their own account; the tokens that come back can read
what no outsider sees (audience demographics, reach, saves). Every call goes through the connectors' one HTTP
client (retries, SSRF guard, redaction). Endpoint addresses come from ``DEFAULT_URLS``, overridable by key only
through the operator's settings (``GRASSROOTS_CREATOR_OAUTH_URLS``), never from a workspace form.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from grassroots.connectors.http import ApiClient, ApiError, AuthFailed
from grassroots.errors import GrassrootsError

DEFAULT_URLS: dict[str, str] = {
    "instagram.authorize": "https://www.instagram.com/oauth/authorize",
    "instagram.token": "https://api.instagram.com/oauth/access_token",
    "instagram.graph": "https://graph.instagram.com",
    "tiktok.authorize": "https://www.tiktok.com/v2/auth/authorize/",
    "tiktok.api": "https://open.tiktokapis.com",
    "youtube.authorize": "https://accounts.google.com/o/oauth2/v2/auth",
    "youtube.token": "https://oauth2.googleapis.com/token",
    "youtube.revoke": "https://oauth2.googleapis.com/revoke",
    "youtube.analytics": "https://youtubeanalytics.googleapis.com",
}


class ReconnectNeeded(GrassrootsError):
    """The platform refused the token or the refresh: the creator has to connect again."""

    status = 409
    title = "Reconnect needed"


class AuthorisationRefused(GrassrootsError):
    """The platform did not accept the authorisation code (used twice, expired, wrong app)."""

    status = 400
    title = "Not connected"


@dataclass(frozen=True)
class App:
    """The brand's app on a platform, as the OAuth calls need it."""

    client_id: str
    client_secret: str
    redirect_uri: str


@dataclass(frozen=True)
class Tokens:
    """What a code exchange or a refresh gave."""

    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    scopes: str = ""
    account_id: str | None = None


@dataclass(frozen=True)
class PostFigures:
    """One post's private counts (None: the platform does not give that figure)."""

    id: str
    url: str | None
    posted_at: str | None
    reach: int | None = None
    saves: int | None = None
    shares: int | None = None
    views: int | None = None


@dataclass
class Figures:
    """What one fetch read: audience breakdowns (dimension -> key -> value) and the posts' counts."""

    account_name: str | None = None
    followers: int | None = None
    audience: dict[str, dict[str, float]] = field(default_factory=dict)
    audience_unit: str = "count"  # "count" (Instagram) or "percent" (YouTube viewerPercentage)
    posts: list[PostFigures] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def expiry(now: datetime, seconds: Any) -> datetime | None:
    """``now + seconds`` when the platform said how long a token lives."""
    try:
        return now + timedelta(seconds=int(seconds))
    except (TypeError, ValueError):
        return None


class CreatorAuthProvider(ABC):
    """One platform's creator OAuth flow and insight reads."""

    platform: str = ""
    label: str = ""
    official_hosts: tuple[str, ...] = ()
    # Error codes meaning "this token is dead", besides HTTP 401.
    dead_token_codes: frozenset[str | int] = frozenset()

    def __init__(self, urls: Mapping[str, str] | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.urls = {**DEFAULT_URLS, **(urls or {})}
        self.transport = transport

    def url(self, key: str) -> str:
        """The configured address of one endpoint (``<platform>.<key>``), exactly as documented (TikTok's ends in /)."""
        return self.urls[f"{self.platform}.{key}"]

    def root(self, key: str) -> str:
        """A configured API root, for appending paths."""
        return self.url(key).rstrip("/")

    def client(self, key: str, secrets: tuple[str, ...] = ()) -> ApiClient:
        """The shared HTTP client, rooted at one configured endpoint, guarded to the platform's hosts."""
        return ApiClient(
            self.root(key),
            transport=self.transport,
            secrets=secrets,
            official_hosts=self.official_hosts,
            max_retries=3,
        )

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Turn a rejected token into ReconnectNeeded; other provider errors pass through."""
        try:
            yield
        except AuthFailed as err:
            raise ReconnectNeeded(f"{self.label} no longer accepts the connection: {err.message}") from None
        except ApiError as err:
            if err.code in self.dead_token_codes:
                raise ReconnectNeeded(f"{self.label} no longer accepts the connection: {err.message}") from None
            raise

    @abstractmethod
    def authorize_url(self, app: App, state: str) -> str:
        """Where the creator's browser goes to authorise the app."""

    @abstractmethod
    def exchange(self, app: App, code: str, now: datetime) -> Tokens:
        """Trade the authorisation code for tokens (long-lived where the platform offers them)."""

    @abstractmethod
    def refresh(self, app: App, tokens: Tokens, now: datetime) -> Tokens:
        """New tokens before the old ones expire."""

    def revoke(self, app: App, tokens: Tokens) -> bool:
        """Tell the platform the grant is withdrawn, where it documents how; False when it does not."""
        return False

    @abstractmethod
    def fetch(self, tokens: Tokens, since: datetime) -> Figures:
        """Read the audience and the counts of posts published since ``since``."""


def json_of(response: httpx.Response) -> Any:
    """A response's JSON; a body that is not JSON is a provider error."""
    try:
        return response.json()
    except ValueError:
        raise ApiError(response.status_code, "invalid_json", "the provider answered with something not JSON") from None


def as_int(value: Any) -> int | None:
    """An integer figure, or None when absent or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CodeGrantProvider(CreatorAuthProvider):
    """A platform whose token endpoint takes the authorization code, and later the refresh token, as a form."""

    vendor: str = ""  # who accepts or refuses: "TikTok", "Google"

    @abstractmethod
    def _token(self, app: App, form: dict[str, str], now: datetime, secret: str) -> Tokens:
        """Post one form to the token endpoint (``secret`` is kept out of logs and errors)."""

    def exchange(self, app: App, code: str, now: datetime) -> Tokens:
        """Authorization code → access and refresh tokens."""
        form = {"code": code, "grant_type": "authorization_code", "redirect_uri": app.redirect_uri}
        try:
            return self._token(app, form, now, code)
        except ApiError as err:
            raise AuthorisationRefused(f"{self.vendor} did not accept the authorisation ({err.message}).") from None

    def _refreshed(self, app: App, tokens: Tokens, now: datetime) -> Tokens:
        """The token endpoint's answer to the refresh token (a dead one is ReconnectNeeded)."""
        if not tokens.refresh_token:
            raise ReconnectNeeded(f"{self.vendor} gave no refresh token: connect again.")
        with self.reading():
            form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
            return self._token(app, form, now, tokens.refresh_token)
