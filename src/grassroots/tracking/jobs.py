"""Job handlers: creating issued promo codes in the store (flushing the click log lives in link_jobs)."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.http import ApiError, AuthFailed
from grassroots.connectors.shopify.connector import ShopifyConnector
from grassroots.connectors.shopify.discounts import CREATE_MUTATION, create_input, read_created
from grassroots.db.base import utcnow
from grassroots.db.session import write_unit
from grassroots.jobs import queue
from grassroots.jobs.queue import JobContext, PermanentFailure, RetryLater
from grassroots.tracking.codes import CREATE_JOB, describe, next_free, shopify_connection
from grassroots.tracking.models import PromoCode, StoreStatus

MAX_TAKEN = 5  # codes tried per run when the store says each is taken


def create_in_store(
    session: Session, settings: Settings, promo_code_id: int, transport: httpx.BaseTransport | None = None
) -> PromoCode | None:
    """Create one issued code in the workspace's Shopify store (``discountCodeBasicCreate``); idempotent: a code
    that has the store's id is left alone. A code the store says is taken is replaced by the next candidate.
    Raises RetryLater on a network or server error, PermanentFailure when the store refuses the code."""
    promo = session.get(PromoCode, promo_code_id)
    if promo is None or promo.external_id or promo.store_status != StoreStatus.pending:
        return promo
    connection = shopify_connection(session, promo.workspace_id)
    if connection is None:
        promo.store_status, promo.store_error = StoreStatus.export, "no Shopify connection: export the codes as CSV"
        return promo
    connector = ShopifyConnector(connection, decrypt_secret(connection.secret, settings=settings), transport=transport)
    tried: set[str] = set()
    base = promo.code
    with connector.client:
        for _ in range(MAX_TAKEN):
            title = f"grassroots {promo.code} ({describe(promo.kind, promo.value)})"
            try:
                data = connector.graphql(CREATE_MUTATION, {"basicCodeDiscount": create_input(
                    promo.code, title, promo.kind, promo.value, utcnow())})  # fmt: skip
            except AuthFailed as exc:
                _failed(promo, str(exc))
                raise PermanentFailure(str(exc)) from None
            except ApiError as exc:
                raise RetryLater(str(exc)) from None
            created = read_created(data)
            if created.discount_id:
                promo.external_id, promo.store_status, promo.store_error = (
                    created.discount_id,
                    StoreStatus.created,
                    None,
                )
                return promo
            if not created.taken:
                _failed(promo, created.errors)
                raise PermanentFailure(created.errors)
            # Taken in the store (a code we never imported): the next candidate no code here uses.
            tried.add(promo.code)
            promo.code = next_free(session, promo.workspace_id, base, "", tried)
            session.flush()
    _failed(promo, f"the store says {MAX_TAKEN} candidate codes are taken")
    raise PermanentFailure(promo.store_error or "")


def _failed(promo: PromoCode, reason: str) -> None:
    promo.store_status, promo.store_error = StoreStatus.failed, reason[:500]


@queue.handler(CREATE_JOB)
def create_store_code_job(ctx: JobContext, payload: dict[str, object]) -> None:
    """The job: create one issued code in the store (see ``create_in_store``); failures are kept on the code."""
    promo_code_id = int(str(payload["promo_code_id"]))

    def work(session: Session) -> None:
        try:
            create_in_store(session, ctx.settings, promo_code_id)
        except PermanentFailure:
            session.commit()  # keep the reason on the code, then fail the job
            raise

    write_unit(ctx.engine, work)
