"""Issue, open and revoke portal links.

A token is ``itsdangerous``-signed ``{"l": link id, "n": nonce}`` with the server's secret key and a salt of
its own; it opens a collaboration only if the signature holds, the stored nonce matches, the link has not
expired and was not revoked. Tokens cannot be guessed (128-bit nonce plus signature), a revoked link stays
dead, and a link opens exactly one collaboration of one workspace.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Collaboration
from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.errors import NotFound
from grassroots.portal.models import PortalLink

SALT = "grassroots.portal"
DEFAULT_DAYS = 60


class LinkInvalid(NotFound):
    """The link is unknown, forged, expired or revoked (one message for all: nothing to learn from it)."""


@dataclass(frozen=True)
class Opened:
    """What a valid token opens."""

    link: PortalLink
    collaboration: Collaboration

    @property
    def workspace_id(self) -> int:
        return self.collaboration.workspace_id


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.ensure_secret_key(), salt=SALT)


def issue(
    session: Session,
    settings: Settings,
    collaboration: Collaboration,
    *,
    created_by: str,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> tuple[PortalLink, str]:
    """A new link for the collaboration: the row (flushed) and its token."""
    now = now or utcnow()
    link = PortalLink(
        workspace_id=collaboration.workspace_id,
        collaboration_id=collaboration.id,
        nonce=secrets.token_urlsafe(16),
        created_at=now,
        expires_at=now + timedelta(days=days),
        created_by=created_by,
    )
    session.add(link)
    session.flush()
    return link, token_for(settings, link)


def token_for(settings: Settings, link: PortalLink) -> str:
    """The token of a stored link (signing is deterministic, so a manager can copy a live link again)."""
    return str(_serializer(settings).dumps({"l": link.id, "n": link.nonce}))


def url(settings: Settings, token: str) -> str:
    """The absolute address a creator opens."""
    return f"{settings.base_url}/p/{token}"


def open_link(session: Session, settings: Settings, token: str, now: datetime | None = None) -> Opened:
    """The collaboration a token opens; :class:`LinkInvalid` otherwise. Marks the link used."""
    try:
        data = _serializer(settings).loads(token)
    except BadSignature as err:
        raise LinkInvalid("This link is not valid. Ask the brand for a new one.") from err
    if not isinstance(data, dict) or not isinstance(data.get("l"), int) or not isinstance(data.get("n"), str):
        raise LinkInvalid("This link is not valid. Ask the brand for a new one.")
    link = session.get(PortalLink, data["l"])
    now = now or utcnow()
    if (
        link is None
        or not hmac.compare_digest(link.nonce, data["n"])
        or link.revoked_at is not None
        or link.expires_at <= now
    ):
        raise LinkInvalid("This link is not valid any more. Ask the brand for a new one.")
    collaboration = session.get(Collaboration, link.collaboration_id)
    if collaboration is None or collaboration.workspace_id != link.workspace_id:
        raise LinkInvalid("This link is not valid any more. Ask the brand for a new one.")
    link.last_used_at = now
    return Opened(link, collaboration)


def revoke(session: Session, workspace_id: int, link_id: int, now: datetime | None = None) -> PortalLink:
    """Revoke one of the workspace's links (a link of another workspace is not found)."""
    link = session.scalar(select(PortalLink).where(PortalLink.id == link_id, PortalLink.workspace_id == workspace_id))
    if link is None:
        raise NotFound("no such portal link in this workspace")
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
    return link


def links_for(session: Session, workspace_id: int, collaboration_id: int) -> list[PortalLink]:
    """A collaboration's links, newest first."""
    return list(
        session.scalars(
            select(PortalLink)
            .where(PortalLink.workspace_id == workspace_id, PortalLink.collaboration_id == collaboration_id)
            .order_by(PortalLink.id.desc())
        )
    )
