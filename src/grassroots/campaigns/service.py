"""Campaign use cases: plan (create, edit, archive), list, look up, and the roster (add, remove)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns import audit, repository
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign, Collaboration, Stage
from grassroots.campaigns.schemas import CampaignIn, CampaignOut, RosterResult, field_errors
from grassroots.creators import service as creators
from grassroots.creators.models import Creator
from grassroots.creators.repository import CreatorFilters, CreatorPage
from grassroots.creators.schemas import normalise_handle
from grassroots.creators.tiers import Tier
from grassroots.db.base import utcnow
from grassroots.discovery.advocate_schemas import MAX_OVERLAP_CREATORS, Overlap
from grassroots.discovery.audience import overlap_for
from grassroots.errors import Conflict, InvalidInput, NotFound

SYSTEM = Actor("grassroots")  # changes no person made (callers that predate the audit trail)
MAX_HANDLES = 500
PICKER_PAGE = 50


def require_campaign(session: Session, workspace_id: int, campaign_id: int) -> Campaign:
    """A campaign of the workspace, or NotFound (404)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.workspace_id != workspace_id:
        raise NotFound(f"campaign {campaign_id} not found")
    return campaign


def require_open(session: Session, workspace_id: int, campaign_id: int) -> Campaign:
    """A campaign of the workspace that is not archived (InvalidInput when it is)."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    if campaign.archived_at is not None:
        raise InvalidInput(f"“{campaign.name}” is archived: restore it before changing its roster.")
    return campaign


def list_campaigns(session: Session, workspace_id: int, *, archived: bool = False) -> list[Campaign]:
    """The workspace's campaigns (open ones, or only archived ones), newest first."""
    stmt = select(Campaign).where(Campaign.workspace_id == workspace_id)
    stmt = stmt.where(Campaign.archived_at.is_not(None) if archived else Campaign.archived_at.is_(None))
    return list(session.scalars(stmt.order_by(Campaign.id.desc())))


def stage_counts(session: Session, campaigns: list[Campaign]) -> dict[int, dict[Stage, int]]:
    """Collaborations per stage of each campaign."""
    return repository.stage_counts(session, [c.id for c in campaigns])


def campaign_values(campaign: Campaign) -> dict[str, Any]:
    """The campaign's editable fields, shaped as CampaignIn takes them."""
    names = [n for n in CampaignIn.model_fields if n != "kpis"]
    values = {n: getattr(campaign, n) for n in names}
    for name in ("products", "handles", "hashtags", "promo_codes"):
        values[name] = list(values[name] or [])
    values["kpis"] = list(campaign.kpis or [])
    return values


def validate_campaign(values: dict[str, Any]) -> CampaignIn:
    """Campaign fields checked together; InvalidInput names each bad field (nothing is written)."""
    try:
        return CampaignIn.model_validate(values)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise InvalidInput("The campaign has invalid fields: " + ", ".join(errors), errors) from None


def _apply(campaign: Campaign, data: CampaignIn) -> None:
    for name, value in data.model_dump(exclude={"kpis"}).items():
        setattr(campaign, name, value)
    campaign.kpis = [{"metric": k.metric.value, "target": str(k.target)} for k in data.kpis]


def create_campaign(session: Session, workspace_id: int, data: CampaignIn) -> Campaign:
    """Create a campaign."""
    campaign = Campaign(workspace_id=workspace_id)
    _apply(campaign, data)
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, workspace_id: int, campaign_id: int, changes: dict[str, Any]) -> Campaign:
    """Change some fields; the campaign as a whole must stay valid, else nothing changes."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    data = validate_campaign(campaign_values(campaign) | changes)
    _apply(campaign, data)
    session.flush()
    return campaign


def set_archived(session: Session, workspace_id: int, campaign_id: int, archived: bool) -> Campaign:
    """Archive a campaign (it leaves the list; nothing is deleted) or restore it."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    if archived and campaign.archived_at is None:
        campaign.archived_at = utcnow()
    elif not archived:
        campaign.archived_at = None
    session.flush()
    return campaign


def campaign_out(session: Session, campaign: Campaign) -> CampaignOut:
    """A campaign as the API shows it, with its collaborations per stage."""
    counts = repository.stage_counts(session, [campaign.id]).get(campaign.id, {})
    return CampaignOut.model_validate(
        campaign_values(campaign)
        | {
            "id": campaign.id,
            "archived": campaign.archived_at is not None,
            "archived_at": campaign.archived_at,
            "created_at": campaign.created_at,
            "stages": {s.value: n for s, n in counts.items()},
            "assumptions": campaign.assumptions,
        }
    )


def roster(session: Session, campaign: Campaign) -> list[tuple[Creator, Collaboration]]:
    """The campaign's creators with their collaboration (stage), by name."""
    rows = session.execute(
        select(Creator, Collaboration)
        .join(Collaboration, Collaboration.creator_id == Creator.id)
        .where(Collaboration.campaign_id == campaign.id)
        .order_by(Creator.display_name)
    ).all()
    return [(c, k) for c, k in rows]


