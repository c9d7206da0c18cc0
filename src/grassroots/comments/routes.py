"""What people say: a creator's comments page, the themes and brand-fit fragments, and the "Analyse now" actions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.comments import reports, service
from grassroots.comments.service import Scope, campaign_scope, creator_scope
from grassroots.creators import service as creators
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render, render_fragment

router = APIRouter(include_in_schema=False)


@router.get("/creators/{creator_id}/comments", response_class=HTMLResponse)
def creator_comments_page(request: Request, creator_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """Sentiment and intent over time, questions, objections, phrases, own use and themes of a creator."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    report = reports.language_report(db, Scope(user.workspace_id, creator_id=creator.id))
    ctx = {"report": report, "creator": creator, "base_url": f"/creators/{creator.id}/comments", "nav": "creators"}
    return render(request, "comments/creator.html", ctx)


@router.post("/creators/{creator_id}/comments", dependencies=[Depends(verify_csrf)])
def analyze_creator_now(creator_id: Id, user: PageWriter, db: DB) -> Response:
    """Label this creator's unlabelled comments now."""
    service.analyze_comments(db, creator_scope(db, user.workspace_id, creator_id))
    return RedirectResponse(f"/creators/{creator_id}/comments", status_code=303)


@router.get("/creators/{creator_id}/comments/themes", response_class=HTMLResponse)
def creator_themes_fragment(request: Request, creator_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """The themes panel (loaded after the page, because clustering takes a moment)."""
    themes = reports.themes_report(db, creator_scope(db, user.workspace_id, creator_id))
    back = f"/creators/{creator_id}/comments"
    return render_fragment(request, "comments/_themes.html", {"themes": themes}, title="Themes", back_url=back)


@router.get("/campaigns/{campaign_id}/themes", response_class=HTMLResponse)
def campaign_themes_fragment(request: Request, campaign_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """The campaign's themes panel."""
    themes = reports.themes_report(db, campaign_scope(db, user.workspace_id, campaign_id))
    back = f"/campaigns/{campaign_id}"
    return render_fragment(request, "comments/_themes.html", {"themes": themes}, title="Themes", back_url=back)


@router.get("/creators/{creator_id}/fit", response_class=HTMLResponse)
def creator_fit_fragment(request: Request, creator_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """The brand-fit card of the profile page (loaded after the page: it embeds the captions)."""
    creator = creators.require_creator(db, user.workspace_id, creator_id)
    fit = {"fit": reports.fit_report(db, user.workspace_id, creator.id)}
    return render_fragment(request, "comments/_fit.html", fit, title="Brand fit", back_url=f"/creators/{creator.id}")
