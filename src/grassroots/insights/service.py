"""Use cases: the portal's Insights page, connect (OAuth start and callback), stop sharing, the brand's views.

Routes parse the request, call one function here and render. ``shared_for_creator`` is what the creator profile
and campaign results show in place of estimates, marked "shared by the creator, <date>".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors.creator_auth import PLATFORMS, PROVIDERS
from grassroots.connectors.creator_auth.base import ReconnectNeeded
from grassroots.connectors.http import ApiError
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow
from grassroots.errors import NotFound
from grassroots.insights import grants, oauth_state
from grassroots.insights.models import CreatorGrant, CreatorOAuthApp, GrantStatus, SharedInsight
from grassroots.jobs import queue
from grassroots.outreach import timeline
from grassroots.portal import links
from grassroots.workspaces.models import Workspace

TOP = 10
# Instagram's F/M/U and YouTube's female/male/user_specified, in the words people read.
GENDER = {"F": "Women", "M": "Men", "U": "Unspecified", "female": "Women", "male": "Men",
          "user_specified": "Self-described"}  # fmt: skip


@dataclass(frozen=True)
class SharedFigures:
    """Figures a creator shared from one platform account (the latest fetch)."""

    creator_id: int
    platform: str
    account_name: str | None
    status: str
    fetched_at: datetime
    followers: int | None
    audience: dict[str, list[tuple[str, float]]]  # dimension -> [(value, percent)], largest first
    audience_unit: str
    posts: list[dict[str, Any]]
    reach: int | None
    saves: int | None
    shares: int | None
    views: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The mark shown next to the figures."""
        return f"shared by the creator, {self.fetched_at:%d %b %Y}"


def _total(posts: list[dict[str, Any]], key: str) -> int | None:
    values = [p[key] for p in posts if isinstance(p.get(key), int)]
    return sum(values) if values else None


def _percentages(values: dict[str, float], unit: str) -> list[tuple[str, float]]:
    total = sum(values.values())
    pairs = [(k, v if unit == "percent" else (100.0 * v / total if total else 0.0)) for k, v in values.items()]
    return [(k, round(p, 1)) for k, p in sorted(pairs, key=lambda kv: -kv[1])[:TOP]]


def figures_of(row: SharedInsight, grant: CreatorGrant) -> SharedFigures:
    """The display form of a stored fetch."""
    audience = {dim: _percentages(values, row.audience_unit) for dim, values in (row.audience or {}).items() if values}
    if "gender" in audience:
        audience["gender"] = [(GENDER.get(key, key), pct) for key, pct in audience["gender"]]
    posts = list(row.posts or [])
    return SharedFigures(creator_id=row.creator_id, platform=row.platform, account_name=grant.account_name,
                         status=grant.status.value, fetched_at=row.fetched_at, followers=row.followers,
                         audience=audience, audience_unit=row.audience_unit, posts=posts,
                         reach=_total(posts, "reach"), saves=_total(posts, "saves"), shares=_total(posts, "shares"),
                         views=_total(posts, "views"), notes=list(row.notes or []))  # fmt: skip


def _shared(session: Session, workspace_id: int, creator_id: int | None = None) -> list[SharedFigures]:
    query = (
        select(SharedInsight, CreatorGrant)
        .join(CreatorGrant, CreatorGrant.id == SharedInsight.grant_id)
        .where(SharedInsight.workspace_id == workspace_id, CreatorGrant.status != GrantStatus.revoked)
        .order_by(SharedInsight.fetched_at.desc())
    )
    if creator_id is not None:
        query = query.where(SharedInsight.creator_id == creator_id)
    return [figures_of(row, grant) for row, grant in session.execute(query)]


def shared_for_creator(session: Session, workspace_id: int, creator_id: int) -> SharedFigures | None:
    """The creator's most recently shared figures in this workspace, or None (then show estimates)."""
    found = _shared(session, workspace_id, creator_id)
    return found[0] if found else None


def shared_all_for_creator(session: Session, workspace_id: int, creator_id: int) -> list[SharedFigures]:
    """Every platform the creator shares figures from, newest fetch first."""
    return _shared(session, workspace_id, creator_id)


@dataclass(frozen=True)
class GrantView:
    """One connection as the portal and the brand see it."""

    id: int
    platform: str
    label: str
    account_name: str | None
    status: str
    status_reason: str | None
    connected_at: datetime
    revoked_at: datetime | None
    figures: SharedFigures | None


def _grant_views(session: Session, grants_: list[CreatorGrant]) -> list[GrantView]:
    ids = [g.id for g in grants_]
    rows = {r.grant_id: r for r in session.scalars(select(SharedInsight).where(SharedInsight.grant_id.in_(ids)))}
    return [
        GrantView(
            g.id,
            g.platform,
            PROVIDERS[g.platform].label,
            g.account_name,
            g.status.value,
            g.status_reason,
            g.connected_at,
            g.revoked_at,
            figures_of(rows[g.id], g) if g.id in rows else None,
        )
        for g in grants_
    ]


def portal_page(session: Session, settings: Settings, token: str) -> dict[str, Any]:
    """What the portal's Insights page shows: the platforms the brand enabled and what was shared."""
    opened = links.open_link(session, settings, token)
    collab = opened.collaboration
    enabled = set(
        session.scalars(select(CreatorOAuthApp.platform).where(CreatorOAuthApp.workspace_id == collab.workspace_id))
    )
    rows = list(session.scalars(select(CreatorGrant).where(CreatorGrant.collaboration_id == collab.id).order_by(CreatorGrant.platform)))  # fmt: skip
    connected = {g.platform for g in rows if g.status != GrantStatus.revoked}
    platforms = [(p, PROVIDERS[p].label) for p in PLATFORMS if p in enabled and p not in connected]
    return {
        "grants": _grant_views(session, rows),
        "platforms": platforms,
        "brand_name": _brand(session, collab.workspace_id),
    }


