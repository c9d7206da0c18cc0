"""Shapes of the forecast, the optimiser and fair compensation: inputs (forms and /api/v1) and JSON outputs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from grassroots.campaigns.models import CampaignGoal
from grassroots.campaigns.money import check_amount
from grassroots.creators.tiers import Tier
from grassroots.errors import InvalidInput
from grassroots.judgments.campaigns.assumptions import BY_NAME

Money = Annotated[Decimal, AfterValidator(check_amount)]
DEFAULT_TIERS = [Tier.micro_micro, Tier.nano, Tier.micro]
MESSAGES = {
    "decimal_parsing": "must be an amount like 250 or 49.90",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "enum": "choose one of the listed options",
    "literal_error": "choose one of the listed options",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "greater_than": "must be more than {gt}",
    "too_long": "is too long",
}


def form_errors(exc: ValidationError) -> dict[str, str]:
    """Each bad field's first message in plain words ('must be at most 100'), for a form or a problem."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "form"
        template = MESSAGES.get(error["type"])
        message = template.format(**error.get("ctx", {})) if template else error["msg"].removeprefix("Value error, ")
        errors.setdefault(field, message)
    return errors


class OptimiseIn(BaseModel):
    """What the optimiser may spend and on whom: blank values take the campaign's budget and goal."""

    model_config = ConfigDict(extra="forbid")

    budget: Money | None = Field(None, description="Defaults to the campaign's budget.")
    goal: CampaignGoal | None = Field(None, description="Defaults to the campaign's goal.")
    max_per_creator: Money | None = Field(None, description="The most one creator may cost (expected).")
    min_credibility: int = Field(0, ge=0, le=100, description="Vetted creators below this are left out.")
    include_unvetted: bool = Field(True, description="Whether creators not vetted yet may be chosen.")
    min_fit: int = Field(0, ge=0, le=100, description="Brand fit 0–100; creators without a fit score are kept.")
    max_tier_share: int = Field(100, ge=10, le=100, description="At most this % of the budget in one tier.")
    max_niche_share: int = Field(100, ge=10, le=100, description="At most this % of the budget in one niche.")
    max_creators: int | None = Field(None, ge=1, le=5_000)
    tiers: list[Tier] = Field(default_factory=lambda: list(DEFAULT_TIERS), max_length=5)
    shortlist_id: int | None = Field(None, ge=1, le=2**63 - 1, description="Candidates from this shortlist.")
    creator_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] | None = Field(
        None, max_length=20_000, description="Candidates by id (e.g. discovery results); else the tiers' creators."
    )


class CompensationIn(BaseModel):
    """What the brand asks of each creator: deliverables, rights to reuse, exclusivity."""

    model_config = ConfigDict(extra="forbid")

    deliverables: int = Field(1, ge=1, le=20)
    usage: Literal["none", "organic", "paid_ads"] = "none"
    usage_months: int = Field(0, ge=0, le=24)
    exclusivity_months: int = Field(0, ge=0, le=12)


class IntervalOut(BaseModel):
    """P10, P50, P90 and mean over the draws; null where infinite (cost per sale in draws without a sale)."""

    p10: float | None
    p50: float | None
    p90: float | None
    mean: float | None

    @classmethod
    def of(cls, interval: Any) -> IntervalOut:
        """From a judgment's Interval."""
        values = {"p10": interval.p10, "p50": interval.p50, "p90": interval.p90, "mean": interval.mean}
        return cls(**{k: (v if math.isfinite(v) else None) for k, v in values.items()})


class ActualOut(BaseModel):
    """Orders with the roster's promo codes during the campaign, beside the forecast."""

    orders: int
    revenue: Decimal
    currency: str
    since: date
    until: date
    other_currency_orders: int
    position: str


