"""Short links: create (one per collaboration, or the whole roster at once), list with clicks, archive, QR code."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import segno
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.config import Settings
from grassroots.connectors.models import Connection
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput, NotFound
from grassroots.outreach import timeline
from grassroots.tracking import link_stats
from grassroots.tracking.link_models import ShortLink
from grassroots.tracking.link_stats import LinkStats
from grassroots.tracking.redirector import forget_on_commit

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
RESERVED = frozenset({"admin", "api", "login", "static", "r", "p", "tracking"})
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
SAFE_URL_CHARS = "/?#[]@!$&'()*+,;=%:~-._"


@dataclass
class LinkIn:
    """What the create form (or the API) asks for; blanks are filled from the collaboration and the shop."""

    destination: str = ""
    slug: str = ""
    collaboration_id: int | None = None
    campaign_id: int | None = None
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_content: str = ""


@dataclass(frozen=True)
class LinkRow:
    """A link as lists show it."""

    link: ShortLink
    creator_name: str | None
    campaign_name: str | None
    stats: LinkStats


def slugify(text: str, limit: int = 30) -> str:
    """'Maya López — Spring!' -> 'maya-lopez-spring' (ASCII, hyphens, trimmed to ``limit``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def validate_slug(slug: str) -> str:
    """A readable slug: lower-case letters, digits and hyphens, 1–64 characters."""
    slug = slug.strip().lower()
    if not SLUG.match(slug) or slug in RESERVED:
        msg = "Use 1–64 lower-case letters, digits and hyphens, e.g. maya-spring."
        raise InvalidInput(msg, errors={"slug": msg})
    return slug


def validate_destination(url: str) -> str:
    """An absolute http(s) address, made ASCII (international domain names, spaces in paths)."""
    url = url.strip()
    parts = urlsplit(url)
    bad = not url or any(c.isspace() or ord(c) < 32 for c in url) or len(url) > 2000
    if bad or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        msg = "Give a full web address starting with https:// (or http://)."
        raise InvalidInput(msg, errors={"destination": msg})
    try:
        host = parts.hostname.encode("idna").decode()
    except UnicodeError as exc:
        msg = "That web address has an invalid domain name."
        raise InvalidInput(msg, errors={"destination": msg}) from exc
    netloc = host + (f":{parts.port}" if parts.port else "")
    path, query, fragment = (quote(x, safe=SAFE_URL_CHARS) for x in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme.lower(), netloc, path or "/", query, fragment))


def slug_taken(session: Session, slug: str) -> bool:
    """Whether any workspace already uses ``slug`` (slugs are global: /r/ has no workspace)."""
    return session.scalar(select(ShortLink.id).where(ShortLink.slug == slug)) is not None


