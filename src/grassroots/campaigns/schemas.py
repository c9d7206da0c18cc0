"""Pydantic shapes of campaigns, collaborations, moves and ledger entries, in and out (forms use them too)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from grassroots.campaigns.models import (
    CampaignGoal,
    CampaignKind,
    Compensation,
    EntryKind,
    EntryStatus,
    KpiMetric,
    Stage,
)
from grassroots.campaigns.money import check_amount, check_currency
from grassroots.creators.schemas import normalise_handle

_TAG = re.compile(r"^\w{1,100}$")
_CODE = re.compile(r"^[A-Za-z0-9_\-]{2,50}$")
Money = Annotated[Decimal, AfterValidator(check_amount)]
Currency = Annotated[str, AfterValidator(check_currency)]
Percent = Annotated[Decimal, Field(gt=0, le=100, decimal_places=2)]
Ids = Annotated[list[Annotated[int, Field(ge=1, le=2**63 - 1)]], Field(min_length=1, max_length=1000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def invalid(field: str, message: str, value: object = None) -> ValidationError:
    """A validation error on ``field`` raised from a model validator (so the API and forms name the field)."""
    detail = InitErrorDetails(type=PydanticCustomError("invalid", message), loc=(field,), input=value)
    return ValidationError.from_exception_data("campaign", [detail])


def normalise_tag(value: str) -> str:
    """'#GlowUp' -> 'glowup' (hashtags are compared without '#' and case)."""
    tag = value.strip().lstrip("#").lower()
    if not _TAG.match(tag):
        raise ValueError(f"#{tag} is not a hashtag: letters, digits and _ only")
    return tag


def normalise_code(value: str) -> str:
    """' dew10 ' -> 'DEW10' (codes are matched without case)."""
    code = value.strip().upper()
    if not _CODE.match(code):
        raise ValueError(f"{code or 'an empty code'} is not a promo code: 2–50 letters, digits, - or _")
    return code


class Kpi(BaseModel):
    """A KPI and its target (e.g. sales: 80)."""

    metric: KpiMetric
    target: Annotated[Decimal, Field(gt=0, le=Decimal(10**12), decimal_places=2)]


class Terms(BaseModel):
    """Compensation: the model and its amounts (amounts the model does not use are dropped)."""

    compensation: Compensation = Compensation.gift
    fee: Money | None = None
    commission_pct: Percent | None = None
    gift_value: Money | None = None

    @model_validator(mode="after")
    def _amounts_match_the_model(self) -> Self:
        needs_fee = self.compensation in (Compensation.flat_fee, Compensation.hybrid)
        needs_pct = self.compensation in (Compensation.commission, Compensation.hybrid)
        if needs_fee and self.fee is None:
            raise invalid("fee", f"{self.compensation.label} needs the fee")
        if needs_pct and self.commission_pct is None:
            raise invalid("commission_pct", f"{self.compensation.label} needs the commission %")
        self.fee = self.fee if needs_fee else None
        self.commission_pct = self.commission_pct if needs_pct else None
        return self


class CampaignIn(Terms):
    """A campaign to create (and, merged with a patch, the whole campaign an edit must leave valid)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: ShortText
    kind: CampaignKind = CampaignKind.seeding
    goal: CampaignGoal = CampaignGoal.awareness
    budget: Money | None = None
    currency: Currency = "EUR"
    starts_on: date | None = None
    ends_on: date | None = None
    brief: str | None = Field(default=None, max_length=20_000)
    products: list[ShortText] = Field(default_factory=list, max_length=50)
    kpis: list[Kpi] = Field(default_factory=list, max_length=10)
    handles: list[str] = Field(default_factory=list, max_length=20, description="brand handles; empty = workspace's")
    hashtags: list[str] = Field(default_factory=list, max_length=20)
    promo_codes: list[str] = Field(default_factory=list, max_length=50)
    commission_hold_days: int = Field(default=30, ge=0, le=365)
    follow_up_days: int = Field(default=7, ge=1, le=90)
    ask_cap: int = Field(default=2, ge=1, le=20)

    @field_validator("handles")
    @classmethod
    def _handles(cls, values: list[str]) -> list[str]:
        return _unique([normalise_handle(v) for v in values])

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, values: list[str]) -> list[str]:
        return _unique([normalise_tag(v) for v in values])

    @field_validator("promo_codes")
    @classmethod
    def _codes(cls, values: list[str]) -> list[str]:
        return _unique([normalise_code(v) for v in values])

    @field_validator("products")
    @classmethod
    def _products(cls, values: list[str]) -> list[str]:
        return _unique(values)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise invalid("ends_on", "the end date is before the start date", self.ends_on)
        if self.kind is CampaignKind.seeding and self.compensation is not Compensation.gift:
            raise invalid(
                "compensation",
                "seeding gifts with no strings attached: choose Gift only, "
                "or make it a paid, affiliate or ambassador campaign",
                self.compensation,
            )
        if len({k.metric for k in self.kpis}) < len(self.kpis):
            raise invalid("kpis", "name each KPI metric once")
        return self


