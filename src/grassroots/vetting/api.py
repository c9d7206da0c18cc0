"""/api/v1 for vetting: the latest report of each of a creator's accounts, and vetting them now."""

from __future__ import annotations

from fastapi import APIRouter

from grassroots.vetting import service
from grassroots.vetting.schemas import ReportOut, report_out
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES, tags=["vetting"])


@router.get("/creators/{creator_id}/vetting", response_model=list[ReportOut])
def vetting_json(creator_id: Id, user: ApiUser, db: DB) -> list[ReportOut]:
    """The latest vetting report of each of the creator's accounts (empty until vetted)."""
    return [report_out(r) for r in service.creator_reports(db, user.workspace_id, creator_id)]


@router.post("/creators/{creator_id}/vetting", response_model=list[ReportOut])
def vet_json(creator_id: Id, user: ApiWriter, db: DB) -> list[ReportOut]:
    """Vet the creator's accounts now and return the new reports."""
    return [report_out(r) for r in service.vet_creator(db, user.workspace_id, creator_id)]
