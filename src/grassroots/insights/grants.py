"""Grants: the brand's app per platform, the creator's encrypted tokens, the figures, refresh and revoke.

Tokens are stored only as a Fernet token (``connectors.credentials``, the connectors' key); they are decrypted
inside a call to the platform and never shown. Revoking deletes the tokens and the figures (the creator
withdrew them) and keeps the grant row as a dated record with nothing in it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.config import Settings
from grassroots.connectors.creator_auth import PLATFORMS, provider_for
from grassroots.connectors.creator_auth.base import App, CreatorAuthProvider, Figures, Tokens
from grassroots.connectors.credentials import decrypt_secret, encrypt_secret
from grassroots.errors import GrassrootsError, InvalidInput, NotFound
from grassroots.insights.models import CreatorGrant, CreatorOAuthApp, GrantStatus, SharedInsight
from grassroots.outreach import timeline

CALLBACK_PATH = "/oauth/creator/{platform}/callback"
REFRESH_JOB = "insights.refresh"


def provider(settings: Settings, platform: str) -> CreatorAuthProvider:
    """The platform's provider with the operator's endpoint overrides."""
    return provider_for(platform, settings.creator_oauth_urls)


def save_app(session: Session, settings: Settings, workspace_id: int, platform: str, client_id: str,
             client_secret: str, redirect_base: str, by: str) -> CreatorOAuthApp:  # fmt: skip
    """Store (or replace) the brand's app on a platform; an empty secret keeps the stored one."""
    if platform not in PLATFORMS:
        raise InvalidInput(f"unknown platform {platform!r}")
    client_id, redirect_base = client_id.strip(), redirect_base.strip().rstrip("/")
    if not client_id:
        raise InvalidInput("Enter the app's client id.")
    if redirect_base and not redirect_base.startswith(("https://", "http://")):
        raise InvalidInput("The redirect base must start with https:// (or http:// for a local test).")
    row = app_row(session, workspace_id, platform)
    if row is None and not client_secret:
        raise InvalidInput("Enter the app's client secret.")
    if row is None:
        row = CreatorOAuthApp(workspace_id=workspace_id, platform=platform)
        session.add(row)
    row.client_id = client_id
    if client_secret:
        row.secret = encrypt_secret({"client_secret": client_secret.strip()}, settings=settings)
    row.redirect_base = redirect_base or None
    row.updated_by = by
    session.flush()
    return row


def app_row(session: Session, workspace_id: int, platform: str) -> CreatorOAuthApp | None:
    """The workspace's app row for a platform, if configured."""
    return session.scalar(
        select(CreatorOAuthApp).where(
            CreatorOAuthApp.workspace_id == workspace_id, CreatorOAuthApp.platform == platform
        )
    )


def app_for(session: Session, settings: Settings, workspace_id: int, platform: str) -> App:
    """The decrypted app credentials and the callback address, or NotFound when the brand set none."""
    row = app_row(session, workspace_id, platform)
    if row is None:
        raise NotFound(f"The brand has not set up {platform} connections yet.")
    base = row.redirect_base or settings.base_url
    secret = decrypt_secret(row.secret, settings=settings)["client_secret"]
    return App(row.client_id, secret, base + CALLBACK_PATH.format(platform=platform))


def tokens_of(settings: Settings, grant: CreatorGrant) -> Tokens:
    """The grant's decrypted tokens."""
    if grant.secret is None:
        raise NotFound("This connection was stopped; nothing is stored.")
    data = decrypt_secret(grant.secret, settings=settings)
    return Tokens(access_token=data["access_token"], refresh_token=data.get("refresh_token") or None,
                  expires_at=grant.token_expires_at, refresh_expires_at=grant.refresh_expires_at,
                  scopes=grant.scopes, account_id=grant.account_id)  # fmt: skip


def keep_tokens(settings: Settings, grant: CreatorGrant, tokens: Tokens) -> None:
    """Encrypt tokens onto the grant with their expiry and scopes."""
    secret = {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token or ""}
    grant.secret = encrypt_secret(secret, settings=settings)
    grant.token_expires_at = tokens.expires_at
    grant.refresh_expires_at = tokens.refresh_expires_at
    grant.scopes = tokens.scopes[:500]
    grant.account_id = tokens.account_id or grant.account_id


