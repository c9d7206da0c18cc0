"""Use cases: vet one creator or a whole workspace, store dated reports, read the latest report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from grassroots.config import get_settings
from grassroots.creators import service as creators
from grassroots.creators.models import Creator, SocialAccount
from grassroots.creators.repository import follower_history
from grassroots.engine.local import score_parts
from grassroots.errors import NotFound
from grassroots.judgments.vetting.annotate import annotate
from grassroots.judgments.vetting.engagement import tier_expr
from grassroots.judgments.vetting.pipeline import pod_membership
from grassroots.vetting.models import VettingReport
from grassroots.vetting.repository import evidence_post_links, load_frames, load_neighbourhood
from grassroots.workspaces.models import Workspace

DETAIL_KEYS = (
    "peers", "tier_er_low", "tier_er_high", "posts_used", "likes_median", "comments_seen", "drops", "spike_share",
    "pod_size", "cadence_cv", "anomalies", "worst_examples", "quick_share", "reciprocal", "pod_evidence",
    "confidence", "enough_data", "days", "commenters", "real_commenters", "substantive_comments", "question_share",
    "intent_share", "growth_cv", "good_examples", "hollow_examples",
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
    """Vet accounts (default: all of the workspace), store one report per account for ``day``.

    The store is read a part at a time (``CHUNK`` accounts) and the engine scores and gathers the parts,
    exactly as it does for Parquet folders; percentiles are against the whole workspace's peers.
    """
    started = time.perf_counter()
    ids = list(account_ids) if account_ids is not None else _all_accounts(session, workspace_id)
    if not ids:
        return VetRun()
    creators: list[pl.DataFrame] = []

    def parts() -> Iterator[tuple[dict[str, pl.DataFrame], pl.DataFrame]]:
        conn = session.connection()
        # Pods need everyone's commenters: a run over more than one part finds them once, over everyone.
        everyone_pods = None
        if account_ids is None and len(ids) > CHUNK:
            everyone = load_frames(conn, workspace_id, only=("accounts", "comments"))
            everyone_pods = pod_membership(everyone["comments"], everyone["accounts"])
        for start in range(0, len(ids), CHUNK):
            if progress is not None and start:
                progress(start, len(ids))
            chunk = ids[start : start + CHUNK]
            frames = annotate(load_frames(conn, workspace_id, chunk))
            creators.append(frames["accounts"].select("account_id", "creator_id"))
            yield frames, everyone_pods if everyone_pods is not None else _pods(session, conn, workspace_id, chunk,
                                                                                 frames, partial=account_ids is not None)  # fmt: skip

    reports = score_parts(parts(), bounds=tier_bounds(), reference=reference_frame(session, workspace_id))
    run = VetRun(accounts=len(ids))
    reports = reports.join(pl.concat(creators), on="account_id")
    run.reports = store_reports(session, workspace_id, reports, day or date.today())
    if progress is not None:
        progress(len(ids), len(ids))
    _update_creators(session, workspace_id, {r["creator_id"] for r in run.reports})
    run.seconds = time.perf_counter() - started
    return run


def _pods(
    session: Session, conn: Connection, workspace_id: int, chunk: list[int], frames: dict[str, pl.DataFrame],
    *, partial: bool,
) -> pl.DataFrame:  # fmt: skip
    """Pod membership for one part: a partial run reuses the last full run's finding when there is one (keeps
    one creator under 200 ms), else looks at everyone sharing a commenter; a one-part full run at its part."""
    if not partial:
        return pod_membership(frames["comments"], frames["accounts"])
    stored = stored_pods(session, chunk)
    if stored is not None:
        return stored
    return pod_membership(frames["comments"], frames["accounts"], load_neighbourhood(conn, workspace_id, chunk))


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


def accounts_with_handle(session: Session, workspace: Workspace, handle: str) -> list[int]:
    """Ids of the workspace's accounts with this handle (any platform), or NotFound."""
    stmt = select(SocialAccount.id).where(
        SocialAccount.workspace_id == workspace.id, SocialAccount.handle == handle.lstrip("@").lower()
    )
    ids = list(session.scalars(stmt))
    if not ids:
        raise NotFound(f"no account @{handle} in {workspace.name}")
    return ids


def handles_of(session: Session, account_ids: Sequence[int]) -> dict[int, str]:
    """Handle of each account id."""
    rows = session.execute(
        select(SocialAccount.id, SocialAccount.handle).where(SocialAccount.id.in_(list(account_ids)))
    )
    return {account_id: handle for account_id, handle in rows}


def export_frames(session: Session, workspace_id: int, folder: Path) -> dict[str, int]:
    """Write accounts, posts, snapshots and comments (with model columns) as the Parquet folder the batch
    engines read; return row counts."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = annotate(load_frames(session.connection(), workspace_id))
    for name, frame in frames.items():
        frame.write_parquet(folder / f"{name}.parquet")
    return {name: frame.height for name, frame in frames.items()}


def creator_reports(session: Session, workspace_id: int, creator_id: int) -> list[VettingReport]:
    """The newest report of each account of a creator of the workspace (NotFound otherwise)."""
    creator = creators.require_creator(session, workspace_id, creator_id)
    return latest_reports(session, workspace_id, creator.id)


def vet_creator(session: Session, workspace_id: int, creator_id: int) -> list[VettingReport]:
    """Vet a creator's accounts now; return the new reports."""
    creator = creators.require_creator(session, workspace_id, creator_id)
    vet_accounts(session, workspace_id, [a.id for a in creator.accounts])
    return latest_reports(session, workspace_id, creator.id)


def vetting_page(session: Session, workspace_id: int, creator_id: int) -> dict[str, Any]:
    """What the vetting page shows: the reports, and per account the peers' engagement and follower history."""
    creator = creators.require_creator(session, workspace_id, creator_id)
    reports = latest_reports(session, workspace_id, creator.id)
    by_account = {a.id: a for a in creator.accounts}
    reference = reference_frame(session, workspace_id)
    charts: dict[int, dict[str, Any]] = {}
    for report in reports:
        account = by_account[report.account_id]
        peers = reference.filter((pl.col("tier") == report.tier) & (pl.col("platform") == account.platform.value))
        snapshots = follower_history(session, [account.id])
        charts[report.account_id] = {
            "peers": [round(v * 100, 2) for v in peers["er_median"].to_list()],
            "er": round((report.engagement_rate or 0) * 100, 2),
            "x": [s.day.isoformat() for s in snapshots],
            "y": [s.followers for s in snapshots],
            "anomalies": report.details.get("anomalies") or [],
        }
    texts = [
        line
        for report in reports
        for line in (
            *(e for reason in report.reasons or [] for e in reason.get("evidence") or []),
            *(report.details.get(key) or [] for key in ("good_examples", "hollow_examples", "worst_examples")),
        )
    ]
    return {
        "creator": creator,
        "reports": reports,
        "by_account": by_account,
        "post_links": evidence_post_links(session, list(by_account), _flatten(texts), creator.id),
        "charts": charts,
        "history": history(session, workspace_id, creator.id),
    }


def follower_jumps(session: Session, workspace_id: int, creator_id: int) -> dict[int, list[Any]]:
    """Each account's follower spikes and drops from its latest report (the profile chart marks them)."""
    return {r.account_id: r.details.get("anomalies") or [] for r in latest_reports(session, workspace_id, creator_id)}


def _flatten(items: list[Any]) -> list[str]:
    """Evidence lines, whether given one by one or as lists of examples."""
    return [str(x) for item in items for x in (item if isinstance(item, list) else [item])]
