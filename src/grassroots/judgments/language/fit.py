"""Brand fit: how close a creator's recent content is to the brand's profile, and what rules it out.

Closeness is the cosine similarity between the brand profile (niche, values, tone) and each recent caption,
as MiniLM sentence embeddings; the creator's fit is the mean of their best-matching captions, so one
off-topic post does not sink an otherwise on-brand feed. Closeness alone does not separate: any lifestyle
caption is somewhat close to any lifestyle brand (a vegan cook scored 53 against a skincare brand). So the
same posts are also compared with the niche taxonomy's descriptions, leaving out the few niches nearest the
brand (its own field): when the creator's posts read more like another niche than like the brand, the
margin is negative and the fit falls towards 0; when the brand describes them better than any other niche,
closeness decides. Measured on real captions (keyword-selected TweetEval tweets) and brand profiles in
docs/language.md ("Brand fit calibration"). Exclusions are readable rules: a brand lists categories it will
not stand next to (a fitness brand and soda, a kids' brand and gambling), and every post that mentions one
is shown. The 0-100 scale is documented, not a trained probability.
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
# Closeness: cosine 0.10 (nothing in common) .. 0.45 (same subject) maps to 0 .. 1.
COSINE_FLOOR, COSINE_CEILING = 0.10, 0.45
BEST_POSTS = 5
OWN_FIELD = 3  # the niches nearest the brand profile are its own field, never the "something else" it competes with
MARGIN_WIDTH = 0.04  # the margin (brand minus best other niche) at which the fit is 73 % of closeness, -0.04: 27 %


@dataclass(frozen=True)
class Fit:
    """A creator's fit with the brand: score 0-100, the closest posts, what excludes them, and the niche that
    describes the creator better than the brand does (when one does)."""

    score: int
    cosine: float
    closest: list[dict[str, object]]
    exclusions: list[dict[str, object]]
    margin: float = 0.0
    rather: str | None = None  # e.g. "Food › Vegan": their posts read more like this than like the brand
    rather_cosine: float | None = None


@dataclass(frozen=True)
class Niches:
    """The taxonomy's descriptions as vectors (rows) with their labels: the "something else" a creator may be."""

    vectors: np.ndarray
    labels: Sequence[str]

    def others(self, profile_vector: np.ndarray) -> Niches:
        """All but the niches nearest the brand profile (its own field)."""
        keep = np.argsort(-(self.vectors @ profile_vector))[OWN_FIELD:]
        return Niches(self.vectors[np.sort(keep)], [self.labels[i] for i in np.sort(keep)])


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


def calibrated(cosine: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """Fit 0..100 from closeness to the brand and the margin over the best other niche (arrays of equal shape)."""
    closeness = np.clip((cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR), 0.0, 1.0)
    weight = 1.0 / (1.0 + np.exp(-np.asarray(margin, dtype=np.float64) / MARGIN_WIDTH))
    return np.asarray(100.0 * closeness * weight)


def scale(cosine: float, margin: float) -> int:
    """One creator's fit 0..100 (see :func:`calibrated`)."""
    return round(float(calibrated(np.array([cosine]), np.array([margin]))[0]))


def best_other(content: np.ndarray, others: Niches) -> tuple[np.ndarray, np.ndarray]:
    """For content vectors (one per creator): the best other niche's cosine and its index."""
    if not len(others.labels):
        return np.full(len(content), -1.0), np.zeros(len(content), dtype=np.int64)
    scores = content @ others.vectors.T
    return scores.max(axis=1), scores.argmax(axis=1)


def brand_fit(
    posts: pl.DataFrame, post_vectors: np.ndarray, profile_vector: np.ndarray, banned: Sequence[str], niches: Niches
) -> Fit:
    """Fit of one creator's recent posts (id, caption, posted_at; rows aligned with post_vectors)."""
    if posts.is_empty():
        return Fit(0, 0.0, [], [])
    similarity = post_vectors @ profile_vector
    order = np.argsort(-similarity)
    best = similarity[order[:BEST_POSTS]]
    cosine = float(best.mean())
    # The same statistic against every other niche: the mean of the creator's best-matching posts for it.
    others = niches.others(profile_vector)
    per_niche = np.sort(post_vectors @ others.vectors.T, axis=0)[::-1][:BEST_POSTS].mean(axis=0)
    top = int(per_niche.argmax()) if len(per_niche) else 0
    background = float(per_niche[top]) if len(per_niche) else -1.0
    margin = cosine - background
    rows = posts.to_dicts()
    closest = [{**rows[i], "similarity": round(float(similarity[i]), 3)} for i in order[:3]]
    hits = exclusions(posts.select("id", "caption"), banned)
    captions = {r["id"]: r["caption"] for r in rows}
    flagged = [{**h, "caption": captions[h["id"]]} for h in hits.to_dicts()]
    rather = others.labels[top] if len(per_niche) and margin < 0 else None
    return Fit(
        scale(cosine, margin), round(cosine, 3), closest, flagged, round(margin, 3), rather,
        round(background, 3) if rather else None,
    )  # fmt: skip
