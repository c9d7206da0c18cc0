"""/api/v1 for comments: what a creator's or a campaign's audience says, themes, brand fit, analyse now."""

from __future__ import annotations

from fastapi import APIRouter

from grassroots.comments import reports, service
from grassroots.comments.schemas import AnalyzeOut, FitOut, LanguageOut, ThemeOut
from grassroots.comments.service import campaign_scope, creator_scope
from grassroots.creators import service as creators
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES, tags=["comments"])


@router.get("/creators/{creator_id}/language", response_model=LanguageOut)
def creator_language_json(creator_id: Id, user: ApiUser, db: DB) -> LanguageOut:
    """What the creator's audience says, from the stored comment labels."""
    return LanguageOut.model_validate(reports.language_report(db, creator_scope(db, user.workspace_id, creator_id)))


@router.post("/creators/{creator_id}/language", response_model=AnalyzeOut)
def analyze_creator_json(creator_id: Id, user: ApiWriter, db: DB) -> AnalyzeOut:
    """Label the creator's unlabelled comments now."""
    run = service.analyze_comments(db, creator_scope(db, user.workspace_id, creator_id))
    return AnalyzeOut(comments=run.comments, distinct_texts=run.distinct_texts, seconds=run.seconds, mode=run.mode)


@router.get("/creators/{creator_id}/themes", response_model=list[ThemeOut])
def creator_themes_json(creator_id: Id, user: ApiUser, db: DB) -> list[ThemeOut]:
    """Themes of the creator's newest labelled comments."""
    themes = reports.themes_report(db, creator_scope(db, user.workspace_id, creator_id))
    return [ThemeOut.model_validate(t) for t in themes]


@router.get("/campaigns/{campaign_id}/language", response_model=LanguageOut)
def campaign_language_json(campaign_id: Id, user: ApiUser, db: DB) -> LanguageOut:
    """What people say under the campaign roster's posts during the campaign."""
    return LanguageOut.model_validate(reports.language_report(db, campaign_scope(db, user.workspace_id, campaign_id)))


@router.get("/campaigns/{campaign_id}/themes", response_model=list[ThemeOut])
def campaign_themes_json(campaign_id: Id, user: ApiUser, db: DB) -> list[ThemeOut]:
    """Themes of the campaign's newest labelled comments."""
    themes = reports.themes_report(db, campaign_scope(db, user.workspace_id, campaign_id))
    return [ThemeOut.model_validate(t) for t in themes]


@router.get("/creators/{creator_id}/fit", response_model=FitOut)
def creator_fit_json(creator_id: Id, user: ApiUser, db: DB) -> FitOut:
    """Brand fit against the workspace's brand profile (profile=false until one is saved)."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    return FitOut.model_validate(reports.fit_report(db, user.workspace_id, creator.id))
