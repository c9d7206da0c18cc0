"""Use cases: connect a provider, list connections, run syncs and record how each run went."""

from __future__ import annotations

import json
import logging
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors import repository
from grassroots.connectors.base import Connector, Progress, Skip, SyncSummary, no_progress
from grassroots.connectors.credentials import decrypt_secret, encrypt_secret
from grassroots.connectors.http import AuthFailed, QuotaExhausted, redact
from grassroots.connectors.models import Connection, ConnectionStatus, RunStatus, SyncRun
from grassroots.connectors.outbound import ForbiddenHost, check_url
from grassroots.connectors.registry import connector_for
from grassroots.db.base import utcnow
from grassroots.errors import GrassrootsError, InvalidInput, NotFound
from grassroots.tracking.models import DiscountKind, PromoCode

log = logging.getLogger("grassroots.connectors")
MAX_STORED_ERRORS = 500


@dataclass
class SyncResult:
    """How one connection's sync ended (safe to show: no secrets)."""

    connection_id: int
    provider: str
    label: str
    run_id: int
    status: RunStatus
    summary: SyncSummary = field(default_factory=SyncSummary)
    error: str | None = None


def parse_config(pairs: list[str]) -> dict[str, str]:
    """``["key=value", …]`` as a dict; a pair without '=' is an InvalidInput."""
    config: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"config {pair!r} is not KEY=VALUE")
        config[key.strip()] = value.strip()
    return config


def connect(
    session: Session,
    workspace_id: int,
    provider: str,
    secrets: dict[str, str],
    config: dict[str, Any],
    *,
    label: str | None = None,
    settings: Settings | None = None,
) -> Connection:
    """Store (or replace) a provider connection with its secrets encrypted; reconnecting re-activates it."""
    cls = connector_for(provider)
    optional = set(getattr(cls, "optional_secrets", ()))
    missing = [n for n in cls.secret_fields if n not in optional and not (secrets.get(n) or "").strip()]
    if missing:
        raise InvalidInput(f"{provider} needs {', '.join(missing)}", {name: "required" for name in missing})
    unknown = sorted(set(config) - set(cls.config_fields))
    if unknown:
        raise InvalidInput(
            f"{provider} has no setting {', '.join(unknown)}; settings are: {', '.join(cls.config_fields)}",
            {name: "unknown setting" for name in unknown},
        )
    needed = [n for n in getattr(cls, "required_config", ()) if not str(config.get(n) or "").strip()]
    if needed:
        raise InvalidInput(f"{provider} needs {', '.join(needed)}", {name: "required" for name in needed})
    _check_addresses(cls, config)
    label = (label or provider).strip()[:200] or provider
    connection = repository.find_connection(session, workspace_id, provider, label)
    if connection is None:
        connection = Connection(workspace_id=workspace_id, provider=provider, label=label, config={})
        session.add(connection)
    kept = {name: secrets[name].strip() for name in cls.secret_fields if secrets.get(name)}
    connection.secret = encrypt_secret(kept, settings=settings)
    connection.config = {**(connection.config or {}), **config}
    connection.status = ConnectionStatus.active.value
    session.flush()
    log.info("connected %s (%s) in workspace %s", provider, label, workspace_id)
    return connection


def _check_addresses(cls: type[Connector], config: dict[str, Any]) -> None:
    """A base_url or store_url the server would call with the keys: refused early when it must not be called."""
    for name in ("base_url", "store_url"):
        if config.get(name):
            official = getattr(cls, "official_hosts", ()) if name == "base_url" else ()
            try:
                check_url(str(config[name]), official=official)
            except ForbiddenHost as exc:
                raise InvalidInput(exc.detail, {name: exc.detail}) from None


def require_connection(session: Session, workspace_id: int, connection_id: int) -> Connection:
    """A connection of this workspace or NotFound."""
    connection = repository.get_connection(session, workspace_id, connection_id)
    if connection is None:
        raise NotFound(f"connection {connection_id} not found")
    return connection


def _finish(run: SyncRun, status: RunStatus, summary: SyncSummary, error: str | None) -> None:
    problems: list[dict[str, str]] = [{"item": s.item, "reason": s.reason} for s in summary.skipped]
    problems += [{"item": n.item, "reason": n.reason, "kind": "note"} for n in summary.notes]
    if error:
        problems.insert(0, {"item": "sync", "reason": error})
    run.status = status.value
    run.finished_at = utcnow()
    run.fetched, run.new, run.updated, run.skipped = summary.fetched, summary.new, summary.updated, len(summary.skipped)
    run.errors = problems[:MAX_STORED_ERRORS]


def _interrupted(summary: SyncSummary, exc: BaseException) -> RunStatus:
    if isinstance(exc, QuotaExhausted):
        summary.stopped_at_quota = True
        return RunStatus.quota
    stored = summary.new + summary.updated + summary.fetched
    return RunStatus.partial if stored else RunStatus.failed


