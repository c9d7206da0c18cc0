"""Pydantic shapes of gift products, gifts, addresses and status changes (forms and the API use them)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from grassroots.campaigns.money import check_amount, check_currency
from grassroots.creators.schemas import http_url
from grassroots.gifting.models import Fulfilment, GiftStatus

Currency = Annotated[str, AfterValidator(check_currency)]
Price = Annotated[Decimal, AfterValidator(lambda v: check_amount(v, allow_zero=True))]
Text = Annotated[str, Field(min_length=1, max_length=300)]
Optional = Annotated[str | None, Field(default=None, max_length=300)]


class ProductIn(BaseModel):
    """A product kept by hand (no store connected, or something the store does not sell)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: Text
    variant_title: Optional = None
    sku: Annotated[str | None, Field(default=None, max_length=200)] = None
    price: Price | None = None
    currency: Currency = "EUR"
    image_url: Annotated[str | None, Field(default=None, max_length=1000)] = None

    @field_validator("image_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value and not http_url(value):
            raise ValueError("must be a web address starting with http:// or https://")
        return value or None


class LineIn(BaseModel):
    """One product of a gift and how many."""

    product_id: Annotated[int, Field(ge=1, le=2**63 - 1)]
    quantity: Annotated[int, Field(ge=1, le=100)] = 1


class GiftIn(BaseModel):
    """Plan (or re-plan) the gift of a collaboration."""

    model_config = ConfigDict(str_strip_whitespace=True)

    lines: Annotated[list[LineIn], Field(min_length=1, max_length=50)]
    cost: Price | None = Field(default=None, description="what it costs the brand; default: the products' prices")
    note: Annotated[str | None, Field(default=None, max_length=2_000)] = None


class AddressIn(BaseModel):
    """A shipping address the brand types (the creator's own comes from the portal)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=200)]
    line1: Text
    line2: Optional = None
    city: Annotated[str, Field(min_length=1, max_length=200)]
    region: Annotated[str | None, Field(default=None, max_length=200)] = None
    postal_code: Annotated[str, Field(min_length=1, max_length=40)]
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2, e.g. DE")]
    phone: Annotated[str | None, Field(default=None, max_length=50)] = None

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class StatusIn(BaseModel):
    """Move a gift on: ordered (by the store job or the warehouse CSV), shipped (with tracking), delivered."""

    model_config = ConfigDict(str_strip_whitespace=True)

    status: GiftStatus
    tracking_number: Annotated[str | None, Field(default=None, max_length=200)] = None
    carrier: Annotated[str | None, Field(default=None, max_length=100)] = None
    tracking_url: Annotated[str | None, Field(default=None, max_length=1000)] = None

    @field_validator("tracking_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value and not http_url(value):
            raise ValueError("must be a web address starting with http:// or https://")
        return value or None


class LineOut(BaseModel):
    """A gift line as stored."""

    title: str
    variant_title: str | None
    sku: str | None
    unit_price: Decimal | None
    quantity: int


class GiftOut(BaseModel):
    """A gift as the API shows it."""

    id: int
    collaboration_id: int
    creator_id: int
    status: GiftStatus
    fulfilment: Fulfilment | None
    cost: Decimal | None
    currency: str
    lines: list[LineOut]
    has_address: bool
    order_pending: bool
    order_error: str | None
    store_order_name: str | None
    tracking_number: str | None
    carrier: str | None
    tracking_url: str | None
    ordered_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