def add_to_roster(
    session: Session, workspace_id: int, campaign_id: int, creator_ids: list[int], *, actor: Actor = SYSTEM
) -> int:
    """Add the workspace's creators to a campaign as prospects; returns how many were new (others were there)."""
    campaign = require_open(session, workspace_id, campaign_id)
    wanted = sorted(set(creator_ids))
    if missing := sorted(set(wanted) - repository.workspace_creators(session, workspace_id, wanted)):
        raise NotFound(f"creator {missing[0]} not found")
    new = sorted(set(wanted) - repository.present_creators(session, campaign.id, wanted))
    now = utcnow()
    added = [
        Collaboration(
            workspace_id=workspace_id, campaign_id=campaign.id, creator_id=c, stage=Stage.prospect, stage_changed_at=now
        )
        for c in new
    ]
    session.add_all(added)
    session.flush()
    audit.record_added(session, added, actor)
    session.flush()
    return len(new)


def add_creators(
    session: Session, workspace_id: int, campaign_id: int, creator_ids: list[int], actor: Actor
) -> RosterResult:
    """Add creators to the roster: how many joined and how many were on it already."""
    added = add_to_roster(session, workspace_id, campaign_id, creator_ids, actor=actor)
    return RosterResult(added=added, already=len(set(creator_ids)) - added)


def creator_ids_for_handles(session: Session, workspace_id: int, text: str) -> list[int]:
    """Creator ids of handles typed in a box ('@ana.glow, vegan_mo'); InvalidInput names the unknown ones."""
    words = [w for w in text.replace(",", " ").replace(";", " ").split() if w.strip("@")]
    if len(words) > MAX_HANDLES:
        raise InvalidInput(f"Add at most {MAX_HANDLES} handles at once.", {"handles": "too many handles"})
    try:
        handles = list(dict.fromkeys(normalise_handle(w) for w in words))
    except ValueError as exc:
        raise InvalidInput(str(exc), {"handles": str(exc)}) from None
    found = repository.creators_by_handle(session, workspace_id, handles)
    if unknown := [h for h in handles if h not in found]:
        message = "No creator with the handle " + ", ".join(f"@{h}" for h in unknown[:10])
        raise InvalidInput(message, {"handles": message})
    return list(dict.fromkeys(found[h] for h in handles))


def require_collaboration(
    session: Session, workspace_id: int, campaign_id: int, collaboration_id: int
) -> Collaboration:
    """A collaboration of one of the workspace's campaigns, or NotFound."""
    collaboration = session.get(Collaboration, collaboration_id)
    if collaboration is None or collaboration.workspace_id != workspace_id or collaboration.campaign_id != campaign_id:
        raise NotFound(f"collaboration {collaboration_id} not found in campaign {campaign_id}")
    return collaboration


def remove_from_roster(session: Session, workspace_id: int, campaign_id: int, creator_id: int) -> None:
    """Take a creator off the roster (and their audit trail); refused once money is on the ledger."""
    campaign = require_open(session, workspace_id, campaign_id)
    collaboration = session.scalar(
        select(Collaboration).where(Collaboration.campaign_id == campaign.id, Collaboration.creator_id == creator_id)
    )
    if collaboration is None:
        raise NotFound(f"creator {creator_id} is not on this campaign's roster")
    if repository.ledger_count(session, collaboration.id):
        raise Conflict("This collaboration has ledger entries: move it to declined or paused instead of removing it.")
    session.delete(collaboration)
    session.flush()


@dataclass
class Picker:
    """A page of the workspace's creators to tick for a campaign's roster."""

    campaign: Campaign
    result: CreatorPage
    on_roster: set[int]
    params: dict[str, str]
    page: int
    pages: int


def roster_picker(session: Session, workspace_id: int, campaign_id: int, params: Mapping[str, str]) -> Picker:
    """Creators matching a search (words, tier, minimum credibility), 50 a page, marked when on the roster."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    kept = {k: v.strip() for k in ("q", "tier", "min_credibility") if (v := params.get(k, "")).strip()}
    filters = CreatorFilters(q=kept.get("q"), sort="-credibility")
    if kept.get("tier") in {t.value for t in Tier}:
        filters.tier = Tier(kept["tier"])
    if kept.get("min_credibility", "").isdigit():
        filters.min_credibility = min(100, int(kept["min_credibility"]))
    page = int(params["page"]) if params.get("page", "").isdigit() else 1
    page = max(1, min(page, 10_000))
    result = creators.list_creators(session, workspace_id, filters, limit=PICKER_PAGE, offset=(page - 1) * PICKER_PAGE)
    on_roster = repository.present_creators(session, campaign.id, [c.id for c in result.items])
    pages = max(1, -(-result.total // PICKER_PAGE))
    return Picker(campaign, result, on_roster, kept, page, pages)


def find_campaign(session: Session, workspace_id: int, ref: str) -> Campaign:
    """A campaign named on the command line: by id, else by exact name (NotFound when neither matches)."""
    if ref.isdigit():
        return require_campaign(session, workspace_id, int(ref))
    campaign = session.scalar(
        select(Campaign).where(Campaign.workspace_id == workspace_id, Campaign.name == ref).order_by(Campaign.id.desc())
    )
    if campaign is None:
        raise NotFound(f"no campaign named {ref!r}; `grassroots campaigns list` shows them")
    return campaign


def roster_overlap(session: Session, workspace_id: int, campaign_id: int) -> Overlap | None:
    """How many engaged commenters the roster's creators share (the first 200), or None under two creators."""
    ids = list(session.scalars(
        select(Collaboration.creator_id).where(Collaboration.workspace_id == workspace_id,
                                               Collaboration.campaign_id == campaign_id)
        .order_by(Collaboration.id).limit(MAX_OVERLAP_CREATORS)
    ))  # fmt: skip
    return overlap_for(session, workspace_id, ids) if len(ids) >= 2 else None
