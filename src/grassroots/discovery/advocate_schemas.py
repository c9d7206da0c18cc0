"""Pydantic shapes of natural advocates and audience overlap, for pages and the API alike."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

MAX_OVERLAP_CREATORS = 200
CreatorId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Advocate(BaseModel):
    """One suggested advocate: who, how they were found, how strongly, and why in plain sentences."""

    key: str = Field(description='"creator:<id>", "customer:<id>" (no social account found) or "handle:<handle>"')
    creator_id: int | None = Field(description="the matched creator; null for a customer or commenter not matched")
    name: str
    handle: str | None
    followers: int | None
    tier: str | None
    matched_by: Literal["email", "handle", "name"] | None = Field(description="how a store customer was matched")
    signals: list[Literal["orders", "comments", "mentions"]]
    score: float = Field(description="10 × affinity × reach (docs/discovery.md)")
    affinity: float
    reach: float
    orders: int
    spent: float
    currency: str | None
    positive_comments: int
    brand_comments: int = Field(description="comments about the brand, whatever their tone")
    unpaid_mentions: int
    last_signal_at: datetime | None
    reasons: list[str]


class AdvocatesPage(BaseModel):
    """A page of advocates, best first, with what the page needs to explain an empty list."""

    items: list[Advocate]
    total: int
    creators: int = Field(description="how many of the total are matched to a creator (they come first)")
    limit: int
    offset: int
    brand_handles: list[str] = Field(description="the brand's own handles (Brand profile); empty: mentions unused")
    has_store: bool = Field(description="the workspace has store customers or orders")

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None on the last page."""
        end = self.offset + len(self.items)
        return end if end < self.total else None

    @property
    def previous_offset(self) -> int | None:
        """Where the previous page starts, or None on the first page."""
        return max(0, self.offset - self.limit) if self.offset > 0 else None


class OverlapIn(BaseModel):
    """The creators to compare (the workspace's own)."""

    creator_ids: list[CreatorId] = Field(min_length=1, max_length=MAX_OVERLAP_CREATORS)


class OverlapCreator(BaseModel):
    """A creator in the matrix, with how many distinct people commented on their posts."""

    id: int
    name: str
    handle: str
    audience: int = Field(description="distinct commenters (engaged audience)")


class OverlapPair(BaseModel):
    """Two creators and the engaged commenters they share."""

    a: OverlapCreator
    b: OverlapCreator
    shared: int
    overlap: float = Field(description="shared ÷ the smaller audience")
    jaccard: float = Field(description="shared ÷ everyone either reaches")


class Overlap(BaseModel):
    """The overlap matrix (rows and columns in ``creators`` order) and the most overlapping pairs."""

    creators: list[OverlapCreator]
    overlap: list[list[float | None]] = Field(description="share of the smaller audience; null on the diagonal")
    shared: list[list[int]] = Field(description="shared commenters; the diagonal holds each audience")
    pairs: list[OverlapPair]

    def chart(self) -> dict[str, Any]:
        """The heatmap's data for ``charts``: labels, overlap in percent and shared counts."""
        labels = [f"@{c.handle}" if c.handle else c.name for c in self.creators]
        z = [[None if v is None else round(v * 100, 1) for v in row] for row in self.overlap]
        return {"labels": labels, "z": z, "shared": self.shared}
