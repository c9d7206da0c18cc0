"""Campaign pages: the list, and one campaign with its roster, sponsored posts and what people say."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns.service import list_campaigns, require_campaign, roster
from grassroots.comments import reports
from grassroots.comments import service as comments
from grassroots.comments.service import Scope, campaign_scope
from grassroots.creators.insights import disclosure_checks
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """The workspace's campaigns (an empty state until the first one)."""
    rows = list_campaigns(db, user.workspace_id)
    return render(request, "campaigns/list.html", {"campaigns": rows, "count": len(rows), "nav": "campaigns"})


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(request: Request, campaign_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """A campaign: its roster and what people say under the roster's posts during the campaign."""
    campaign = require_campaign(db, user.workspace_id, campaign_id)
    scope = Scope(user.workspace_id, campaign_id=campaign.id)
    ctx: dict[str, Any] = {"report": reports.language_report(db, scope)}
    posts = comments.sponsored_posts(db, scope)
    ctx |= {
        "sponsored": posts,
        "disclosures": disclosure_checks([(p.id, p.caption, p.sponsored) for p, _ in posts]),
        "campaign": campaign,
        "roster": roster(db, campaign),
        "base_url": f"/campaigns/{campaign.id}",
        "nav": "campaigns",
    }
    return render(request, "campaigns/detail.html", ctx)


@router.post("/campaigns/{campaign_id}", dependencies=[Depends(verify_csrf)])
def analyze_campaign_now(campaign_id: Id, user: PageWriter, db: DB) -> Response:
    """Label the campaign's unlabelled comments now."""
    comments.analyze_comments(db, campaign_scope(db, user.workspace_id, campaign_id))
    return RedirectResponse(f"/campaigns/{campaign_id}", status_code=303)
