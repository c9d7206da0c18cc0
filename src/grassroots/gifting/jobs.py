"""Job handlers: creating gift orders in the store, refreshing the store's products."""

from __future__ import annotations

import logging
from typing import Any

from grassroots.connectors.http import ApiError
from grassroots.connectors.shopify.draft_orders import DraftOrderRefused
from grassroots.db.session import session_scope, write_unit
from grassroots.errors import GrassrootsError
from grassroots.gifting import catalogue, ordering
from grassroots.jobs import queue
from grassroots.jobs.queue import JobContext, PermanentFailure, RetryLater

log = logging.getLogger("grassroots.gifting")


@queue.handler(ordering.ORDER_JOB)
def order_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Create the gift's zero-priced order in the store; running twice never makes two orders."""
    gift_id = int(payload["gift_id"])
    try:
        with session_scope(ctx.engine) as session:
            ordering.place_store_order(session, ctx.settings, ctx.workspace_id, gift_id)
    except DraftOrderRefused as exc:
        _record_error(ctx, gift_id, exc.detail)
        raise PermanentFailure(exc.detail) from None
    except ApiError as exc:  # the network, a 5xx after retries, throttling: try again later
        if ctx.last_attempt:
            _record_error(ctx, gift_id, exc.detail)
        raise RetryLater(exc.detail) from None


def _record_error(ctx: JobContext, gift_id: int, error: str) -> None:
    write_unit(ctx.engine, lambda session: ordering.record_order_error(session, gift_id, error))


@queue.handler(catalogue.REFRESH_JOB)
def refresh_products_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Read the store's products into the gift product list."""
    if ctx.workspace_id is None:
        raise PermanentFailure("a product refresh needs a workspace")
    try:
        with session_scope(ctx.engine) as session:
            result = catalogue.refresh_from_store(session, ctx.settings, ctx.workspace_id)
    except ApiError as exc:
        raise RetryLater(exc.detail) from None
    except GrassrootsError as exc:
        raise PermanentFailure(exc.detail) from None
    log.info("refreshed %d store variants (%d new, %d gone)", result.variants, result.new, result.gone)
    if result.problems:
        log.warning("products skipped in the refresh: %s", "; ".join(result.problems[:20]))
