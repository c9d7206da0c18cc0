"""TikTok Login Kit (v2): the creator authorises the brand's app; Display API reads their stats and videos.

Documented (TikTok for Developers, "Login Kit for Web", "Manage User Access Tokens", "Get User Info",
"List Videos"): authorize ``www.tiktok.com/v2/auth/authorize/`` → ``POST open.tiktokapis.com/v2/oauth/token/``
(form; access token ~24 h, refresh token ~365 days; ``grant_type=refresh_token`` to refresh) →
``POST /v2/oauth/revoke/`` to withdraw. TikTok gives no audience demographics through these APIs: only the
follower count and each video's views, likes and shares.
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
from grassroots.connectors.http import ApiError

SCOPES = ("user.info.basic", "user.info.stats", "video.list")
USER_FIELDS = "open_id,display_name,username,follower_count"
VIDEO_FIELDS = "id,create_time,share_url,view_count,like_count,comment_count,share_count"


class TikTokCreatorAuth(CodeGrantProvider):
    """Login Kit tokens, user info and the video list."""

    platform = "tiktok"
    label = "TikTok"
    vendor = "TikTok"
    official_hosts = ("tiktok.com", "tiktokapis.com")
    dead_token_codes = frozenset({"access_token_invalid", "scope_not_authorized", "invalid_grant"})

    def authorize_url(self, app: App, state: str) -> str:
        """The TikTok authorization page (``client_key``, comma-separated scopes)."""
        query = {"client_key": app.client_id, "scope": ",".join(SCOPES), "response_type": "code",
                 "redirect_uri": app.redirect_uri, "state": state}  # fmt: skip
        return f"{self.url('authorize')}?{urlencode(query)}"

    def _token(self, app: App, form: dict[str, str], now: datetime, secret: str) -> Tokens:
        form = {"client_key": app.client_id, "client_secret": app.client_secret, **form}
        with self.client("api", (app.client_secret, secret)) as http:
            body = json_of(http.request("POST", f"{self.root('api')}/v2/oauth/token/", data=form))
        if not body.get("access_token"):
            # The token endpoint answers 200 with {"error", "error_description", "log_id"} on a bad code or grant.
            raise ApiError(200, str(body.get("error") or "no_token"), str(body.get("error_description") or body))
        return Tokens(
            access_token=str(body["access_token"]),
            refresh_token=body.get("refresh_token"),
            expires_at=expiry(now, body.get("expires_in")),
            refresh_expires_at=expiry(now, body.get("refresh_expires_in")),
            scopes=str(body.get("scope") or ""),
            account_id=body.get("open_id"),
        )

    def refresh(self, app: App, tokens: Tokens, now: datetime) -> Tokens:
        """A new access token (and possibly a new refresh token) from the refresh token."""
        fresh = self._refreshed(app, tokens, now)
        return Tokens(
            access_token=fresh.access_token,
            refresh_token=fresh.refresh_token or tokens.refresh_token,
            expires_at=fresh.expires_at,
            refresh_expires_at=fresh.refresh_expires_at or tokens.refresh_expires_at,
            scopes=fresh.scopes or tokens.scopes,
            account_id=fresh.account_id or tokens.account_id,
        )

    def revoke(self, app: App, tokens: Tokens) -> bool:
        """``POST /v2/oauth/revoke/`` with the access token."""
        form = {"client_key": app.client_id, "client_secret": app.client_secret, "token": tokens.access_token}
        with self.client("api", (app.client_secret, tokens.access_token)) as http:
            http.request("POST", f"{self.root('api')}/v2/oauth/revoke/", data=form)
        return True

    @staticmethod
    def _checked(body: Any) -> Any:
        error = body.get("error") or {}
        if error.get("code", "ok") != "ok":
            raise ApiError(200, str(error.get("code")), f"{error.get('message')} (log_id {error.get('log_id')})")
        return body.get("data") or {}

    def fetch(self, tokens: Tokens, since: datetime) -> Figures:
        """Follower count and the videos posted since ``since`` (views, shares)."""
        headers = {"Authorization": f"Bearer {tokens.access_token}"}
        api = self.root("api")
        figures = Figures(audience_unit="count")
        with self.client("api", (tokens.access_token,)) as http, self.reading():
            info = json_of(http.request("GET", f"{api}/v2/user/info/", params={"fields": USER_FIELDS},
                                        headers=headers))  # fmt: skip
            user = self._checked(info).get("user") or {}
            figures.account_name = user.get("username") or user.get("display_name")
            figures.followers = as_int(user.get("follower_count"))
            page = json_of(http.request("POST", f"{api}/v2/video/list/", params={"fields": VIDEO_FIELDS},
                                        json={"max_count": 20}, headers=headers))  # fmt: skip
            for video in self._checked(page).get("videos") or []:
                created = as_int(video.get("create_time"))
                if created is None or not video.get("id"):
                    continue
                posted = datetime.fromtimestamp(created, UTC)
                if posted < since:
                    continue
                figures.posts.append(PostFigures(id=str(video["id"]), url=video.get("share_url"),
                                                 posted_at=posted.isoformat(), shares=as_int(video.get("share_count")),
                                                 views=as_int(video.get("view_count"))))  # fmt: skip
        figures.notes.append("TikTok shares no audience demographics or reach through its API.")
        return figures