class ForecastOut(BaseModel):
    """The roster's forecast, the naive seeds' arithmetic and one macro creator for the same budget."""

    campaign_id: int
    currency: str
    draws: int
    creators: int
    assumptions: dict[str, float]
    changed: list[str]
    roster: dict[str, IntervalOut] | None
    macro: dict[str, IntervalOut] | None
    macro_budget: float | None
    roster_ahead_of_macro: float | None = Field(None, description="Share of draws with more sales than the macro.")
    naive_reach: float
    naive_sales: float
    actual: ActualOut | None


class AssumptionsIn(BaseModel):
    """Assumptions to change, in the units the page shows (percent as 12.5); others keep their value."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, float | str] = Field(default_factory=dict, description='e.g. {"conversion": 2.5} for 2.5 %')
    reset: bool = Field(False, description="Back to the defaults (then ``values`` apply on top).")

    @field_validator("values")
    @classmethod
    def _known(cls, values: dict[str, float | str]) -> dict[str, float | str]:
        if unknown := sorted(set(values) - set(BY_NAME)):
            raise ValueError(f"unknown assumption(s): {', '.join(unknown[:5])}; known: {', '.join(BY_NAME)}")
        return values


class PlanRowOut(BaseModel):
    """One creator chosen (or left out) with the offer, its expected outcome and cost, and why."""

    creator_id: int
    name: str
    handle: str
    tier: str
    niche: str | None
    offer: str
    cost: float
    value: float
    expected_sales: float
    expected_reach: float
    expected_posts: float
    rank: int
    why: str
    on_roster: bool


class MarginalOut(BaseModel):
    """What a 10 % larger budget would add (``proven`` false: at least this much; the solve hit its time limit)."""

    budget: float
    value: float
    added: float
    proven: bool


class PlanOut(BaseModel):
    """The optimiser's choice within the budget, with reasons."""

    goal: str
    unit: str
    currency: str
    budget: float
    spent: float
    value: float
    status: str
    optimal: bool
    seconds: float
    candidates: int
    excluded: dict[str, int]
    notes: list[str]
    picks: list[PlanRowOut]
    left_out: list[PlanRowOut]
    marginal: MarginalOut | None


class CompensationOut(BaseModel):
    """A suggested range for one roster member, with the reasoning; ``agreed_fee`` when one is set."""

    creator_id: int
    name: str
    handle: str
    tier: str
    platform: str | None
    followers: int
    kind: Literal["gift", "fee"]
    fee_low: Decimal
    fee_high: Decimal
    gift: Decimal
    currency: str
    reasons: list[str]
    agreed_fee: Decimal | None


OPTIMISE_BOXES = ("budget", "goal", "max_per_creator", "min_credibility", "min_fit", "max_tier_share",
                  "max_niche_share", "max_creators", "shortlist_id")  # fmt: skip


def _box(fields: Mapping[str, list[str]], name: str) -> str:
    return ((fields.get(name) or [""])[0]).strip().replace(",", "").replace("\u00a0", "")


def optimise_params(fields: Mapping[str, list[str]]) -> OptimiseIn:
    """The optimiser form as OptimiseIn (blank boxes take the defaults); InvalidInput names each bad box."""
    values: dict[str, Any] = {name: text for name in OPTIMISE_BOXES if (text := _box(fields, name))}
    values["include_unvetted"] = bool(_box(fields, "include_unvetted"))
    values["tiers"] = [t for t in fields.get("tiers", []) if t]
    try:
        return OptimiseIn.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput("The optimiser's limits are not valid: nothing was run.", form_errors(exc)) from None


def compensation_params(query: Mapping[str, str]) -> CompensationIn:
    """What the compensation form asks for; InvalidInput names each bad box."""
    names = ("deliverables", "usage", "usage_months", "exclusivity_months")
    values = {n: query[n].strip() for n in names if (query.get(n) or "").strip()}
    try:
        return CompensationIn.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput("Some terms are not valid: the suggestions use the defaults.", form_errors(exc)) from None