def _brand(session: Session, workspace_id: int) -> str:
    workspace = session.get(Workspace, workspace_id)
    return workspace.name if workspace is not None else ""


def start_connect(session: Session, settings: Settings, token: str, platform: str) -> tuple[str, str]:
    """The authorize URL for a Connect click and the nonce the browser's session must keep."""
    opened = links.open_link(session, settings, token)
    app = grants.app_for(session, settings, opened.workspace_id, platform)
    nonce = oauth_state.new_nonce()
    state = oauth_state.sign(settings, opened.link.id, platform, nonce)
    return grants.provider(settings, platform).authorize_url(app, state), nonce


def complete_connect(session: Session, settings: Settings, platform: str, code: str, state: str,
                     pending: dict[str, str] | None, now: datetime | None = None) -> str:  # fmt: skip
    """The callback: check the state against the browser's pending click, exchange the code, store the grant,
    fetch the figures. Returns the portal token to go back to."""
    now = now or utcnow()
    pending = pending or {}
    checked = oauth_state.read(settings, state, platform, pending.get("nonce"))
    try:
        opened = links.open_link(session, settings, str(pending.get("token") or ""), now)
    except links.LinkInvalid:
        raise oauth_state.StateRefused("This connection attempt is not valid any more.") from None
    if opened.link.id != checked.link_id:
        raise oauth_state.StateRefused("This connection attempt belongs to another link.")
    app = grants.app_for(session, settings, opened.workspace_id, platform)
    provider = grants.provider(settings, platform)
    tokens = provider.exchange(app, code, now)
    grant = grants.upsert_grant(session, settings, opened.collaboration, opened.link.id, platform, tokens, now)
    fetch_now(session, settings, grant, now)
    timeline.record(session, workspace_id=grant.workspace_id, creator_id=grant.creator_id,
                    collaboration_id=grant.collaboration_id, kind="insights_shared", actor="creator (portal)",
                    summary=f"Shared {provider.label} insights (audience and post figures)",
                    url="/insights/shared", ref=("creator_grant", grant.id))  # fmt: skip
    schedule_refresh(session, grant, now)
    return str(pending["token"])


def fetch_now(session: Session, settings: Settings, grant: CreatorGrant, now: datetime) -> bool:
    """Fetch and store the grant's figures; a failure is noted on the grant (the job retries). True if stored."""
    try:
        figures = grants.provider(settings, grant.platform).fetch(
            grants.tokens_of(settings, grant), grants.since_for(session, grant)
        )
    except ReconnectNeeded as err:
        grants.mark_needs_reconnect(session, grant, str(err))
        return False
    except ApiError as err:
        grant.status_reason = f"figures not fetched yet: {err.message}"[:500]
        return False
    grants.store_figures(session, grant, figures, now)
    grant.status_reason = None
    return True


def schedule_refresh(session: Session, grant: CreatorGrant, now: datetime, delay_days: int = 1) -> None:
    """Queue the grant's next refresh-and-fetch (daily; one job per grant and day)."""
    run_at = now + timedelta(days=delay_days)
    queue.enqueue(session, grants.REFRESH_JOB, {"grant_id": grant.id}, workspace_id=grant.workspace_id,
                  key=f"{grants.REFRESH_JOB}:{grant.id}:{run_at:%Y-%m-%d}", run_at=run_at, max_attempts=4)  # fmt: skip


def stop_sharing(session: Session, settings: Settings, token: str, grant_id: int) -> bool:
    """The creator withdraws one connection of this link's collaboration; True if the platform was told."""
    opened = links.open_link(session, settings, token)
    grant = session.scalar(
        select(CreatorGrant).where(
            CreatorGrant.id == grant_id, CreatorGrant.collaboration_id == opened.collaboration.id
        )
    )
    if grant is None or grant.status == GrantStatus.revoked:
        raise NotFound("There is no such connection on this link.")
    return grants.revoke_grant(session, settings, grant, utcnow())


@dataclass(frozen=True)
class SharedRow:
    """A line of the brand's "Shared insights" page."""

    creator_id: int
    creator_name: str
    grant: GrantView


def brand_page(session: Session, workspace_id: int) -> dict[str, Any]:
    """Every creator's connections in the workspace and the apps set up per platform."""
    query = (
        select(CreatorGrant, Creator.display_name)
        .join(Creator, Creator.id == CreatorGrant.creator_id)
        .where(CreatorGrant.workspace_id == workspace_id)
        .order_by(Creator.display_name, CreatorGrant.platform)
    )
    pairs = list(session.execute(query))
    views = _grant_views(session, [g for g, _ in pairs])
    rows = [SharedRow(g.creator_id, name, view) for (g, name), view in zip(pairs, views, strict=True)]
    apps = {
        a.platform: a
        for a in session.scalars(select(CreatorOAuthApp).where(CreatorOAuthApp.workspace_id == workspace_id))
    }
    platforms = [(p, PROVIDERS[p].label, apps.get(p)) for p in PLATFORMS]
    return {"rows": rows, "platforms": platforms}


def save_app(session: Session, settings: Settings, workspace_id: int, platform: str, form: dict[str, str],
             by: str) -> None:  # fmt: skip
    """The brand's app form for one platform (client id, secret, optional redirect base)."""
    grants.save_app(session, settings, workspace_id, platform, form.get("client_id", ""),
                    form.get("client_secret", ""), form.get("redirect_base", ""), by)  # fmt: skip
