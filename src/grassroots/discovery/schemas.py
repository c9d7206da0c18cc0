"""Discovery's pydantic models: the search query (page, API and CLI share it) and what a search returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from grassroots.creators.models import Platform
from grassroots.creators.tiers import Tier
from grassroots.errors import InvalidInput
from grassroots.judgments.discovery.niches import BY_KEY, TAXONOMY
from grassroots.judgments.discovery.places import country_code

Sort = Literal["relevance", "fit", "credibility", "engagement", "growth", "followers", "smallest"]
SORTS: dict[str, str] = {
    "relevance": "Best match",
    "fit": "Brand fit",
    "credibility": "Credibility",
    "engagement": "Engagement vs tier",
    "growth": "Growth (30 days)",
    "smallest": "Fewest followers",
    "followers": "Most followers",
}
NICHE_KEYS = {n.key for n in TAXONOMY} | {n.parent for n in TAXONOMY}
LIST_FIELDS = ("like", "platform", "tier", "niche", "hashtag")


class SearchQuery(BaseModel):
    """One discovery search: free text and/or seed creators, filters, sort and page."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field("", max_length=200, description="Free text: stemmed words and meaning ('cozy baking at home').")
    like: list[int] = Field(default_factory=list, max_length=20, description="Seed creator ids: more like these.")
    platform: list[Platform] = Field(default_factory=list)
    tier: list[Tier] = Field(default_factory=list, description="Several tiers at once, e.g. micro-micro and nano.")
    followers_min: int | None = Field(None, ge=0)
    followers_max: int | None = Field(None, ge=0)
    er_min: float | None = Field(None, ge=0, le=100, description="Engagement rate minimum, percent.")
    er_max: float | None = Field(None, ge=0, le=100, description="Engagement rate maximum, percent.")
    credibility_min: int | None = Field(None, ge=0, le=100)
    niche: list[str] = Field(default_factory=list, description="Niche keys, e.g. food or food/baking.")
    country: str | None = Field(None, max_length=60, description="Any spelling: UK, United Kingdom, GB, Britain.")
    city: str | None = Field(None, max_length=100)
    language: str | None = Field(None, max_length=20)
    hashtag: list[str] = Field(default_factory=list, max_length=20, description="Hashtags used (any of them).")
    posted_within_days: int | None = Field(None, ge=1, le=3650)
    sponsored_max: float | None = Field(None, ge=0, le=100, description="Sponsored share of posts, percent.")
    fit_min: int | None = Field(None, ge=0, le=100)
    sort: Sort | None = Field(None, description="Default: best match with a query, else brand fit.")
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(25, ge=1, le=100)

    @field_validator("q", "city", "language", "country", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("city", "language", "country")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("niche")
    @classmethod
    def _known_niches(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in NICHE_KEYS]
        if unknown:
            raise ValueError(f"unknown niche {unknown[0]!r}; choose from the niche list")
        return value

    @field_validator("hashtag")
    @classmethod
    def _hashtags(cls, value: list[str]) -> list[str]:
        return [t for t in (v.strip().lstrip("#").lower() for v in value) if t]

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = country_code(value)
        if code is None:
            raise ValueError(f"{value!r} is not a country we know; try its name or two-letter code")
        return code

    @model_validator(mode="after")
    def _ranges(self) -> SearchQuery:
        for low, high, name in ((self.followers_min, self.followers_max, "followers"),
                                (self.er_min, self.er_max, "engagement")):  # fmt: skip
            if low is not None and high is not None and low > high:
                raise ValueError(f"the {name} minimum is above the maximum")
        return self

    @property
    def has_query(self) -> bool:
        """Whether relevance means anything: there is text or there are seed creators."""
        return bool(self.q) or bool(self.like)

    def effective_sort(self, brand_profile: bool) -> str:
        """The sort in force: the chosen one, else best match with a query, else fit (or credibility)."""
        if self.sort and (self.sort != "relevance" or self.has_query):
            return self.sort
        if self.has_query:
            return "relevance"
        return "fit" if brand_profile else "credibility"


def parse_query(params: Mapping[str, Sequence[str]]) -> SearchQuery:
    """A SearchQuery from a multi-valued query string; empty boxes are ignored; InvalidInput names each problem."""
    data: dict[str, Any] = {}
    for key, values in params.items():
        present = [v for v in values if v.strip()]
        if not present:
            continue
        data[key] = present if key in LIST_FIELDS else present[-1]
    try:
        return SearchQuery.model_validate(data)
    except ValidationError as exc:
        messages = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"] if not isinstance(p, int))
            message = str(error["msg"]).removeprefix("Value error, ")
            messages.append(f"{where}: {message}" if where else message)
        raise InvalidInput("; ".join(messages)) from exc


class NicheOut(BaseModel):
    """A niche of a creator with its score."""

    key: str
    label: str
    score: float


class SearchHit(BaseModel):
    """One creator found, with everything that explains why."""

    id: int
    name: str
    handle: str
    platform: str | None
    platforms: list[str]
    followers: int
    tier: str
    engagement_rate: float = Field(description="Percent.")
    engagement_vs_tier: float | None = Field(description="1.0 = the tier's median engagement.")
    credibility: int | None
    fit: int | None
    niches: list[NicheOut]
    country: str | None
    city: str | None
    relevance: float | None
    similarity: float | None = Field(description="Cosine of the query (or seeds) and the creator's content.")
    matched: list[str] = Field(description="Query words found in the creator's words.")
    snippet: str = ""
    snippet_spans: list[tuple[int, int]] = Field(default_factory=list)
    reasons: list[str]


class SearchPage(BaseModel):
    """A page of search results."""

    total: int
    page: int
    per_page: int
    sort: str
    pending: int = Field(0, description="Creators changed since indexing, not searchable yet.")
    hits: list[SearchHit]


def niche_label(key: str) -> str:
    """The label of a niche key (parents get the label of their first child's parent part)."""
    if key in BY_KEY:
        return BY_KEY[key].label
    child = next((n for n in TAXONOMY if n.parent == key), None)
    return child.label.split(" › ")[0] if child else key


class ShortlistIn(BaseModel):
    """A new shortlist."""

    name: str = Field(min_length=1, max_length=120)
    notes: str | None = Field(None, max_length=2000)
    creator_ids: list[int] = Field(default_factory=list, max_length=1000)


class EntriesIn(BaseModel):
    """Creators to add to a shortlist."""

    creator_ids: list[int] = Field(min_length=1, max_length=1000)
    note: str | None = Field(None, max_length=500)
    tags: list[str] = Field(default_factory=list, max_length=20)


class CampaignIn(BaseModel):
    """The campaign a shortlist goes to."""

    campaign_id: int = Field(ge=1, le=2**63 - 1)


class AddedOut(BaseModel):
    """How many were new."""

    added: int


class ShortlistOut(BaseModel):
    """A shortlist and its size."""

    id: int
    name: str
    notes: str | None
    creators: int

    @classmethod
    def of(cls, shortlist: Any, size: int) -> ShortlistOut:
        """From the ORM row and its size."""
        return cls(id=shortlist.id, name=shortlist.name, notes=shortlist.notes, creators=size)


class EntryOut(BaseModel):
    """A creator on a shortlist."""

    creator_id: int
    name: str
    handle: str
    followers: int
    note: str | None
    tags: list[str]


class ShortlistDetail(ShortlistOut):
    """A shortlist with its entries."""

    entries: list[EntryOut]

    @classmethod
    def of(cls, view: Mapping[str, Any]) -> ShortlistDetail:  # type: ignore[override]
        """From the shortlist page's view."""
        s, rows = view["shortlist"], view["entries"]
        entries = [EntryOut(creator_id=c.id, name=c.display_name, handle=c.primary_handle, followers=c.followers,
                            note=e.note, tags=e.tags) for e, c in rows]  # fmt: skip
        return cls(id=s.id, name=s.name, notes=s.notes, creators=len(entries), entries=entries)
