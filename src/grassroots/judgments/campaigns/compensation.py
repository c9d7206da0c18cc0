"""Fair compensation: a suggested range per creator, with the reasoning in sentences.

The rate basis is an assumption from public rate-card surveys, not measured on shared/data (docs/forecast.md):
the often quoted rules of thumb of about 10 per 1,000 followers for an Instagram post and 20 per 1,000
subscribers for a YouTube video (Influencer Marketing Hub's rate guides), TikTok a little below Instagram.
Micro-micro creators (under 2,000 followers) are fans, not staff: the suggestion is a gift with an invitation to
share, as the seeds advise, and a fee only for what goes beyond that (running their post as an ad).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import polars as pl

from grassroots.judgments.campaigns.forecast import TIER_MEDIAN_ER

Usage = Literal["none", "organic", "paid_ads"]
USAGES: tuple[Usage, ...] = ("none", "organic", "paid_ads")
RATE_PER_1K = {"instagram": 10.0, "tiktok": 8.0, "youtube": 20.0, "other": 8.0}
MINIMUM_FEE = 50.0  # per deliverable: a post takes hours to plan, shoot and edit, whatever the audience
BAND = 0.25  # the range is the point estimate ± 25 %: room to negotiate, not a price list
EXTRA_DELIVERABLE = 0.8  # each deliverable after the first, bundled
ENGAGEMENT_BOUNDS = (0.5, 2.0)  # engagement moves the fee by its square root within these ratios to the tier median
MONEY = pl.Decimal(14, 2)
SCHEMA = pl.Schema(
    [
        ("creator_id", pl.Int64()),
        ("tier", pl.String()),
        ("kind", pl.String()),
        ("fee_low", MONEY),
        ("fee_high", MONEY),
        ("gift", MONEY),
        ("suggested_fee", pl.Float64()),
        ("reasons", pl.List(pl.String())),
    ]
)
PLATFORM_NAMES = {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube", "other": "their platform"}


@dataclass(frozen=True)
class Terms:
    """What the brand asks for: deliverables, rights to reuse the content, exclusivity; and the gift's value."""

    deliverables: int = 1
    usage: Usage = "none"
    usage_months: int = 0
    exclusivity_months: int = 0
    gift_value: float = 30.0
    currency: str = "EUR"


def usage_uplift(usage: Usage, months: int) -> float:
    """Share added to the fee for reusing the content: organic reposts or paid ads (whitelisting), by months."""
    months = max(months, 1)
    if usage == "organic":  # reposting on the brand's own channels: +20 % for 3 months, +5 % a month after
        return min(0.20 + 0.05 * max(months - 3, 0), 0.50)
    if usage == "paid_ads":  # the post as an ad: +50 % for the first month, +20 % a month after
        return min(0.50 + 0.20 * (months - 1), 2.0)
    return 0.0


def exclusivity_uplift(months: int) -> float:
    """Share added for not working with competitors: +10 % a month, at most doubling the fee."""
    return min(0.10 * max(months, 0), 1.0)


