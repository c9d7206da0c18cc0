"""The forecast's assumptions: defaults with their sources, the editable ones, and their validation.

Every number the forecast, the optimiser and the compensation guide use that is not measured on the brand's own
creators lives here, so a page can show it next to the result and a user can change it (docs/forecast.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from grassroots.errors import InvalidInput

TIERS = ("micro-micro", "nano", "micro", "macro", "mega")
Unit = Literal["percent", "money", "number", "count"]


@dataclass(frozen=True)
class Assumptions:
    """What the model assumes; fractions are shares (0.1 = 10 %), money is in the campaign's currency."""

    # Share of followers who see one post, by tier: small accounts reach a larger share of their followers.
    view_rate_micro_micro: float = 0.25
    view_rate_nano: float = 0.18
    view_rate_micro: float = 0.12
    view_rate_macro: float = 0.07
    view_rate_mega: float = 0.04
    click_through: float = 0.015  # viewers who click the link or note the code, at the tier's median engagement
    conversion: float = 0.03  # clicks that become an order
    average_order_value: float = 40.0
    engagement_elasticity: float = 0.5  # CTR moves with (engagement / tier median) ** this
    unvetted_authentic_share: float = 0.75  # real, reachable audience of a creator not yet vetted
    post_probability_gift: float = 0.6  # a gift with an invitation to share, no required post
    post_probability_affiliate: float = 0.75
    post_probability_paid: float = 0.95  # a contracted deliverable
    gift_value: float = 30.0  # product cost plus shipping of one gift
    commission_rate: float = 0.15
    view_rate_spread: float = 0.5  # log-scale sigma of a creator's view rate around the tier's
    click_spread: float = 0.6  # log-scale sigma of a creator's click-through
    conversion_spread: float = 0.35  # log-scale sigma of the campaign-wide conversion (the offer, the product)
    macro_followers: int = 250_000
    macro_engagement: float = 0.015
    macro_authentic_share: float = 0.7

    def view_rate(self, tier: str) -> float:
        """The mean view rate of a tier."""
        return float(getattr(self, "view_rate_" + tier.replace("-", "_")))

    def as_json(self) -> dict[str, float | int]:
        """Plain values for a JSON column."""
        return asdict(self)

    def changed(self) -> dict[str, float | int]:
        """Only the values that differ from the defaults (what a campaign stores)."""
        base = Assumptions()
        return {k: v for k, v in asdict(self).items() if getattr(base, k) != v}


@dataclass(frozen=True)
class Field:
    """One assumption as a form shows it: label, unit, allowed range (in the unit shown) and its source."""

    name: str
    label: str
    unit: Unit
    low: float
    high: float
    source: str


