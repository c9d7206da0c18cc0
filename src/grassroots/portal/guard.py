"""Cross-site protection for the portal's forms, which have no session: the token in the path is the credential.

A form carries a field derived from the portal token (an HMAC with the server's secret), and a post whose Origin
(else Referer) names another site, or the opaque origin ``null`` (a sandboxed frame, a data: page), is refused.
The portal pages send the Referer only to this site (``Referrer-Policy: same-origin``), so the browser's
Origin header names this site on every genuine post.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from grassroots.config import Settings
from grassroots.errors import GrassrootsError
from grassroots.web.csrf import same_origin

FIELD = "portal_form"


class CrossSitePost(GrassrootsError):
    """A portal form posted from another site, or without its form field."""

    status = 403
    title = "Form refused"


def form_token(settings: Settings, token: str) -> str:
    """The hidden field every portal form carries for ``token``."""
    key = settings.ensure_secret_key().encode()
    return hmac.new(key, b"grassroots.portal.form\x00" + token.encode(), hashlib.sha256).hexdigest()[:40]


def check(request: Request, settings: Settings, token: str, sent: str) -> None:
    """Refuse a post from another site or without the form field of this link."""
    origin = (request.headers.get("origin") or "").strip().lower()
    if origin == "null" or not same_origin(request):
        raise CrossSitePost("This form was sent from another site. Open your link again and retry.")
    if not hmac.compare_digest(sent.encode(), form_token(settings, token).encode()):
        raise CrossSitePost("This form is out of date. Open your link again and retry.")
