"""Which posts are a campaign's: by roster members, during its dates, that mention the brand, its hashtag or code.

The roster's other sponsored posts (for other brands) are not this campaign's content; counting them inflated
the demo campaigns by a quarter. A post counts when it mentions one of the brand's handles (the campaign's own
list, else the workspace's), carries one of the campaign's hashtags, or names one of its promo codes. A campaign
with none of these set falls back to every post of the roster during the dates, and says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as clock

from sqlalchemy import ColumnElement, Select, Text, cast, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.creators.models import Post, SocialAccount
from grassroots.workspaces.models import Workspace

# Characters that end a handle, tag or code in a caption: replaced by spaces, so "@dew.skin," matches "@dew.skin "
# but "@dew.skincare" does not. A "." ends a handle only before a space ("Thanks @dew.skin. Love it").
_ENDS = (",", "!", "?", "(", ")", ":", ";", "'", '"', "’", "\n", "\r", "\t", "/", "…", "|")


@dataclass(frozen=True)
class ContentTerms:
    """What makes a post the campaign's: handles (no '@'), hashtags (no '#', lower case), promo codes (upper)."""

    handles: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing scopes the content (every roster post during the dates counts)."""
        return not (self.handles or self.hashtags or self.codes)


def content_terms(session: Session, campaign: Campaign) -> ContentTerms:
    """The campaign's terms: its own handles or else the workspace's brand handles, its hashtags and codes."""
    handles = campaign.handles or []
    if not handles:
        workspace = session.get(Workspace, campaign.workspace_id)
        handles = list(workspace.brand_handles or []) if workspace else []
    return ContentTerms(
        handles=tuple(h.lower().lstrip("@") for h in handles),
        hashtags=tuple(t.lower().lstrip("#") for t in campaign.hashtags or []),
        codes=tuple(c.upper() for c in campaign.promo_codes or []),
    )


def _caption_words() -> ColumnElement[str]:
    """The caption in lower case between spaces, with the characters that end a word turned into spaces."""
    text: ColumnElement[str] = literal(" ") + func.lower(Post.caption) + literal(" ")
    for char in _ENDS:
        text = func.replace(text, char, " ")
    return func.replace(text, ". ", " ")


def _in_list(column: InstrumentedAttribute[list[str]], value: str) -> ColumnElement[bool]:
    # A JSON list stored as text holds each item in quotes: '"dew.skin"' matches that item and no longer one.
    return func.lower(cast(column, Text)).contains(json.dumps(value), autoescape=True)


def content_match(terms: ContentTerms) -> ColumnElement[bool] | None:
    """A condition on Post for 'mentions a handle, carries a hashtag or names a code'; None when no terms."""
    if terms.empty:
        return None
    words = _caption_words()
    conditions = [
        *(or_(_in_list(Post.mentions, h), words.contains(f"@{h} ", autoescape=True)) for h in terms.handles),
        *(or_(_in_list(Post.hashtags, t), words.contains(f"#{t} ", autoescape=True)) for t in terms.hashtags),
        *(words.contains(f" {c.lower()} ", autoescape=True) for c in terms.codes),
    ]
    return or_(*conditions)


def window(campaign: Campaign) -> tuple[datetime | None, datetime | None]:
    """The campaign's dates as UTC datetimes (None = open-ended)."""
    start = datetime.combine(campaign.starts_on, clock.min, UTC) if campaign.starts_on else None
    end = datetime.combine(campaign.ends_on, clock.max, UTC) if campaign.ends_on else None
    return start, end


def restrict(query: Select, campaign: Campaign, terms: ContentTerms) -> Select:
    """Restrict a query over Post joined to SocialAccount to the campaign's roster, dates and content terms."""
    roster = select(Collaboration.creator_id).where(Collaboration.campaign_id == campaign.id)
    query = query.where(SocialAccount.creator_id.in_(roster))
    start, end = window(campaign)
    if start is not None:
        query = query.where(Post.posted_at >= start)
    if end is not None:
        query = query.where(Post.posted_at <= end)
    match = content_match(terms)
    return query if match is None else query.where(match)


def restrict_to_campaign(session: Session, query: Select, campaign: Campaign) -> Select:
    """``restrict`` with the campaign's own terms (what the comments panels use)."""
    return restrict(query, campaign, content_terms(session, campaign))


def matched_terms(terms: ContentTerms, caption: str, mentions: list[str], hashtags: list[str]) -> list[str]:
    """Why a post counts, in the words the page shows ('@dew.skin', '#glowup', 'code DEW10')."""
    words = " " + (caption or "").lower() + " "
    for char in _ENDS:
        words = words.replace(char, " ")
    words = words.replace(". ", " ")
    said = {m.lower() for m in mentions or []}
    tagged = {t.lower() for t in hashtags or []}
    found = [f"@{h}" for h in terms.handles if h in said or f"@{h} " in words]
    found += [f"#{t}" for t in terms.hashtags if t in tagged or f"#{t} " in words]
    found += [f"code {c}" for c in terms.codes if f" {c.lower()} " in words]
    return found