def upsert_grant(session: Session, settings: Settings, collaboration: Collaboration, link_id: int, platform: str,
                 tokens: Tokens, now: datetime) -> CreatorGrant:  # fmt: skip
    """The collaboration's grant for the platform, (re)connected with fresh tokens."""
    grant = session.scalar(
        select(CreatorGrant).where(CreatorGrant.collaboration_id == collaboration.id, CreatorGrant.platform == platform)
    )
    if grant is None:
        grant = CreatorGrant(workspace_id=collaboration.workspace_id, creator_id=collaboration.creator_id,
                             collaboration_id=collaboration.id, platform=platform)  # fmt: skip
        session.add(grant)
    keep_tokens(settings, grant, tokens)
    grant.portal_link_id = link_id
    grant.status = GrantStatus.active
    grant.status_reason = None
    grant.connected_at = now
    grant.revoked_at = None
    session.flush()
    return grant


def since_for(session: Session, grant: CreatorGrant) -> datetime:
    """Posts count for the collaboration from its start: the campaign's start day, else when it was added."""
    collaboration = session.get(Collaboration, grant.collaboration_id)
    if collaboration is None:
        raise NotFound("the collaboration is gone")
    start = collaboration.created_at
    campaign = session.get(Campaign, collaboration.campaign_id)
    if campaign is not None and campaign.starts_on is not None:
        start = min(start, datetime.combine(campaign.starts_on, time.min, tzinfo=UTC))
    return start


def store_figures(session: Session, grant: CreatorGrant, figures: Figures, now: datetime) -> SharedInsight:
    """Replace the grant's figures with a fresh fetch."""
    row = session.scalar(select(SharedInsight).where(SharedInsight.grant_id == grant.id))
    if row is None:
        row = SharedInsight(workspace_id=grant.workspace_id, grant_id=grant.id, creator_id=grant.creator_id)
        session.add(row)
    row.platform = grant.platform
    row.followers = figures.followers
    row.audience = figures.audience
    row.audience_unit = figures.audience_unit
    row.posts = [asdict(p) for p in figures.posts]
    row.notes = figures.notes[:50]
    row.fetched_at = now
    grant.account_name = figures.account_name or grant.account_name
    session.flush()
    return row


def mark_needs_reconnect(session: Session, grant: CreatorGrant, reason: str) -> None:
    """The platform refused: show "needs reconnect" to the creator and the brand, with a timeline entry."""
    grant.status = GrantStatus.needs_reconnect
    grant.status_reason = reason[:500]
    timeline.record(session, workspace_id=grant.workspace_id, creator_id=grant.creator_id,
                    collaboration_id=grant.collaboration_id, kind="insights_refresh_failed",
                    summary=f"Shared {grant.platform} insights could not be refreshed: reconnect needed",
                    detail=reason[:1000], ref=("creator_grant", grant.id))  # fmt: skip


def revoke_grant(session: Session, settings: Settings, grant: CreatorGrant, now: datetime) -> bool:
    """Delete the tokens and the figures; tell the platform where it documents how. True if it was told."""
    told = False
    if grant.secret is not None:
        try:
            app = app_for(session, settings, grant.workspace_id, grant.platform)
            told = provider(settings, grant.platform).revoke(app, tokens_of(settings, grant))
        except GrassrootsError:  # withdrawing never fails because the platform is down or the app is gone
            told = False
    session.execute(delete(SharedInsight).where(SharedInsight.grant_id == grant.id))
    grant.secret = None
    grant.token_expires_at = None
    grant.refresh_expires_at = None
    grant.status = GrantStatus.revoked
    grant.status_reason = None
    grant.revoked_at = now
    timeline.record(session, workspace_id=grant.workspace_id, creator_id=grant.creator_id,
                    collaboration_id=grant.collaboration_id, kind="insights_revoked", actor="creator (portal)",
                    summary=f"Stopped sharing {grant.platform} insights; tokens and figures deleted",
                    ref=("creator_grant", grant.id))  # fmt: skip
    session.flush()
    return told


def due_for_refresh(settings: Settings, grant: CreatorGrant, now: datetime) -> bool:
    """True when the access token expires within ``creator_oauth_refresh_days`` (or within a day if short-lived)."""
    if grant.token_expires_at is None:
        return False
    lifetime_left = grant.token_expires_at - now
    margin = timedelta(days=settings.creator_oauth_refresh_days)
    # Short-lived tokens (TikTok ~24 h, Google ~1 h) are refreshed before every read instead.
    return lifetime_left <= margin