def free_slug(session: Session, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no link uses yet."""
    base = slugify(base, 56) or "link"
    if base in RESERVED:
        base = f"{base}-link"
    used = set(session.scalars(select(ShortLink.slug).where(ShortLink.slug.like(f"{base}%"))))
    if base not in used:
        return base
    return next(f"{base}-{n}" for n in range(2, len(used) + 3) if f"{base}-{n}" not in used)


def shop_url(session: Session, workspace_id: int) -> str | None:
    """The brand's shop address from its store connection (Shopify shop domain or WooCommerce store URL)."""
    rows = session.scalars(select(Connection).where(Connection.workspace_id == workspace_id,
                                                    Connection.provider.in_(("shopify", "woocommerce"))))  # fmt: skip
    for connection in rows:
        config = connection.config or {}
        if connection.provider == "shopify" and config.get("shop"):
            return f"https://{str(config['shop']).strip().removeprefix('https://').strip('/')}/"
        if connection.provider == "woocommerce" and config.get("store_url"):
            return str(config["store_url"]).strip()
    return None


def require_collaboration(session: Session, workspace_id: int, collaboration_id: int) -> Collaboration:
    """A collaboration of this workspace, or 404."""
    found = session.get(Collaboration, collaboration_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("No such collaboration.")
    return found


def require_campaign(session: Session, workspace_id: int, campaign_id: int) -> Campaign:
    """A campaign of this workspace, or 404."""
    found = session.get(Campaign, campaign_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("No such campaign.")
    return found


def require_link(session: Session, workspace_id: int, link_id: int) -> ShortLink:
    """A link of this workspace, or 404 (another workspace's link does not exist here)."""
    found = session.get(ShortLink, link_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("No such link.")
    return found


def _defaults(session: Session, workspace_id: int, data: LinkIn) -> tuple[dict[str, Any], Creator | None]:
    """Fill the blanks from the collaboration (creator, campaign) and the shop."""
    values: dict[str, Any] = {"creator_id": None, "collaboration_id": None, "campaign_id": None}
    creator: Creator | None = None
    campaign: Campaign | None = None
    if data.collaboration_id:
        collab = require_collaboration(session, workspace_id, data.collaboration_id)
        creator = session.get(Creator, collab.creator_id)
        campaign = session.get(Campaign, collab.campaign_id)
        values |= {"creator_id": collab.creator_id, "collaboration_id": collab.id}
    elif data.campaign_id:
        campaign = require_campaign(session, workspace_id, data.campaign_id)
    if campaign is not None:
        values["campaign_id"] = campaign.id
    who = slugify(creator.display_name.split()[0], 20) if creator and creator.display_name.split() else ""
    what = slugify(campaign.name.split()[0], 20) if campaign and campaign.name.split() else ""
    values["base"] = "-".join(x for x in (who, what) if x) or "link"
    values["utm"] = {
        "utm_source": data.utm_source or "creator",
        "utm_medium": data.utm_medium or "link",
        "utm_campaign": data.utm_campaign or (slugify(campaign.name, 60) if campaign else ""),
        "utm_content": data.utm_content or (slugify(creator.display_name, 60) if creator else ""),
    }
    return values, creator


def create_link(session: Session, workspace_id: int, data: LinkIn, *, actor: str) -> ShortLink:
    """Create a link (a readable, collision-free slug; the shop as destination when none is given)."""
    errors: dict[str, str] = {}
    values, creator = _defaults(session, workspace_id, data)
    destination = data.destination.strip() or shop_url(session, workspace_id) or ""
    try:
        destination = validate_destination(destination)
    except InvalidInput as exc:
        errors |= exc.errors or {"destination": str(exc)}
    slug = ""
    try:
        slug = validate_slug(data.slug) if data.slug.strip() else free_slug(session, values["base"])
        if data.slug.strip() and slug_taken(session, slug):
            errors["slug"] = f"“{slug}” is taken; choose another."
    except InvalidInput as exc:
        errors |= exc.errors or {"slug": str(exc)}
    if errors:
        raise InvalidInput("Please fix the highlighted fields.", errors=errors)
    utm = {k: (v or "").strip()[:200] or None for k, v in values["utm"].items()}
    link = ShortLink(workspace_id=workspace_id, slug=slug, destination=destination, creator_id=values["creator_id"],
                     collaboration_id=values["collaboration_id"], campaign_id=values["campaign_id"], **utm)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(link)
            session.flush()
    except IntegrityError as exc:  # another request took the slug a moment ago
        raise InvalidInput("Please fix the highlighted fields.", errors={"slug": f"“{slug}” is taken."}) from exc
    forget_on_commit(session, slug)  # a 404 remembered for this slug ends with the commit
    if creator is not None:
        timeline.record(session, workspace_id=workspace_id, creator_id=creator.id, kind="link_created",
                        summary=f"Tracked link /r/{slug} created", actor=actor,
                        collaboration_id=values["collaboration_id"], url=f"/tracking/links/{link.id}",
                        ref=("short_link", link.id))  # fmt: skip
    return link


def create_for_roster(session: Session, workspace_id: int, campaign_id: int, *, actor: str,
                      destination: str = "") -> list[ShortLink]:  # fmt: skip
    """One link for each roster creator of a campaign who has none yet (live links are kept)."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    have = set(session.scalars(select(ShortLink.collaboration_id).where(
        ShortLink.workspace_id == workspace_id, ShortLink.campaign_id == campaign.id,
        ShortLink.archived_at.is_(None))))  # fmt: skip
    roster = session.scalars(select(Collaboration).where(Collaboration.workspace_id == workspace_id,
                                                         Collaboration.campaign_id == campaign.id)
                             .order_by(Collaboration.id))  # fmt: skip
    return [create_link(session, workspace_id, LinkIn(destination=destination, collaboration_id=c.id), actor=actor)
            for c in roster if c.id not in have]  # fmt: skip


def set_archived(session: Session, workspace_id: int, link_id: int, archived: bool) -> ShortLink:
    """Archive a link (it stops redirecting; its clicks stay) or restore it."""
    link = require_link(session, workspace_id, link_id)
    link.archived_at = utcnow() if archived else None
    forget_on_commit(session, link.slug)
    return link


def list_links(session: Session, workspace_id: int, *, campaign_id: int | None = None,
               creator_id: int | None = None, archived: bool = False) -> list[LinkRow]:  # fmt: skip
    """The workspace's links (optionally of one campaign or creator), newest first, with their click figures."""
    query = select(ShortLink).where(ShortLink.workspace_id == workspace_id)
    query = query.where(ShortLink.archived_at.is_not(None) if archived else ShortLink.archived_at.is_(None))
    if campaign_id:
        query = query.where(ShortLink.campaign_id == campaign_id)
    if creator_id:
        query = query.where(ShortLink.creator_id == creator_id)
    links = list(session.scalars(query.order_by(ShortLink.id.desc()).limit(1000)))
    stats = link_stats.totals(session, [link.id for link in links])
    creators = _names(session, Creator, Creator.display_name, {x.creator_id for x in links})
    campaigns = _names(session, Campaign, Campaign.name, {x.campaign_id for x in links})
    return [LinkRow(x, creators.get(x.creator_id or 0), campaigns.get(x.campaign_id or 0),
                    stats.get(x.id, LinkStats())) for x in links]  # fmt: skip


def _names(session: Session, model: Any, column: Any, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i]
    return dict(session.execute(select(model.id, column).where(model.id.in_(wanted))).all()) if wanted else {}


def link_row(session: Session, workspace_id: int, link_id: int) -> LinkRow:
    """One link with its names and figures (404 for another workspace's link)."""
    link = require_link(session, workspace_id, link_id)
    creators = _names(session, Creator, Creator.display_name, {link.creator_id})
    campaigns = _names(session, Campaign, Campaign.name, {link.campaign_id})
    stats = link_stats.totals(session, [link.id]).get(link.id, LinkStats())
    return LinkRow(link, creators.get(link.creator_id or 0), campaigns.get(link.campaign_id or 0), stats)


def form_choices(session: Session, workspace_id: int) -> dict[str, Any]:
    """Campaigns and roster entries for the create form, and the shop address used when none is given."""
    campaigns = list(session.execute(select(Campaign.id, Campaign.name).where(
        Campaign.workspace_id == workspace_id).order_by(Campaign.name)).all())  # fmt: skip
    roster = list(session.execute(
        select(Collaboration.id, Creator.display_name, Campaign.name)
        .join(Creator, Creator.id == Collaboration.creator_id).join(Campaign, Campaign.id == Collaboration.campaign_id)
        .where(Collaboration.workspace_id == workspace_id).order_by(Campaign.name, Creator.display_name)).all())  # fmt: skip
    return {"campaigns": campaigns, "roster": roster, "shop_url": shop_url(session, workspace_id)}


def short_url(settings: Settings, slug: str) -> str:
    """The address people click: ``<public url>/r/<slug>``."""
    return f"{settings.base_url}/r/{slug}"


def qr_svg(settings: Settings, link: ShortLink) -> str:
    """The link's short address as a QR code (SVG, scales to any print size)."""
    out = io.BytesIO()
    segno.make(short_url(settings, link.slug), error="m").save(out, kind="svg", scale=8, border=2,
                                                                 xmldecl=False, title=f"/r/{link.slug}")  # fmt: skip
    return out.getvalue().decode()