def sync_connection(
    session: Session,
    connection: Connection,
    progress: Progress = no_progress,
    *,
    transport: httpx.BaseTransport | None = None,
    settings: Settings | None = None,
) -> SyncResult:
    """Run one connection's sync; pages commit as they go, and the run records ok, partial, quota or failed."""
    secrets = decrypt_secret(connection.secret, settings=settings)
    run = SyncRun(workspace_id=connection.workspace_id, connection_id=connection.id)
    session.add(run)
    session.commit()
    connector = connector_for(connection.provider)(connection, secrets, transport=transport)
    error: str | None = None
    try:
        summary = connector.sync(session, progress)
        status = RunStatus.quota if summary.stopped_at_quota else RunStatus.ok
    except Exception as exc:
        session.rollback()  # the page in flight; committed pages stay
        summary = connector.summary
        status = _interrupted(summary, exc)
        error = redact(exc.detail if isinstance(exc, GrassrootsError) else f"unexpected error: {exc}", secrets.values())
        if isinstance(exc, AuthFailed):
            connection.status = ConnectionStatus.auth_failed.value
        if not isinstance(exc, GrassrootsError):
            trace = "".join(traceback.format_exception(exc))
            log.error("sync of connection %s failed:\n%s", connection.id, redact(trace, secrets.values()))
        else:
            log.warning("sync of connection %s stopped: %s", connection.id, error)
    _finish(run, status, summary, error)
    if status is not RunStatus.failed:
        connection.last_synced_at = utcnow()
    session.commit()
    return SyncResult(connection.id, connection.provider, connection.label, run.id, status, summary, error)


def sync_all(
    session: Session,
    workspace_id: int,
    *,
    provider: str | None = None,
    progress: Progress = no_progress,
    transport: httpx.BaseTransport | None = None,
    settings: Settings | None = None,
) -> list[SyncResult]:
    """Sync every active connection of the workspace (optionally one provider's)."""
    if provider:
        connector_for(provider)
    connections = [
        c
        for c in repository.list_connections(session, workspace_id, provider)
        if c.status != ConnectionStatus.disabled.value
    ]
    if not connections:
        which = f"{provider} " if provider else ""
        raise NotFound(f"no {which}connections in this workspace; add one with `grassroots connect PROVIDER`")
    return [sync_connection(session, c, progress, transport=transport, settings=settings) for c in connections]


def describe(connection: Connection) -> dict[str, Any]:
    """A connection as shown to people: provider, label, status, config; never the secrets."""
    return {
        "id": connection.id,
        "provider": connection.provider,
        "label": connection.label,
        "status": connection.status,
        "config": dict(connection.config or {}),
        "last_synced_at": connection.last_synced_at,
    }


def summary_skips(result: SyncResult) -> list[Skip]:
    """Everything a person should read about a run: the stopping error first, then skips and notes."""
    head = [Skip("sync", result.error)] if result.error else []
    return head + result.summary.skipped + result.summary.notes


@dataclass
class ConnectionView:
    """A connection row of the Connections page."""

    connection: dict[str, Any]
    last_run: SyncRun | None
    advocates: list[tuple[str, int]]


def overview(session: Session, workspace_id: int) -> list[ConnectionView]:
    """Every connection with its last run and, where known, the natural advocates it found."""
    connections = repository.list_connections(session, workspace_id)
    runs = repository.last_runs(session, [c.id for c in connections])
    views = []
    for connection in connections:
        raw = repository.get_cursor(session, connection, "advocates")
        found: dict[str, list[str]] = json.loads(raw) if raw else {}
        advocates = sorted(((h, len(ids)) for h, ids in found.items()), key=lambda a: (-a[1], a[0]))[:20]
        views.append(ConnectionView(describe(connection), runs.get(connection.id), advocates))
    return views


def get_run(session: Session, workspace_id: int, run_id: int) -> SyncRun | None:
    """A sync run of this workspace."""
    run = session.get(SyncRun, run_id)
    return run if run is not None and run.workspace_id == workspace_id else None


def create_shop_discount_code(
    session: Session, workspace_id: int, connection_id: int, settings: Settings, *,
    code: str, kind: DiscountKind, value: Decimal, creator_id: int | None,
) -> PromoCode:  # fmt: skip
    """Create a discount code in the shop of a Shopify connection and store it as a PromoCode."""
    from grassroots.connectors.shopify.connector import create_discount_code

    connection = require_connection(session, workspace_id, connection_id)
    if connection.provider != "shopify":
        raise InvalidInput("discount codes are created through a shopify connection")
    secrets = decrypt_secret(connection.secret, settings=settings)
    return create_discount_code(session, connection, secrets, code=code, kind=kind, value=value, creator_id=creator_id)


# Connections that can read another account's public counts, and the setting that lists the accounts to read.
WATCH_SETTING = {"instagram": "handles", "youtube": "channels"}


def watchers(session: Session, workspace_id: int) -> dict[str, Connection]:
    """For each platform, the active connection that can fetch other accounts' follower counts."""
    found: dict[str, Connection] = {}
    for connection in repository.list_connections(session, workspace_id):
        if connection.provider in WATCH_SETTING and connection.status == ConnectionStatus.active.value:
            found.setdefault(connection.provider, connection)
    return found


def watch_account(session: Session, workspace_id: int, platform: str, handle: str) -> Connection | None:
    """Add ``handle`` to the accounts the platform's connection reads on each sync; None without one."""
    connection = watchers(session, workspace_id).get(platform)
    if connection is None:
        return None
    setting = WATCH_SETTING[platform]
    current = connection.config.get(setting) or ""
    items = current if isinstance(current, list) else str(current).replace(",", " ").split()
    wanted = handle if platform == "instagram" else f"@{handle}"
    if wanted.lower() not in {str(i).lower() for i in items}:
        connection.config = {**connection.config, setting: ", ".join([*map(str, items), wanted])}
    return connection