def nice(amount: float) -> Decimal:
    """A round figure people quote: to 5 under 100, to 10 under 1,000, to 50 above."""
    step = 5 if amount < 100 else 10 if amount < 1_000 else 50
    return (Decimal(str(amount)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def _money(amount: float | Decimal, currency: str) -> str:
    return f"{float(amount):,.0f} {currency}"


def _engagement_ratio(er: float | None, tier: str) -> float | None:
    if er is None or er <= 0:
        return None
    return float(
        min(max(er / TIER_MEDIAN_ER.get(tier, TIER_MEDIAN_ER["micro"]), ENGAGEMENT_BOUNDS[0]), ENGAGEMENT_BOUNDS[1])
    )


def _reasons(row: dict[str, object], terms: Terms, ratio: float | None, floored: bool, fee: float) -> list[str]:
    cur = terms.currency
    followers, tier, platform = int(str(row["followers"])), str(row["tier"]), str(row["platform"] or "other")
    rate = RATE_PER_1K.get(platform, RATE_PER_1K["other"])
    out = [
        f"{followers:,} followers on {PLATFORM_NAMES.get(platform, platform)} at about {rate:g} {cur} per 1,000 "
        f"followers: {_money(followers * rate / 1000, cur)} a post."
    ]
    if ratio is None:
        out.append("Engagement not measured yet: no adjustment.")
    else:
        word = "above" if ratio > 1 else "below" if ratio < 1 else "at"
        out.append(f"Engagement {ratio:.1f}× the {tier} median ({word} it): fee × {ratio**0.5:.2f}.")
    if floored:
        out.append(f"Raised to the {_money(MINIMUM_FEE, cur)} minimum a post: it takes hours to plan, shoot and edit.")
    if terms.deliverables > 1:
        out.append(
            f"{terms.deliverables} deliverables: each after the first at {EXTRA_DELIVERABLE * 100:.0f} % (bundled)."
        )
    if (uplift := usage_uplift(terms.usage, terms.usage_months)) > 0:
        what = "reposting on your channels" if terms.usage == "organic" else "running the post as an ad"
        out.append(f"Usage rights for {what}, {max(terms.usage_months, 1)} month(s): +{uplift * 100:.0f} %.")
    if (excl := exclusivity_uplift(terms.exclusivity_months)) > 0:
        out.append(f"Exclusivity for {terms.exclusivity_months} month(s): +{excl * 100:.0f} %.")
    out.append(f"Range: ±{BAND * 100:.0f} % around {_money(fee, cur)}, plus the product.")
    return out


def _gift_reasons(row: dict[str, object], terms: Terms, usage_fee: float) -> list[str]:
    cur = terms.currency
    out = [
        f"{int(str(row['followers'])):,} followers (micro-micro): a fan, not staff. Send the product "
        f"(about {_money(terms.gift_value, cur)}) with an invitation to share, and no required post.",
        "A fee would turn a recommendation into an ad; their reach is small, their trust is the value.",
    ]
    if usage_fee > 0:
        out.append(f"You ask for rights to reuse the post: pay for that use, about {_money(usage_fee, cur)}.")
    return out


def suggest_compensation(creators: pl.DataFrame, terms: Terms | None = None) -> pl.DataFrame:
    """Per creator: ``kind`` (gift or fee), ``fee_low``/``fee_high``/``gift`` (Decimal), ``suggested_fee``
    (float, for the optimiser) and ``reasons``. Needs ``creator_id``, ``followers``, ``engagement_rate``,
    ``tier`` and ``platform``."""
    terms = terms or Terms()
    bundle = 1 + EXTRA_DELIVERABLE * max(terms.deliverables - 1, 0)
    rights = 1 + usage_uplift(terms.usage, terms.usage_months) + exclusivity_uplift(terms.exclusivity_months)
    rows: list[dict[str, object]] = []
    for row in creators.select("creator_id", "followers", "engagement_rate", "tier", "platform").iter_rows(named=True):
        platform = str(row["platform"] or "other")
        tier = str(row["tier"])
        raw = int(row["followers"] or 0) * RATE_PER_1K.get(platform, RATE_PER_1K["other"]) / 1000
        ratio = _engagement_ratio(row["engagement_rate"], tier)
        adjusted = raw * (ratio**0.5 if ratio else 1.0)
        fee = max(adjusted, MINIMUM_FEE) * bundle * rights
        if tier == "micro-micro":
            usage_fee = raw * (rights - 1)
            usage_fee = max(usage_fee, MINIMUM_FEE / 2) if rights > 1 else 0.0
            low = high = nice(usage_fee) if usage_fee else Decimal(0)
            kind, reasons, point = "gift", _gift_reasons(row, terms, usage_fee), usage_fee
        else:
            low, high = nice(fee * (1 - BAND)), nice(fee * (1 + BAND))
            kind, reasons, point = "fee", _reasons(row, terms, ratio, adjusted < MINIMUM_FEE, fee), fee
        gift = Decimal(str(terms.gift_value)).quantize(Decimal("0.01"))
        rows.append({"creator_id": row["creator_id"], "tier": tier, "kind": kind, "fee_low": low, "fee_high": high,
                     "gift": gift, "suggested_fee": point, "reasons": reasons})  # fmt: skip
    return pl.DataFrame(rows, schema=SCHEMA) if rows else pl.DataFrame(schema=SCHEMA)
