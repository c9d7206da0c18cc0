"""Brand fit: how close a creator's recent content is to the brand's profile, and what rules it out.

Closeness is the cosine similarity between the brand profile (niche, values, tone) and each recent caption,
as MiniLM sentence embeddings; the creator's fit is the mean of their best-matching captions, so one
off-topic post does not sink an otherwise on-brand feed. Exclusions are readable rules: a brand lists
categories it will not stand next to (a fitness brand and soda, a kids' brand and gambling), and every
post that mentions one is shown. The 0-100 scale is a fixed linear map of the cosine (documented in
docs/language.md), not a trained probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

# Category -> words and tags that show a post promotes or features it.
EXCLUSION_RULES: dict[str, str] = {
    "alcohol": r"\b(beer|wine|vodka|whisk(e)?y|gin|tequila|rum|cocktails?|booze|prosecco|champagne|brewery|hard seltzer)\b",
    "gambling": r"\b(casino|bet(ting)?|sportsbook|poker|slots?|jackpot|gambl\w*|roulette|odds boost|free spins)\b",
    "soda and sugary drinks": r"\b(soda|cola|coke|pepsi|fanta|sprite|energy drinks?|red ?bull|monster energy|fizzy drinks?)\b",
    "fast food": r"\b(mcdonald'?s|burger king|kfc|taco bell|fast ?food|drive[- ]thru|happy meal)\b",
    "tobacco and vaping": r"\b(vap(e|es|ing)|e-?cig\w*|cigarettes?|cigars?|tobacco|nicotine|juul|shisha|hookah)\b",
    "crypto and trading": r"\b(crypto\w*|bitcoin|btc|nft|forex|trading signals?|memecoin|airdrop)\b",
    "diet pills and detox": r"\b(diet pills?|fat burners?|detox tea|skinny tea|appetite suppressants?|waist trainer)\b",
    "weapons": r"\b(guns?|rifles?|pistols?|firearms?|ammo|ammunition)\b",
    "fast fashion": r"\b(shein|temu|fashion ?nova|haul of the week)\b",
}
CATEGORIES = tuple(EXCLUSION_RULES)
# Cosine 0.05 (unrelated) .. 0.50 (same subject) maps to 0 .. 100.
COSINE_FLOOR, COSINE_CEILING = 0.05, 0.50
BEST_POSTS = 5


@dataclass(frozen=True)
class Fit:
    """A creator's fit with the brand: score 0-100, the closest posts, and what excludes them."""

    score: int
    cosine: float
    closest: list[dict[str, object]]
    exclusions: list[dict[str, object]]


def profile_text(niche: str | None, values: str | None, tone: str | None) -> str:
    """The brand profile as one text to embed (empty when nothing is filled in)."""
    return ". ".join(part.strip() for part in (niche, values, tone) if part and part.strip())


def exclusions(posts: pl.DataFrame, banned: Sequence[str]) -> pl.DataFrame:
    """Posts (id, caption) that mention a banned category: id, category and the words that matched."""
    empty = pl.DataFrame(schema={"id": pl.Int64, "category": pl.String, "matched": pl.List(pl.String)})
    found = [
        posts.select(
            "id",
            pl.lit(category).alias("category"),
            pl.col("caption")
            .fill_null("")
            .str.to_lowercase()
            .str.extract_all(EXCLUSION_RULES[category])
            .alias("matched"),
        ).filter(pl.col("matched").list.len() > 0)
        for category in banned
        if category in EXCLUSION_RULES
    ]
    return pl.concat([empty, *found]).with_columns(pl.col("matched").list.unique(maintain_order=True))


def scale(cosine: float) -> int:
    """Cosine similarity -> 0..100 on the fixed scale."""
    return round(100 * min(1.0, max(0.0, (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR))))


def brand_fit(posts: pl.DataFrame, post_vectors: np.ndarray, profile_vector: np.ndarray, banned: Sequence[str]) -> Fit:
    """Fit of one creator's recent posts (id, caption, posted_at; rows aligned with post_vectors)."""
    if posts.is_empty():
        return Fit(0, 0.0, [], [])
    similarity = post_vectors @ profile_vector
    order = np.argsort(-similarity)
    best = similarity[order[:BEST_POSTS]]
    cosine = float(best.mean())
    rows = posts.to_dicts()
    closest = [{**rows[i], "similarity": round(float(similarity[i]), 3)} for i in order[:3]]
    hits = exclusions(posts.select("id", "caption"), banned)
    captions = {r["id"]: r["caption"] for r in rows}
    flagged = [{**h, "caption": captions[h["id"]]} for h in hits.to_dicts()]
    return Fit(scale(cosine), round(cosine, 3), closest, flagged)
