"""YouTube: Google OAuth 2.0 (the channel owner authorises) and the YouTube Analytics API ``reports`` query.

Documented (Google Identity, "Using OAuth 2.0 for Web Server Applications"; YouTube Analytics API,
"Reports: query", "Channel reports", "Dimensions", "Metrics"): authorize ``accounts.google.com/o/oauth2/v2/auth``
with ``access_type=offline`` → ``POST oauth2.googleapis.com/token`` (access ~1 h, refresh token) → the same
endpoint with ``grant_type=refresh_token`` → ``POST oauth2.googleapis.com/revoke``. Demographics are
``viewerPercentage`` by ``ageGroup`` and ``gender`` (percent of views, not followers) and ``views`` by ``country``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from grassroots.connectors.creator_auth.base import (
    App,
    CodeGrantProvider,
    Figures,
    PostFigures,
    Tokens,
    as_int,
    expiry,
    json_of,
)

SCOPES = (
    "https://www.googleapis.com/auth/yt-analytics.readonly",
    "https://www.googleapis.com/auth/youtube.readonly",
)


def rows(body: Any) -> list[dict[str, Any]]:
    """A ``resultTable`` as dicts keyed by the column headers' names."""
    names = [str(h.get("name")) for h in body.get("columnHeaders") or []]
    return [dict(zip(names, row, strict=False)) for row in body.get("rows") or []]


class YouTubeCreatorAuth(CodeGrantProvider):
    """Google OAuth for the channel owner and Analytics reports for the channel."""

    platform = "youtube"
    label = "YouTube"
    vendor = "Google"
    official_hosts = ("google.com", "googleapis.com")
    dead_token_codes = frozenset({"invalid_grant", 401})

    def authorize_url(self, app: App, state: str) -> str:
        """Google's consent page, asking for a refresh token (offline access)."""
        query = {"client_id": app.client_id, "redirect_uri": app.redirect_uri, "response_type": "code",
                 "scope": " ".join(SCOPES), "access_type": "offline", "prompt": "consent",
                 "include_granted_scopes": "true", "state": state}  # fmt: skip
        return f"{self.url('authorize')}?{urlencode(query)}"

    def _token(self, app: App, form: dict[str, str], now: datetime, secret: str) -> Tokens:
        form = {"client_id": app.client_id, "client_secret": app.client_secret, **form}
        with self.client("token", (app.client_secret, secret)) as http:
            body = json_of(http.request("POST", self.url("token"), data=form))
        return Tokens(access_token=str(body["access_token"]), refresh_token=body.get("refresh_token"),
                      expires_at=expiry(now, body.get("expires_in")), scopes=str(body.get("scope") or ""))  # fmt: skip

    def refresh(self, app: App, tokens: Tokens, now: datetime) -> Tokens:
        """A new access token; Google keeps the refresh token (it sends none back)."""
        fresh = self._refreshed(app, tokens, now)
        return Tokens(access_token=fresh.access_token, refresh_token=fresh.refresh_token or tokens.refresh_token,
                      expires_at=fresh.expires_at, scopes=fresh.scopes or tokens.scopes,
                      account_id=tokens.account_id)  # fmt: skip

    def revoke(self, app: App, tokens: Tokens) -> bool:
        """``POST /revoke`` with the refresh token (that revokes the access tokens too)."""
        token = tokens.refresh_token or tokens.access_token
        with self.client("revoke", (token,)) as http:
            http.request("POST", self.url("revoke"), data={"token": token})
        return True

    def fetch(self, tokens: Tokens, since: datetime) -> Figures:
        """Age, gender and country of viewers and the top videos' views and shares since ``since``."""
        headers = {"Authorization": f"Bearer {tokens.access_token}"}
        url = f"{self.root('analytics')}/v2/reports"
        window = {
            "ids": "channel==MINE",
            "startDate": since.date().isoformat(),
            "endDate": datetime.now(UTC).date().isoformat(),
        }
        figures = Figures(audience_unit="percent")
        with self.client("analytics", (tokens.access_token,)) as http, self.reading():

            def report(**query: str) -> list[dict[str, Any]]:
                return rows(json_of(http.request("GET", url, params={**window, **query}, headers=headers)))

            ages: dict[str, float] = {}
            genders: dict[str, float] = {}
            for row in report(metrics="viewerPercentage", dimensions="ageGroup,gender"):
                share = float(row.get("viewerPercentage") or 0)
                age = str(row.get("ageGroup", "")).removeprefix("age")
                ages[age] = ages.get(age, 0.0) + share
                genders[str(row.get("gender"))] = genders.get(str(row.get("gender")), 0.0) + share
            countries = report(metrics="views", dimensions="country", sort="-views", maxResults="25")
            total = sum(float(r.get("views") or 0) for r in countries) or 1.0
            figures.audience = {
                "age": {k: round(v, 1) for k, v in ages.items()},
                "gender": {k: round(v, 1) for k, v in genders.items()},
                "country": {str(r["country"]): round(100 * float(r.get("views") or 0) / total, 1) for r in countries},
            }
            for row in report(metrics="views,shares", dimensions="video", sort="-views", maxResults="10"):
                video = str(row.get("video"))
                figures.posts.append(PostFigures(id=video, url=f"https://www.youtube.com/watch?v={video}",
                                                 posted_at=None, shares=as_int(row.get("shares")),
                                                 views=as_int(row.get("views"))))  # fmt: skip
        figures.notes.append("YouTube gives audience shares as percent of views, and no reach or saves.")
        return figures
