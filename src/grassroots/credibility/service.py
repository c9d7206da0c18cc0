"""Use cases: vet one creator or a whole workspace, store dated reports, read the latest report."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from grassroots.config import get_settings
from grassroots.creators.models import Creator, SocialAccount
from grassroots.credibility.annotate import annotate
from grassroots.credibility.frames import load_frames, load_neighbourhood
from grassroots.credibility.models import VettingReport
from grassroots.db import models as _all_tables  # noqa: F401  (foreign keys resolve across domains)
from grassroots.vetting.engagement import tier_expr
from grassroots.vetting.pipeline import pod_membership, vet

DETAIL_KEYS = (
    "peers", "tier_er_low", "tier_er_high", "posts_used", "likes_median", "comments_seen", "drops", "spike_share",
    "pod_size", "cadence_cv", "anomalies", "worst_examples", "quick_share", "reciprocal", "pod_evidence",
)  # fmt: skip
CHUNK = 20_000  # accounts per pass; one pass covers a brand's whole world in memory


@dataclass
class VetRun:
    """What a vetting run did."""

    accounts: int = 0
    seconds: float = 0.0
    reports: list[dict[str, Any]] = field(default_factory=list)


def tier_bounds() -> tuple[int, int, int, int]:
    """Tier lower bounds from settings, in the order the judgment takes them."""
    s = get_settings()
    return (s.tier_nano_min, s.tier_micro_min, s.tier_macro_min, s.tier_mega_min)


def reference_frame(session: Session, workspace_id: int) -> pl.DataFrame:
    """Every account's cached engagement in the workspace: the peer group for percentiles."""
    rows = session.execute(
        select(SocialAccount.platform, SocialAccount.followers, SocialAccount.engagement_rate).where(
            SocialAccount.workspace_id == workspace_id
        )
    ).all()
    frame = pl.DataFrame(
        [(str(p.value), f, e) for p, f, e in rows],
        schema={"platform": pl.String, "followers": pl.Int64, "er_median": pl.Float64},
        orient="row",
    )
    return frame.with_columns(tier_expr(pl.col("followers"), tier_bounds()).alias("tier"))


def vet_accounts(
    session: Session,
    workspace_id: int,
    account_ids: Sequence[int] | None = None,
    *,
    day: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> VetRun:
    """Vet accounts (default: all of the workspace), store one report per account for ``day``."""
    started = time.perf_counter()
    ids = list(account_ids) if account_ids is not None else _all_accounts(session, workspace_id)
    reference = reference_frame(session, workspace_id)
    conn = session.connection()
    # Pods need everyone's commenters: a partial run looks at its neighbourhood, a multi-pass run at all.
    pod_frame = None
    if account_ids is None and len(ids) > CHUNK:
        everyone = load_frames(conn, workspace_id, only=("accounts", "comments"))
        pod_frame = pod_membership(everyone["comments"], everyone["accounts"])
    run = VetRun()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        frames = annotate(load_frames(conn, workspace_id, chunk))
        neighbourhood, chunk_pods = None, pod_frame
        if account_ids is not None:
            # Pods are a property of the whole population: reuse the last full run's finding when there
            # is one (keeps one creator under 200 ms), else look at everyone sharing a commenter.
            chunk_pods = stored_pods(session, chunk)
            if chunk_pods is None:
                neighbourhood = load_neighbourhood(conn, workspace_id, chunk)
        reports = vet(
            frames["accounts"], frames["posts"], frames["snapshots"], frames["comments"],
            reference=reference, bounds=tier_bounds(), neighbourhood=neighbourhood, pod_frame=chunk_pods,
        )  # fmt: skip
        creators = frames["accounts"].select("account_id", "creator_id")
        rows = store_reports(session, workspace_id, reports.join(creators, on="account_id"), day or date.today())
        run.reports.extend(rows)
        run.accounts += len(chunk)
        if progress is not None:
            progress(run.accounts, len(ids))
    _update_creators(session, workspace_id, {r["creator_id"] for r in run.reports})
    run.seconds = time.perf_counter() - started
    return run


POD_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.Int64(), "pod_id": pl.Int64(), "pod_size": pl.UInt32(), "quick_share": pl.Float64(),
    "reciprocal": pl.Boolean(), "pod_evidence": pl.List(pl.String()),
}  # fmt: skip


