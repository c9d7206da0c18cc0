"""Shortlists and saved searches: named lists of creators with notes and tags, and searches kept by name."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.campaigns.audit import Actor
from grassroots.campaigns.service import add_to_roster, list_campaigns
from grassroots.csv_cells import safe_cell
from grassroots.discovery import repository
from grassroots.discovery.audience import overlap_for
from grassroots.discovery.models import SavedSearch, SearchProfile, Shortlist, ShortlistEntry
from grassroots.discovery.schemas import SearchQuery, niche_label
from grassroots.discovery.service import query_string
from grassroots.errors import Conflict, InvalidInput
from grassroots.workspaces.models import User

MAX_OVERLAP = 200  # creators compared in the overlap matrix


def create_shortlist(session: Session, workspace_id: int, name: str, notes: str | None = None) -> Shortlist:
    """A new, empty shortlist; the name must be new in the workspace."""
    name = name.strip()
    if not name:
        raise InvalidInput("name: give the shortlist a name")
    if len(name) > 120:
        raise InvalidInput("name: at most 120 characters")
    exists = select(Shortlist.id).where(Shortlist.workspace_id == workspace_id, Shortlist.name == name)
    if session.scalar(exists) is not None:
        raise Conflict(f"a shortlist named {name!r} exists already")
    shortlist = Shortlist(workspace_id=workspace_id, name=name, notes=(notes or "").strip() or None)
    session.add(shortlist)
    session.flush()
    return shortlist


def add_to_shortlist(session: Session, workspace_id: int, shortlist_id: int, creator_ids: list[int], *,
                     note: str | None = None, tags: list[str] | None = None) -> int:  # fmt: skip
    """Add creators (one or many) to a shortlist; returns how many were new."""
    shortlist = repository.require_shortlist(session, workspace_id, shortlist_id)
    if not creator_ids:
        raise InvalidInput("creator_ids: choose at least one creator")
    mine = repository.own_creator_ids(session, workspace_id, creator_ids)
    if missing := sorted(set(creator_ids) - mine):
        raise InvalidInput(f"creator {missing[0]} is not in this workspace")
    present = {e.creator_id for e, _ in repository.entries(session, shortlist)}
    clean_tags = sorted({t.strip().lower() for t in tags or [] if t.strip()})
    new = [c for c in dict.fromkeys(creator_ids) if c not in present]
    session.add_all(ShortlistEntry(workspace_id=workspace_id, shortlist_id=shortlist.id, creator_id=c,
                                   note=(note or "").strip() or None, tags=clean_tags) for c in new)  # fmt: skip
    session.flush()
    return len(new)


def update_entry(session: Session, workspace_id: int, shortlist_id: int, creator_id: int, *,
                 note: str | None, tags: list[str]) -> None:  # fmt: skip
    """Change the note and tags of a creator on a shortlist."""
    entry = _entry(session, workspace_id, shortlist_id, creator_id)
    entry.note = (note or "").strip() or None
    entry.tags = sorted({t.strip().lower() for t in tags if t.strip()})
    session.flush()


def remove_from_shortlist(session: Session, workspace_id: int, shortlist_id: int, creator_id: int) -> None:
    """Take a creator off a shortlist."""
    session.delete(_entry(session, workspace_id, shortlist_id, creator_id))
    session.flush()


def _entry(session: Session, workspace_id: int, shortlist_id: int, creator_id: int) -> ShortlistEntry:
    shortlist = repository.require_shortlist(session, workspace_id, shortlist_id)
    for entry, _ in repository.entries(session, shortlist):
        if entry.creator_id == creator_id:
            return entry
    raise InvalidInput(f"creator {creator_id} is not on this shortlist")


def delete_shortlist(session: Session, workspace_id: int, shortlist_id: int) -> None:
    """Delete a shortlist (the creators stay)."""
    session.delete(repository.require_shortlist(session, workspace_id, shortlist_id))
    session.flush()


def shortlist_to_campaign(session: Session, workspace_id: int, shortlist_id: int, campaign_id: int,
                          user: User | None = None) -> int:  # fmt: skip
    """Put every creator of a shortlist on a campaign's roster (the user in the audit trail); returns how many were new."""
    shortlist = repository.require_shortlist(session, workspace_id, shortlist_id)
    ids = [c.id for _, c in repository.entries(session, shortlist)]
    if not ids:
        raise InvalidInput("the shortlist is empty")
    return add_to_roster(session, workspace_id, campaign_id, ids, actor=_actor(user))


