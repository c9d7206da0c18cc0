"""A vetting report as the API shows it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from grassroots.vetting.models import VettingReport


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


def report_out(report: VettingReport) -> ReportOut:
    """A stored report as the API shows it."""
    data = {c.key: getattr(report, c.key) for c in report.__table__.columns}
    data["day"] = report.day.isoformat()
    return ReportOut.model_validate(data)
