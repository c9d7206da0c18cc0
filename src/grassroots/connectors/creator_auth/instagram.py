"""Instagram API with Instagram Login: the creator's professional account authorises the brand's app.

Documented flow (Meta for Developers, "Business Login for Instagram", "Access Token", "Refresh Access Token",
"Instagram Account Insights", "Instagram Media Insights"):
authorize window ``www.instagram.com/oauth/authorize`` → ``POST api.instagram.com/oauth/access_token`` (short-lived,
1 h) → ``GET graph.instagram.com/access_token?grant_type=ig_exchange_token`` (long-lived, 60 days) →
``GET graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token`` (another 60 days; token ≥ 24 h old).
Instagram documents no token-revocation call for this login: stopping deletes the tokens here, and the creator
can also remove the app under Settings → Apps and websites.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from grassroots.connectors.creator_auth.base import (
    App,
    AuthorisationRefused,
    CreatorAuthProvider,
    Figures,
    PostFigures,
    Tokens,
    as_int,
    expiry,
    json_of,
)
from grassroots.connectors.http import ApiError

GRAPH_VERSION = "v21.0"
SCOPES = ("instagram_business_basic", "instagram_business_manage_insights")
BREAKDOWNS = ("country", "city", "age", "gender")
MEDIA_METRICS = "reach,saved,shares,views"
MAX_POSTS = 25


def _timestamp(value: Any) -> datetime | None:
    """Meta's ``2026-11-20T10:00:00+0000`` (no colon in the offset)."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def demographics(body: Any) -> dict[str, float]:
    """``follower_demographics`` with one breakdown → {dimension value: followers}."""
    out: dict[str, float] = {}
    for metric in body.get("data") or []:
        for breakdown in (metric.get("total_value") or {}).get("breakdowns") or []:
            for result in breakdown.get("results") or []:
                values = result.get("dimension_values") or []
                count = as_int(result.get("value"))
                if values and count is not None:
                    out[str(values[0])] = float(count)
    return out


def media_values(body: Any) -> dict[str, int]:
    """Media insights ``data[].values[0].value`` by metric name."""
    out: dict[str, int] = {}
    for metric in body.get("data") or []:
        values = metric.get("values") or []
        number = as_int(values[0].get("value")) if values else as_int((metric.get("total_value") or {}).get("value"))
        if metric.get("name") and number is not None:
            out[str(metric["name"])] = number
    return out


