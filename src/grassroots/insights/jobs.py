"""Job handlers: refresh tokens before they expire, fetch shared figures.

``insights.refresh`` (one per grant and day): refresh the access token when it expires within
``creator_oauth_refresh_days`` (short-lived tokens: before every read), fetch the figures again and queue the
next day's run. A refused token or refresh marks the grant "needs reconnect" (shown in the portal and on the
brand's page, with a timeline entry) and stops; a platform that is down is retried, and after the last attempt
the grant is marked the same way with the reason.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from grassroots.connectors.creator_auth.base import ReconnectNeeded
from grassroots.connectors.http import ApiError
from grassroots.db.session import write_unit
from grassroots.insights import grants, service
from grassroots.insights.models import CreatorGrant, GrantStatus
from grassroots.jobs import queue
from grassroots.jobs.queue import JobContext, RetryLater


def refresh_grant(session: Session, ctx: JobContext, grant_id: int) -> str | None:
    """Refresh (when due) and re-fetch one grant; the error to retry on, or None."""
    grant = session.get(CreatorGrant, grant_id)
    if grant is None or grant.status != GrantStatus.active or grant.secret is None:
        return None  # revoked, or waiting for the creator to reconnect: nothing to do
    provider = grants.provider(ctx.settings, grant.platform)
    try:
        if grants.due_for_refresh(ctx.settings, grant, ctx.now):
            app = grants.app_for(session, ctx.settings, grant.workspace_id, grant.platform)
            fresh = provider.refresh(app, grants.tokens_of(ctx.settings, grant), ctx.now)
            grants.keep_tokens(ctx.settings, grant, fresh)
            grant.refreshed_at = ctx.now
    except ReconnectNeeded as err:
        grants.mark_needs_reconnect(session, grant, str(err))
        return None
    except ApiError as err:
        if ctx.last_attempt:
            grants.mark_needs_reconnect(session, grant, f"the token could not be refreshed: {err.message}")
            return None
        return err.message
    if not service.fetch_now(session, ctx.settings, grant, ctx.now):
        if grant.status != GrantStatus.active:
            return None
        if not ctx.last_attempt:
            return grant.status_reason or "figures not fetched"
        grants.mark_needs_reconnect(session, grant, grant.status_reason or "figures could not be fetched")
        return None
    service.schedule_refresh(session, grant, ctx.now)
    return None


@queue.handler(grants.REFRESH_JOB)
def refresh_job(ctx: JobContext, payload: dict[str, object]) -> None:
    """Refresh one grant's token and figures."""
    grant_id = int(str(payload["grant_id"]))
    error = write_unit(ctx.engine, lambda session: refresh_grant(session, ctx, grant_id))
    if error:
        raise RetryLater(error)
