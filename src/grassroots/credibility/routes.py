"""Vetting report page, the "vet now" action, and the JSON endpoint."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from grassroots.creators import repository
from grassroots.creators import service as creators
from grassroots.credibility import service
from grassroots.credibility.models import VettingReport
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, ApiUser, ApiWriter, PageUser, PageWriter
from grassroots.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["vetting"])


class ReportOut(BaseModel):
    """A vetting report as the API shows it."""

    account_id: int
    creator_id: int
    day: str
    credibility: int
    tier: str
    engagement_rate: float | None
    er_percentile: float | None
    authentic_share: float | None
    fake_probability: float | None
    unexplained_spikes: int
    pod_id: int | None
    sponsored_share: float | None
    paid_vs_organic: float | None
    reasons: list[dict[str, Any]]
    details: dict[str, Any]


def _out(report: VettingReport) -> ReportOut:
    data = {c.key: getattr(report, c.key) for c in report.__table__.columns}
    data["day"] = report.day.isoformat()
    return ReportOut.model_validate(data)


@api.get("/creators/{creator_id}/vetting", response_model=list[ReportOut])
def vetting_json(creator_id: int, user: ApiUser, db: DB) -> list[ReportOut]:
    """The latest vetting report of each of the creator's accounts (empty until vetted)."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    return [_out(r) for r in service.latest_reports(db, user.workspace_id, creator.id)]


@api.post("/creators/{creator_id}/vetting", response_model=list[ReportOut])
def vet_json(creator_id: int, user: ApiWriter, db: DB) -> list[ReportOut]:
    """Vet the creator's accounts now and return the new reports."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    service.vet_accounts(db, user.workspace_id, [a.id for a in creator.accounts])
    return [_out(r) for r in service.latest_reports(db, user.workspace_id, creator.id)]


def _peer_values(db: DB, workspace_id: int, tier: str, platform: str) -> list[float]:
    ref = service.reference_frame(db, workspace_id)
    peers = ref.filter((pl.col("tier") == tier) & (pl.col("platform") == platform))
    return [round(v * 100, 2) for v in peers["er_median"].to_list()]


@pages.get("/creators/{creator_id}/vetting", response_class=HTMLResponse)
def vetting_page(request: Request, creator_id: int, user: PageUser, db: DB) -> HTMLResponse:
    """Credibility, reasons, ER against the tier's peers, follower history with anomalies, comment breakdown."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    reports = service.latest_reports(db, user.workspace_id, creator.id)
    by_account = {a.id: a for a in creator.accounts}
    charts: dict[int, dict[str, Any]] = {}
    for report in reports:
        account = by_account[report.account_id]
        history = repository.follower_history(db, [account.id])
        charts[report.account_id] = {
            "peers": _peer_values(db, user.workspace_id, report.tier, account.platform.value),
            "er": round((report.engagement_rate or 0) * 100, 2),
            "x": [s.day.isoformat() for s in history],
            "y": [s.followers for s in history],
            "anomalies": report.details.get("anomalies") or [],
        }
    ctx = {
        "creator": creator,
        "reports": reports,
        "by_account": by_account,
        "charts_json": json.dumps(charts).replace("</", "<\\/"),
        "history": service.history(db, user.workspace_id, creator.id),
        "nav": "creators",
    }
    return render(request, "creators/vetting.html", ctx)


@pages.post("/creators/{creator_id}/vetting", dependencies=[Depends(verify_csrf)])
def vet_now(creator_id: int, user: PageWriter, db: DB) -> Response:
    """Re-vet this creator's accounts now."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    service.vet_accounts(db, user.workspace_id, [a.id for a in creator.accounts])
    return RedirectResponse(f"/creators/{creator_id}/vetting", status_code=303)