class InstagramCreatorAuth(CreatorAuthProvider):
    """Business Login for Instagram, the creator's account insights and their media's insights."""

    platform = "instagram"
    label = "Instagram"
    official_hosts = ("instagram.com",)
    dead_token_codes = frozenset({190})  # OAuthException: expired, revoked or password changed

    def authorize_url(self, app: App, state: str) -> str:
        """The authorization window with the insight scopes."""
        query = {
            "client_id": app.client_id,
            "redirect_uri": app.redirect_uri,
            "response_type": "code",
            "scope": ",".join(SCOPES),
            "state": state,
        }
        return f"{self.url('authorize')}?{urlencode(query)}"

    def exchange(self, app: App, code: str, now: datetime) -> Tokens:
        """Code → short-lived token → long-lived token (60 days)."""
        form = {
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "grant_type": "authorization_code",
            "redirect_uri": app.redirect_uri,
            "code": code,
        }
        with self.client("token", (app.client_secret, code)) as http:
            try:
                body = json_of(http.request("POST", self.url("token"), data=form))
            except ApiError as err:
                raise AuthorisationRefused(f"Instagram did not accept the authorisation ({err.message}).") from None
        # Business Login answers {"data": [{...}]}; older answers were the object itself.
        item = (body.get("data") or [{}])[0] if isinstance(body.get("data"), list) else body
        short = str(item.get("access_token") or "")
        if not short:
            raise AuthorisationRefused("Instagram answered without an access token.")
        permissions = item.get("permissions") or ""
        scopes = ",".join(permissions) if isinstance(permissions, list) else str(permissions)
        params = {"grant_type": "ig_exchange_token", "client_secret": app.client_secret, "access_token": short}
        with self.client("graph", (app.client_secret, short)) as http, self.reading():
            long = json_of(http.request("GET", f"{self.root('graph')}/access_token", params=params))
        return Tokens(
            access_token=str(long["access_token"]),
            expires_at=expiry(now, long.get("expires_in")),
            scopes=scopes,
            account_id=str(item["user_id"]) if item.get("user_id") is not None else None,
        )

    def refresh(self, app: App, tokens: Tokens, now: datetime) -> Tokens:
        """Another 60 days for a long-lived token (it keeps its scopes and account)."""
        params = {"grant_type": "ig_refresh_token", "access_token": tokens.access_token}
        with self.client("graph", (tokens.access_token,)) as http, self.reading():
            body = json_of(http.request("GET", f"{self.root('graph')}/refresh_access_token", params=params))
        return Tokens(
            access_token=str(body["access_token"]),
            expires_at=expiry(now, body.get("expires_in")),
            scopes=tokens.scopes,
            account_id=tokens.account_id,
        )

    def fetch(self, tokens: Tokens, since: datetime) -> Figures:
        """Profile, follower demographics by country, city, age and gender, and the posts since ``since``."""
        root = f"{self.root('graph')}/{GRAPH_VERSION}"
        auth = {"access_token": tokens.access_token}
        figures = Figures()
        with self.client("graph", (tokens.access_token,)) as http, self.reading():
            me = http.get_json(f"{root}/me", {"fields": "user_id,username,followers_count", **auth})
            user_id = str(me.get("user_id") or me.get("id") or tokens.account_id)
            figures.account_name = me.get("username")
            figures.followers = as_int(me.get("followers_count"))
            for breakdown in BREAKDOWNS:
                query = {"metric": "follower_demographics", "period": "lifetime", "timeframe": "this_month",
                         "breakdown": breakdown, "metric_type": "total_value", **auth}  # fmt: skip
                try:
                    figures.audience[breakdown] = demographics(http.get_json(f"{root}/{user_id}/insights", query))
                except ApiError as err:
                    if err.code in self.dead_token_codes or err.upstream_status == 401:
                        raise
                    figures.notes.append(f"no {breakdown} breakdown: {err.message}")
            fields = "id,caption,media_type,media_product_type,permalink,timestamp"
            media = http.get_json(
                f"{root}/{user_id}/media",
                {"fields": fields, "since": str(int(since.timestamp())), "limit": str(MAX_POSTS), **auth},
            )
            for item in (media.get("data") or [])[:MAX_POSTS]:
                posted = _timestamp(item.get("timestamp"))
                if posted is None or posted < since.astimezone(UTC) or not item.get("id"):
                    continue
                figures.posts.append(self._post(http, root, item, posted, auth, figures.notes))
        return figures

    def _post(self, http: Any, root: str, item: dict[str, Any], posted: datetime, auth: dict[str, str],
              notes: list[str]) -> PostFigures:  # fmt: skip
        media_id = str(item["id"])
        try:
            values = media_values(http.get_json(f"{root}/{media_id}/insights", {"metric": MEDIA_METRICS, **auth}))
        except ApiError as err:
            if err.code in self.dead_token_codes or err.upstream_status == 401:
                raise
            # Error #10 "Not enough viewers": below Meta's privacy threshold, no figures rather than zeros.
            notes.append(f"post {media_id}: no insights ({err.message})")
            values = {}
        return PostFigures(
            id=media_id,
            url=item.get("permalink"),
            posted_at=posted.astimezone(UTC).isoformat(),
            reach=values.get("reach"),
            saves=values.get("saved"),
            shares=values.get("shares"),
            views=values.get("views"),
        )
