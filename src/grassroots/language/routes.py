"""What people say: the comments page of a creator and of a campaign, the themes fragment, the JSON API."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from grassroots.campaigns.service import require_campaign, roster
from grassroots.creators import service as creators
from grassroots.creators.insights import disclosure_checks
from grassroots.language import reports, service
from grassroots.language.service import Scope
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, ApiUser, ApiWriter, PageUser, PageWriter
from grassroots.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["language"])


class LanguageOut(BaseModel):
    """Labelled comments in a scope, summarised: shares, intent, phrases, questions, objections, own use."""

    total: int
    unlabelled: int
    sentiment: dict[str, float]
    emotion: dict[str, float]
    intent: dict[str, int]
    intent_share: float
    languages: dict[str, float]
    phrases: list[dict[str, Any]]
    questions: list[dict[str, Any]]
    objections: list[dict[str, Any]]
    own_use: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    over_time: dict[str, list[Any]]


class ThemeOut(BaseModel):
    """A theme: a group of comments that say the same kind of thing."""

    name: str
    words: list[str]
    comments: int
    share: float
    examples: list[str]
    sentiment_score: float | None


class AnalyzeOut(BaseModel):
    """What an analysis run did."""

    comments: int
    distinct_texts: int
    seconds: float
    mode: str


def creator_scope(db: DB, workspace_id: int, creator_id: int) -> Scope:
    """The scope of one creator of the workspace (404 when not found)."""
    return Scope(workspace_id, creator_id=creators.require_creator(db, workspace_id, creator_id).id)


def campaign_scope(db: DB, workspace_id: int, campaign_id: int) -> Scope:
    """The scope of one campaign of the workspace (404 when not found)."""
    return Scope(workspace_id, campaign_id=require_campaign(db, workspace_id, campaign_id).id)


def _page_context(db: DB, scope: Scope) -> dict[str, Any]:
    report = reports.language_report(db, scope)
    return {"report": report, "chart_json": json.dumps(report["over_time"]).replace("</", "<\\/")}


@pages.get("/creators/{creator_id}/comments", response_class=HTMLResponse)
def creator_comments_page(request: Request, creator_id: int, user: PageUser, db: DB) -> HTMLResponse:
    """Sentiment and intent over time, questions, objections, phrases, own use and themes of a creator."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    ctx = _page_context(db, Scope(user.workspace_id, creator_id=creator.id))
    ctx |= {"creator": creator, "base_url": f"/creators/{creator.id}/comments", "nav": "creators"}
    return render(request, "language/creator.html", ctx)


@pages.post("/creators/{creator_id}/comments", dependencies=[Depends(verify_csrf)])
def analyze_creator_now(creator_id: int, user: PageWriter, db: DB) -> Response:
    """Label this creator's unlabelled comments now."""
    service.analyze_comments(db, creator_scope(db, user.workspace_id, creator_id))
    return RedirectResponse(f"/creators/{creator_id}/comments", status_code=303)


@pages.get("/creators/{creator_id}/comments/themes", response_class=HTMLResponse)
def creator_themes_fragment(request: Request, creator_id: int, user: PageUser, db: DB) -> HTMLResponse:
    """The themes panel (loaded after the page, because clustering takes a moment)."""
    themes = reports.themes_report(db, creator_scope(db, user.workspace_id, creator_id))
    return render(request, "language/_themes.html", {"themes": themes})


@pages.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(request: Request, campaign_id: int, user: PageUser, db: DB) -> HTMLResponse:
    """A campaign: its roster and what people say under the roster's posts during the campaign."""
    campaign = require_campaign(db, user.workspace_id, campaign_id)
    scope = Scope(user.workspace_id, campaign_id=campaign.id)
    ctx = _page_context(db, scope)
    posts = service.sponsored_posts(db, scope)
    ctx |= {
        "sponsored": posts,
        "disclosures": disclosure_checks([(p.id, p.caption, p.sponsored) for p, _ in posts]),
        "campaign": campaign,
        "roster": roster(db, campaign),
        "base_url": f"/campaigns/{campaign.id}",
        "nav": "campaigns",
    }
    return render(request, "language/campaign.html", ctx)


