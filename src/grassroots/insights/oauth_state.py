"""The OAuth ``state``: signed, short-lived, bound to one portal link, one platform and one browser.

The state travels through the platform and back, so it carries no credential: only the portal link's id, the
platform and a random nonce, signed (itsdangerous, with its own salt) and time-stamped. The callback accepts it
only when the signature holds, it is younger than ``creator_oauth_state_seconds``, the platform matches the
callback's, and the browser's session holds the same nonce for the same portal link (so a state minted from
another link, or in another browser, connects nothing).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from grassroots.config import Settings
from grassroots.errors import GrassrootsError

SALT = "grassroots.insights.oauth-state"


class StateRefused(GrassrootsError):
    """The callback's state is forged, expired, for another platform, link or browser."""

    status = 400
    title = "Not connected"


@dataclass(frozen=True)
class State:
    """What a valid state names."""

    link_id: int
    platform: str
    nonce: str


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.ensure_secret_key(), salt=SALT)


def new_nonce() -> str:
    """A fresh random nonce for one Connect click."""
    return secrets.token_urlsafe(16)


def sign(settings: Settings, link_id: int, platform: str, nonce: str) -> str:
    """The state for one Connect click."""
    return _serializer(settings).dumps({"l": link_id, "p": platform, "n": nonce})


def read(settings: Settings, state: str, platform: str, expected_nonce: str | None) -> State:
    """The state's content, or StateRefused (one message for every reason: nothing to learn from it)."""
    refused = StateRefused("This connection attempt is not valid any more. Open your link and press Connect again.")
    try:
        data = _serializer(settings).loads(state, max_age=settings.creator_oauth_state_seconds)
    except (SignatureExpired, BadSignature):
        raise refused from None
    if not isinstance(data, dict) or not isinstance(data.get("l"), int):
        raise refused
    nonce = data.get("n")
    if data.get("p") != platform or not isinstance(nonce, str) or not expected_nonce:
        raise refused
    if not hmac.compare_digest(nonce.encode(), expected_nonce.encode()):
        raise refused
    return State(int(data["l"]), platform, nonce)
