"""A campaign's own content, paged: the roster's posts in scope (see scope.py) and how clearly they disclose."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.campaigns.schemas import PostsPage, ScopedPostOut
from grassroots.campaigns.scope import content_terms, matched_terms, restrict
from grassroots.campaigns.service import require_campaign
from grassroots.creators.insights import disclosure_checks
from grassroots.creators.models import Post, SocialAccount

PER_PAGE = 25
DISCLOSURE_POSTS = 2_000  # the newest sponsored posts the disclosure summary reads


def posts_page(
    session: Session, workspace_id: int, campaign_id: int, page: int = 1, per_page: int = PER_PAGE
) -> PostsPage:
    """One page of the campaign's posts, newest first, each with the terms that made it count."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    terms = content_terms(session, campaign)
    base = select(Post, SocialAccount.handle, SocialAccount.creator_id).join(
        SocialAccount, SocialAccount.id == Post.account_id
    )
    base = restrict(base.where(Post.workspace_id == workspace_id), campaign, terms)
    total = int(session.scalar(select(func.count()).select_from(base.order_by(None).subquery())) or 0)
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    rows = session.execute(
        base.order_by(Post.posted_at.desc(), Post.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    items = [
        ScopedPostOut(
            id=p.id,
            creator_id=creator_id,
            handle=handle,
            posted_at=p.posted_at,
            caption=p.caption,
            sponsored=p.sponsored,
            likes=p.likes,
            comments=p.comments,
            url=p.url,
            matched=matched_terms(terms, p.caption, p.mentions, p.hashtags),
        )
        for p, handle, creator_id in rows
    ]
    return PostsPage(items=items, total=total, page=page, pages=pages, scoped=not terms.empty)


@dataclass
class Disclosure:
    """How clearly the campaign's sponsored posts say they are ads (FTC / ASA)."""

    sponsored: int
    clear: int
    checks: dict[int, tuple[str, str]]


def disclosure(session: Session, workspace_id: int, campaign_id: int) -> Disclosure:
    """Disclosure status of the campaign's sponsored posts (the newest 2,000)."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    query = (
        select(Post.id, Post.caption, Post.sponsored)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == workspace_id, Post.sponsored.is_(True))
    )
    query = restrict(query, campaign, content_terms(session, campaign))
    rows = session.execute(query.order_by(Post.posted_at.desc()).limit(DISCLOSURE_POSTS)).all()
    checks = disclosure_checks([(i, c, s) for i, c, s in rows])
    clear = sum(1 for status, _ in checks.values() if status == "compliant")
    return Disclosure(sponsored=len(rows), clear=clear, checks=checks)