def stored_pods(session: Session, account_ids: Sequence[int]) -> pl.DataFrame | None:
    """Pod membership from each account's latest report, or None if any account has never been vetted."""
    rows = session.execute(
        select(VettingReport.account_id, VettingReport.pod_id, VettingReport.details)
        .where(VettingReport.account_id.in_(list(account_ids)))
        .order_by(VettingReport.day, VettingReport.id)
    ).all()
    latest = {account_id: (pod_id, details) for account_id, pod_id, details in rows}
    if set(latest) != set(account_ids):
        return None
    records = [
        (a, pod_id, d.get("pod_size"), d.get("quick_share"), d.get("reciprocal"), d.get("pod_evidence") or [])
        for a, (pod_id, d) in latest.items()
        if pod_id is not None
    ]
    return pl.DataFrame(records, schema=POD_SCHEMA, orient="row")


def _all_accounts(session: Session, workspace_id: int) -> list[int]:
    stmt = select(SocialAccount.id).where(SocialAccount.workspace_id == workspace_id).order_by(SocialAccount.id)
    return list(session.scalars(stmt))


def _json_safe(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, float) and value != value:  # NaN has no JSON form
        return None
    return value


def store_reports(session: Session, workspace_id: int, reports: pl.DataFrame, day: date) -> list[dict[str, Any]]:
    """Replace the reports of these accounts for ``day`` (re-running a day overwrites it)."""
    rows = []
    now = datetime.now(UTC)
    for r in reports.to_dicts():
        rows.append({
            "workspace_id": workspace_id, "account_id": r["account_id"], "creator_id": r["creator_id"], "day": day,
            "computed_at": now, "credibility": int(r["credibility"]), "tier": r["tier"],
            "engagement_rate": r["er_median"], "er_percentile": r["er_percentile"],
            "authentic_share": r["authentic_share"], "fake_probability": r["fake_prob"],
            "unexplained_spikes": int(r["unexplained_spikes"] or 0), "pod_id": r["pod_id"],
            "sponsored_share": r["sponsored_share"], "paid_vs_organic": r["paid_vs_organic"],
            "reasons": _json_safe(r["reasons"]), "details": _json_safe({k: r[k] for k in DETAIL_KEYS}),
        })  # fmt: skip
    if rows:
        account_ids = [r["account_id"] for r in rows]
        session.execute(
            delete(VettingReport).where(VettingReport.account_id.in_(account_ids), VettingReport.day == day)
        )
        session.execute(insert(VettingReport), rows)
    return rows


def _update_creators(session: Session, workspace_id: int, creator_ids: set[int]) -> None:
    """A creator's credibility is its primary (largest) account's latest score."""
    if not creator_ids:
        return
    ids = sorted(creator_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        latest = session.execute(
            select(VettingReport.creator_id, VettingReport.credibility, SocialAccount.followers, VettingReport.day)
            .join(SocialAccount, SocialAccount.id == VettingReport.account_id)
            .where(VettingReport.creator_id.in_(chunk))
            .order_by(VettingReport.day, SocialAccount.followers)
        ).all()
        best: dict[int, int] = {}
        for creator_id, score, _followers, _day in latest:
            best[creator_id] = score  # ordered so the newest day's largest account wins
        for creator_id, score in best.items():
            session.execute(
                update(Creator)
                .where(Creator.id == creator_id, Creator.workspace_id == workspace_id)
                .values(credibility=score)
            )


def latest_reports(session: Session, workspace_id: int, creator_id: int) -> list[VettingReport]:
    """The newest report of each of a creator's accounts."""
    reports = session.scalars(
        select(VettingReport)
        .where(VettingReport.workspace_id == workspace_id, VettingReport.creator_id == creator_id)
        .order_by(VettingReport.day.desc(), VettingReport.id.desc())
    ).all()
    newest: dict[int, VettingReport] = {}
    for report in reports:
        newest.setdefault(report.account_id, report)
    return list(newest.values())


def history(session: Session, workspace_id: int, creator_id: int) -> list[tuple[date, int]]:
    """(day, credibility) of the creator's primary account over time."""
    rows = session.execute(
        select(VettingReport.day, VettingReport.credibility)
        .join(Creator, Creator.id == VettingReport.creator_id)
        .join(SocialAccount, SocialAccount.id == VettingReport.account_id)
        .where(VettingReport.workspace_id == workspace_id, VettingReport.creator_id == creator_id,
               SocialAccount.handle == Creator.primary_handle)
        .order_by(VettingReport.day)
    ).all()  # fmt: skip
    return [(d, c) for d, c in rows]