@pages.post("/campaigns/{campaign_id}", dependencies=[Depends(verify_csrf)])
def analyze_campaign_now(campaign_id: int, user: PageWriter, db: DB) -> Response:
    """Label the campaign's unlabelled comments now."""
    service.analyze_comments(db, campaign_scope(db, user.workspace_id, campaign_id))
    return RedirectResponse(f"/campaigns/{campaign_id}", status_code=303)


@pages.get("/campaigns/{campaign_id}/themes", response_class=HTMLResponse)
def campaign_themes_fragment(request: Request, campaign_id: int, user: PageUser, db: DB) -> HTMLResponse:
    """The campaign's themes panel."""
    themes = reports.themes_report(db, campaign_scope(db, user.workspace_id, campaign_id))
    return render(request, "language/_themes.html", {"themes": themes})


@api.get("/creators/{creator_id}/language", response_model=LanguageOut)
def creator_language_json(creator_id: int, user: ApiUser, db: DB) -> LanguageOut:
    """What the creator's audience says, from the stored comment labels."""
    return LanguageOut.model_validate(reports.language_report(db, creator_scope(db, user.workspace_id, creator_id)))


@api.post("/creators/{creator_id}/language", response_model=AnalyzeOut)
def analyze_creator_json(creator_id: int, user: ApiWriter, db: DB) -> AnalyzeOut:
    """Label the creator's unlabelled comments now."""
    run = service.analyze_comments(db, creator_scope(db, user.workspace_id, creator_id))
    return AnalyzeOut(comments=run.comments, distinct_texts=run.distinct_texts, seconds=run.seconds, mode=run.mode)


@api.get("/creators/{creator_id}/themes", response_model=list[ThemeOut])
def creator_themes_json(creator_id: int, user: ApiUser, db: DB) -> list[ThemeOut]:
    """Themes of the creator's newest labelled comments."""
    themes = reports.themes_report(db, creator_scope(db, user.workspace_id, creator_id))
    return [ThemeOut.model_validate(t) for t in themes]


@api.get("/campaigns/{campaign_id}/language", response_model=LanguageOut)
def campaign_language_json(campaign_id: int, user: ApiUser, db: DB) -> LanguageOut:
    """What people say under the campaign roster's posts during the campaign."""
    return LanguageOut.model_validate(reports.language_report(db, campaign_scope(db, user.workspace_id, campaign_id)))


@api.get("/campaigns/{campaign_id}/themes", response_model=list[ThemeOut])
def campaign_themes_json(campaign_id: int, user: ApiUser, db: DB) -> list[ThemeOut]:
    """Themes of the campaign's newest labelled comments."""
    themes = reports.themes_report(db, campaign_scope(db, user.workspace_id, campaign_id))
    return [ThemeOut.model_validate(t) for t in themes]


class FitOut(BaseModel):
    """A creator's brand fit: 0-100, the posts closest to the brand, and posts in excluded categories."""

    profile: bool
    profile_text: str | None = None
    score: int | None = None
    cosine: float | None = None
    closest: list[dict[str, Any]] = []
    exclusions: list[dict[str, Any]] = []
    banned: list[str] = []


@pages.get("/creators/{creator_id}/fit", response_class=HTMLResponse)
def creator_fit_fragment(request: Request, creator_id: int, user: PageUser, db: DB) -> HTMLResponse:
    """The brand-fit card of the profile page (loaded after the page: it embeds the captions)."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    return render(request, "language/_fit.html", {"fit": reports.fit_report(db, user.workspace_id, creator.id)})


@api.get("/creators/{creator_id}/fit", response_model=FitOut)
def creator_fit_json(creator_id: int, user: ApiUser, db: DB) -> FitOut:
    """Brand fit against the workspace's brand profile (profile=false until one is saved)."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    return FitOut.model_validate(reports.fit_report(db, user.workspace_id, creator.id))
