"""Discovery use cases: search and lookalikes with reasons, the query string of a search, CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import polars as pl
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.csv_cells import safe_cell
from grassroots.discovery import repository
from grassroots.discovery.catalog import BACKGROUND_MIN, catalog_for, pending_check, touch_catalog
from grassroots.discovery.profiles import refresh_profiles, stale_ids
from grassroots.discovery.schemas import NicheOut, SearchHit, SearchPage, SearchQuery, niche_label
from grassroots.discovery.search import matched_stems, rank
from grassroots.judgments.discovery.places import country_name
from grassroots.judgments.discovery.text import snippet
from grassroots.workspaces.models import Workspace

INLINE_REFRESH = 300  # creators changed since indexing that a search re-indexes itself before answering


def ensure_index(session: Session, workspace_id: int, progress: Callable[[int, int], None] | None = None,
                 *, limit: int | None = None) -> tuple[int, int]:  # fmt: skip
    """Re-index changed creators (all, or none when more than ``limit`` wait); returns (indexed, still pending)."""
    stale = stale_ids(session, workspace_id)
    if limit is not None and len(stale) > limit:
        return 0, len(stale)
    try:
        done = refresh_profiles(session, workspace_id, stale, progress=progress) if stale else 0
        if done:
            session.commit()
    except IntegrityError:  # another request indexed the same creators at the same moment: theirs stands
        session.rollback()
        return 0, 0
    if done:
        touch_catalog(workspace_id)
    return done, 0


def search(session: Session, workspace_id: int, query: SearchQuery) -> SearchPage:
    """One page of creators for a query, each with the reasons it was found."""
    catalog = catalog_for(session, workspace_id)
    pending = 0
    if len(catalog.frame) < BACKGROUND_MIN:  # large workspaces are indexed by `grassroots discovery index` or a job
        pending = pending_check(
            session, workspace_id, lambda: ensure_index(session, workspace_id, limit=INLINE_REFRESH)[1]
        )
        catalog = catalog_for(session, workspace_id)
    brand = session.get(Workspace, workspace_id)
    brand_profile = bool(brand and (brand.niche or brand.values))
    start = (query.page - 1) * query.per_page
    ranked = rank(catalog, query, brand_profile=brand_profile, offset=start, limit=query.per_page)
    rows = ranked.rows
    texts = repository.texts_of(session, workspace_id, rows["id"].to_list()) if ranked.query_stems else {}
    hits = [_hit(row, ranked.query_stems, texts.get(row["id"], []), bool(query.like)) for row in rows.to_dicts()]
    return SearchPage(total=ranked.total, page=query.page, per_page=query.per_page, sort=ranked.sort,
                      pending=pending, hits=hits)  # fmt: skip


def _hit(row: dict[str, Any], stems: list[str], texts: list[str], lookalike: bool) -> SearchHit:
    text, spans = "", []
    for candidate in texts:
        cut, found = snippet(candidate, stems)
        if found:
            text, spans = cut, found
            break
    niches = [
        NicheOut(key=k, label=niche_label(k), score=s) for k, s in zip(row["niches"], row["niche_scores"], strict=False)
    ]
    er_ratio = row.get("er_vs_tier")
    hit = SearchHit(
        id=row["id"], name=row["name"], handle=row["handle"] or "", platform=row["platform"],
        platforms=[p for p in (row["platforms"] or "").split(",") if p], followers=row["followers"], tier=row["tier"],
        engagement_rate=round(100 * row["er"], 2), engagement_vs_tier=round(er_ratio, 2) if er_ratio else None,
        credibility=row["credibility"] if row["credibility"] is not None and row["credibility"] >= 0 else None,
        fit=row["fit"], niches=niches, country=row["country"], city=row["city"] or None,
        relevance=round(row["relevance"], 3) if row.get("relevance") is not None else None,
        similarity=round(row["similarity"], 3) if row.get("similarity") is not None else None,
        matched=matched_stems(row["matched_bits"], stems), snippet=text, snippet_spans=spans, reasons=[],
    )  # fmt: skip
    hit.reasons = reasons(hit, lookalike)
    return hit


def reasons(hit: SearchHit, lookalike: bool = False) -> list[str]:
    """Why a creator is in the results, as short sentences a person can check."""
    out: list[str] = []
    if hit.matched:
        out.append("Uses your words: " + ", ".join(hit.matched))
    if hit.similarity is not None:
        target = "the seed creators" if lookalike else "your search"
        out.append(f"Content {hit.similarity:.2f} similar to {target} (cosine; 0.5 and up is the same subject)")
    if hit.niches:
        out.append("Niche: " + ", ".join(n.label for n in hit.niches))
    if hit.engagement_vs_tier is not None:
        out.append(f"Engagement {hit.engagement_rate:.1f} %, {hit.engagement_vs_tier:.1f}× the {hit.tier} median")
    if hit.credibility is not None:
        out.append(f"Credibility {hit.credibility} of 100")
    if hit.fit is not None:
        out.append(f"Brand fit {hit.fit} of 100")
    if hit.country:
        place = f"{hit.city.title()}, " if hit.city else ""
        out.append(f"Based in {place}{country_name(hit.country)}")
    return out


def lookalike_query(creator_id: int, base: SearchQuery | None = None) -> SearchQuery:
    """'More like this' for one creator, keeping any filters of an earlier search."""
    data = (base or SearchQuery()).model_dump()
    data.update(like=[creator_id], q="", sort=None, page=1)
    return SearchQuery.model_validate(data)


def export_csv(page: SearchPage) -> str:
    """Search hits as CSV (cells that a spreadsheet would run as formulas are neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "handle", "platform", "followers", "tier", "engagement %", "credibility", "fit",
                     "niches", "country", "city", "relevance", "reasons"])  # fmt: skip
    for h in page.hits:
        writer.writerow([safe_cell(v) for v in (
            h.id, h.name, h.handle, h.platform or "", h.followers, h.tier, h.engagement_rate,
            "" if h.credibility is None else h.credibility, "" if h.fit is None else h.fit,
            "; ".join(n.label for n in h.niches), h.country or "", h.city or "",
            "" if h.relevance is None else h.relevance, " | ".join(h.reasons),
        )])  # fmt: skip
    return out.getvalue()


def query_string(query: SearchQuery) -> str:
    """The search page's query string for a query (defaults left out)."""
    pairs: list[tuple[str, str]] = []
    for key, value in query.model_dump(exclude_defaults=True, mode="json").items():
        if key == "page":
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item)))
    return urlencode(pairs)


def frame_of_hits(page: SearchPage) -> pl.DataFrame:
    """Hits as a frame (for the CLI table)."""
    return pl.DataFrame(
        [h.model_dump(include={"id", "name", "handle", "followers", "tier", "relevance"}) for h in page.hits]
    )


def export_all_csv(session: Session, workspace_id: int, query: SearchQuery, *, limit: int) -> str:
    """Every result of a search up to ``limit``, as CSV."""
    data = query.model_dump() | {"per_page": 100}
    hits: list[SearchHit] = []
    page = 1
    while len(hits) < limit:
        result = search(session, workspace_id, SearchQuery.model_validate(data | {"page": page}))
        hits += result.hits
        if page * result.per_page >= result.total or not result.hits:
            break
        page += 1
    return export_csv(SearchPage(total=len(hits), page=1, per_page=len(hits), sort=query.sort or "", hits=hits[:limit]))