SEEDS = "the seeds' compounding example (shared/seeds/000)"
REACH = "public Instagram benchmark reports (reach per post falls with account size); an assumption, not measured"
FIELDS: tuple[Field, ...] = (
    Field("view_rate_micro_micro", "View rate, micro-micro", "percent", 0.1, 100, REACH),
    Field("view_rate_nano", "View rate, nano", "percent", 0.1, 100, REACH),
    Field("view_rate_micro", "View rate, micro", "percent", 0.1, 100, REACH),
    Field("view_rate_macro", "View rate, macro", "percent", 0.1, 100, REACH),
    Field("view_rate_mega", "View rate, mega", "percent", 0.1, 100, REACH),
    Field("click_through", "Click-through of viewers", "percent", 0.01, 50,
          "story-link and promo-code response rates of 1–2 % in public influencer benchmarks; an assumption"),
    Field("conversion", "Conversion of clicks to orders", "percent", 0.01, 50,
          "typical e-commerce visit-to-order rates of 2–3 %, a little higher for a trusted referral; an assumption"),
    Field("average_order_value", "Average order value", "money", 0.01, 100_000, "the brand's own figure"),
    Field("engagement_elasticity", "How much engagement moves clicks (0–2)", "number", 0, 2,
          "0 = ignore engagement, 1 = proportional; 0.5 because likes are a noisy sign of clicks"),
    Field("unvetted_authentic_share", "Real audience of a creator not yet vetted", "percent", 1, 100,
          "a prior until vetting measures credibility"),
    Field("post_probability_gift", "Gifted micro-micro creators who post", "percent", 1, 100,
          "the seeds' blanket case: 30 of 50 gifted creators posted; larger tiers post less for a gift"),
    Field("post_probability_affiliate", "Micro-micro affiliates who post", "percent", 1, 100,
          "an assumption; larger tiers post less for a code alone"),
    Field("post_probability_paid", "Paid creators who deliver", "percent", 1, 100, "a contract; an assumption"),
    Field("gift_value", "Cost of one gift (product and shipping)", "money", 0, 100_000, "the brand's own figure"),
    Field("commission_rate", "Affiliate commission", "percent", 0, 90, "common affiliate rates are 10–20 %"),
    Field("view_rate_spread", "Spread of view rates (log sigma)", "number", 0, 3,
          "0 = every creator reaches exactly the tier's rate"),
    Field("click_spread", "Spread of click-through (log sigma)", "number", 0, 3, "an assumption"),
    Field("conversion_spread", "Spread of the campaign's conversion (log sigma)", "number", 0, 3,
          "shared by every creator in a draw: the offer itself may convert well or badly"),
    Field("macro_followers", "Macro creator's followers", "count", 10_000, 100_000_000, "a typical macro account"),
    Field("macro_engagement", "Macro creator's engagement", "percent", 0.01, 100,
          "macro accounts engage 1–2 % (docs/vetting.md)"),
    Field("macro_authentic_share", "Macro creator's real audience", "percent", 1, 100,
          "large accounts carry more inactive and bought followers; an assumption"),
)  # fmt: skip
BY_NAME = {f.name: f for f in FIELDS}
_SCALE = {"percent": 100.0, "money": 1.0, "number": 1.0, "count": 1.0}


def shown(assumptions: Assumptions, name: str) -> float:
    """An assumption in the unit a form shows (percent as 12.5, not 0.125)."""
    return float(getattr(assumptions, name)) * _SCALE[BY_NAME[name].unit]


def _parse(spec: Field, raw: str) -> float:
    text = raw.strip().replace(",", "").removesuffix("%").strip()
    if not text:
        raise ValueError("Enter a number.")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"“{raw.strip()[:20]}” is not a number.") from None
    if not math.isfinite(value) or not spec.low <= value <= spec.high:
        unit = " %" if spec.unit == "percent" else ""
        raise ValueError(f"Enter a value from {spec.low:g}{unit} to {spec.high:,.0f}{unit}.")
    if spec.unit == "count" and value != int(value):
        raise ValueError("Enter a whole number.")
    return value


def assumptions_from_form(form: Mapping[str, str], base: Assumptions | None = None) -> Assumptions:
    """Assumptions from a form (values in the units shown); fields left out keep ``base``; InvalidInput lists errors."""
    base = base or Assumptions()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, raw in form.items():
        spec = BY_NAME.get(name)
        if spec is None:
            continue
        try:
            value = _parse(spec, raw)
        except ValueError as exc:
            errors[name] = str(exc)
            continue
        values[name] = int(value) if spec.unit == "count" else value / _SCALE[spec.unit]
    if errors:
        raise InvalidInput("Some assumptions are out of range: nothing was saved.", errors)
    return replace(base, **values)


def assumptions_from_json(stored: Mapping[str, Any] | None) -> Assumptions:
    """Assumptions from a campaign's stored JSON; unknown or malformed keys fall back to the defaults."""
    if not stored:
        return Assumptions()
    kinds = {f.name: f.type for f in fields(Assumptions)}
    values: dict[str, Any] = {}
    for name, value in stored.items():
        if name not in kinds or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        spec = BY_NAME.get(name)
        if spec and not spec.low <= value * _SCALE[spec.unit] <= spec.high:
            continue
        values[name] = int(value) if kinds[name] == "int" else float(value)
    return replace(Assumptions(), **values)