def shortlist_csv(session: Session, workspace_id: int, shortlist_id: int) -> tuple[str, str]:
    """(file name, CSV) of a shortlist's creators with their notes and tags."""
    shortlist = repository.require_shortlist(session, workspace_id, shortlist_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "handle", "platform", "followers", "engagement %", "email", "note", "tags"])
    for entry, c in repository.entries(session, shortlist):
        writer.writerow([safe_cell(v) for v in (
            c.id, c.display_name, c.primary_handle, c.primary_platform.value if c.primary_platform else "",
            c.followers, round(100 * c.engagement_rate, 2), c.email or "", entry.note or "", ", ".join(entry.tags),
        )])  # fmt: skip
    slug = "".join(ch if ch.isalnum() else "-" for ch in shortlist.name.lower()).strip("-") or "shortlist"
    return f"{slug}.csv", out.getvalue()


def save_search(session: Session, workspace_id: int, name: str, query: SearchQuery) -> SavedSearch:
    """Keep a search under a name (a name used before is replaced)."""
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput("name: give the search a name of at most 120 characters")
    text = query_string(query)
    found = session.scalar(
        select(SavedSearch).where(SavedSearch.workspace_id == workspace_id, SavedSearch.name == name)
    )
    if found is None:
        found = SavedSearch(workspace_id=workspace_id, name=name, query=text)
        session.add(found)
    found.query = text
    try:
        session.flush()
    except IntegrityError as exc:  # two people saving the same name at once
        raise Conflict(f"a saved search named {name!r} exists already") from exc
    return found


def delete_saved_search(session: Session, workspace_id: int, search_id: int) -> None:
    """Forget a saved search."""
    found = session.get(SavedSearch, search_id)
    if found is None or found.workspace_id != workspace_id:
        raise InvalidInput(f"saved search {search_id} not found")
    session.delete(found)
    session.flush()


def shortlist_choices(session: Session, workspace_id: int) -> list[tuple[Shortlist, int]]:
    """Shortlists with their sizes, for menus."""
    return repository.shortlists(session, workspace_id)


def saved_searches(session: Session, workspace_id: int) -> list[SavedSearch]:
    """The workspace's saved searches."""
    return repository.saved_searches(session, workspace_id)


def add_to_named_shortlist(session: Session, workspace_id: int, creator_ids: list[int], *, shortlist_id: str,
                           new_name: str) -> tuple[int, int]:  # fmt: skip
    """Add creators to the chosen shortlist, or to a new one when a name is given; (shortlist id, added)."""
    if not creator_ids:
        raise InvalidInput("tick at least one creator")
    if missing := sorted(set(creator_ids) - repository.own_creator_ids(session, workspace_id, creator_ids)):
        raise InvalidInput(f"creator {missing[0]} is not in this workspace")
    if new_name.strip():
        target = create_shortlist(session, workspace_id, new_name).id
    elif shortlist_id.isdigit():
        target = int(shortlist_id)
    else:
        raise InvalidInput("choose a shortlist or name a new one")
    return target, add_to_shortlist(session, workspace_id, target, creator_ids)


def shortlist_view(session: Session, workspace_id: int, shortlist_id: int) -> dict[str, Any]:
    """What the shortlist page shows: the list, its entries, campaigns to add it to."""
    shortlist = repository.require_shortlist(session, workspace_id, shortlist_id)
    rows = repository.entries(session, shortlist)
    campaigns = list_campaigns(session, workspace_id)
    ids = [c.id for _, c in rows]
    overlap = overlap_for(session, workspace_id, ids[:MAX_OVERLAP]) if len(ids) >= 2 else None
    return {"shortlist": shortlist, "entries": rows, "campaigns": campaigns, "ids": ids, "overlap": overlap}


def profile_panel(session: Session, workspace_id: int, creator_id: int) -> dict[str, Any]:
    """What a creator's profile offers from discovery: their niches, shortlists to add them to, campaigns."""
    profile = session.get(SearchProfile, creator_id)
    niches = []
    if profile is not None and profile.workspace_id == workspace_id:
        niches = [(k, niche_label(k)) for k in profile.niches]
    return {
        "niches": niches,
        "on_shortlists": repository.shortlists_of_creator(session, workspace_id, creator_id),
        "shortlists": repository.shortlists(session, workspace_id),
        "campaigns": open_campaigns(session, workspace_id),
    }


def open_campaigns(session: Session, workspace_id: int) -> list[Any]:
    """Campaigns creators can still be added to (not archived), newest first."""
    return [c for c in list_campaigns(session, workspace_id) if not getattr(c, "archived_at", None)]


def creators_to_campaign(session: Session, workspace_id: int, campaign_id: str, creator_ids: list[int],
                         user: User | None = None) -> int:  # fmt: skip
    """Put ticked creators on a campaign chosen in a form; returns how many were new there."""
    if not campaign_id.isdigit():
        raise InvalidInput("choose a campaign")
    if not creator_ids:
        raise InvalidInput("tick at least one creator")
    return add_to_roster(session, workspace_id, int(campaign_id), creator_ids, actor=_actor(user))


def _actor(user: User | None) -> Actor:
    """Who the campaign's audit trail names for an addition from discovery."""
    return Actor.of(user) if user is not None else Actor("discovery")