class CampaignPatch(BaseModel):
    """Fields of a campaign to change; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    kind: CampaignKind | None = None
    goal: CampaignGoal | None = None
    budget: Decimal | None = None
    currency: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    brief: str | None = None
    products: list[str] | None = None
    kpis: list[Kpi] | None = None
    compensation: Compensation | None = None
    fee: Decimal | None = None
    commission_pct: Decimal | None = None
    gift_value: Decimal | None = None
    handles: list[str] | None = None
    hashtags: list[str] | None = None
    promo_codes: list[str] | None = None
    commission_hold_days: int | None = None
    follow_up_days: int | None = None
    ask_cap: int | None = None


class CampaignOut(CampaignIn):
    """A campaign as the API shows it."""

    id: int
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    stages: dict[str, int] = Field(description="collaborations per stage")
    assumptions: dict[str, Any] | None = None


class TermsIn(BaseModel):
    """A collaboration's own terms; ``compensation`` null means the campaign's defaults apply."""

    compensation: Compensation | None = None
    fee: Money | None = None
    commission_pct: Percent | None = None
    gift_value: Money | None = None
    note: str | None = Field(default=None, max_length=5_000)

    def terms(self) -> Terms | None:
        """The override as validated terms, or None when the campaign's apply."""
        if self.compensation is None:
            return None
        return Terms(compensation=self.compensation, fee=self.fee, commission_pct=self.commission_pct,
                     gift_value=self.gift_value)  # fmt: skip


class RosterIn(BaseModel):
    """Creators to add to a campaign's roster."""

    creator_ids: Ids


class RosterResult(BaseModel):
    """How many creators joined the roster, and how many were on it already."""

    added: int
    already: int


class MoveIn(BaseModel):
    """Move one collaboration to a stage."""

    stage: Stage
    note: str | None = Field(default=None, max_length=2_000)


class BulkMoveIn(MoveIn):
    """Move several collaborations of a campaign to one stage."""

    collaboration_ids: Ids


class MoveResult(BaseModel):
    """How many collaborations changed stage (those already there are left alone)."""

    moved: int
    unchanged: int


class CollaborationOut(BaseModel):
    """A creator in a campaign: stage, effective terms, asks in the last 90 days."""

    id: int
    campaign_id: int
    creator_id: int
    display_name: str
    handle: str
    followers: int
    tier: str
    stage: Stage
    stage_changed_at: datetime
    terms: Terms
    terms_overridden: bool
    note: str | None
    asks_90d: int


class StageChangeOut(BaseModel):
    """One line of a collaboration's audit trail."""

    model_config = ConfigDict(from_attributes=True)

    from_stage: Stage | None
    to_stage: Stage
    actor: str
    changed_at: datetime
    note: str | None


class EntryIn(BaseModel):
    """A ledger entry: a fee, commission or gift cost owed (or paid already) for a collaboration."""

    model_config = ConfigDict(str_strip_whitespace=True)

    kind: EntryKind
    amount: Money
    currency: Currency | None = Field(default=None, description="default: the campaign's")
    status: EntryStatus = EntryStatus.owed
    earned_on: date | None = Field(default=None, description="the sale, shipment or post; default today")
    due_on: date | None = None
    paid_on: date | None = Field(default=None, description="with status paid; default today")
    note: str | None = Field(default=None, max_length=2_000)


class PaidIn(BaseModel):
    """Mark an owed entry as paid."""

    paid_on: date | None = Field(default=None, description="default today")


class EntryOut(BaseModel):
    """A ledger entry; ``state`` is owed, on_hold (a commission in its hold period), payable or paid."""

    id: int
    collaboration_id: int
    creator_id: int
    display_name: str
    kind: EntryKind
    amount: Decimal
    currency: str
    status: EntryStatus
    state: str
    earned_on: date
    payable_on: date
    due_on: date | None
    paid_on: date | None
    paid_by: str | None
    note: str | None
    created_by: str


class CollaborationDetail(CollaborationOut):
    """A collaboration with its audit trail and ledger."""

    history: list[StageChangeOut]
    ledger: list[EntryOut]


class OverdueOut(BaseModel):
    """A collaboration waiting too long at a stage where the next move is the brand's (don't ghost)."""

    collaboration_id: int
    creator_id: int
    display_name: str
    stage: Stage
    days: int
    action: str


class OverAskedOut(BaseModel):
    """A roster creator asked more often than the cap in the last 90 days, across campaigns (don't over-ask)."""

    creator_id: int
    display_name: str
    asks_90d: int


class HealthOut(BaseModel):
    """Relationship health of a campaign's roster."""

    follow_up_days: int
    ask_cap: int
    overdue: list[OverdueOut]
    over_asked: list[OverAskedOut]


class ScopedPostOut(BaseModel):
    """A post that counts as the campaign's, and why it counts."""

    id: int
    creator_id: int
    handle: str
    posted_at: datetime
    caption: str
    sponsored: bool
    likes: int
    comments: int
    url: str | None
    matched: list[str]


class PostsPage(BaseModel):
    """One page of the campaign's posts."""

    items: list[ScopedPostOut]
    total: int
    page: int
    pages: int
    scoped: bool = Field(description="false when the campaign has no handle, hashtag or code yet")


# Pydantic's messages where a person typed into a box ("Input should be a valid decimal" means little).
PLAIN_MESSAGES = {
    "decimal_parsing": "must be a number like 250 or 49.90",
    "decimal_max_places": "can have at most two decimals",
    "decimal_whole_digits": "is too large",
    "int_parsing": "must be a whole number",
    "date_parsing": "must be a date like 2026-05-01",
    "date_from_datetime_parsing": "must be a date like 2026-05-01",
    "enum": "choose one of the listed options",
    "missing": "is required",
    "string_too_short": "is required",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Each bad field's first message, in plain words (a form shows it beside the field)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "form"
        message = PLAIN_MESSAGES.get(error["type"]) or error["msg"].removeprefix("Value error, ")
        errors.setdefault(field, message)
    return errors
