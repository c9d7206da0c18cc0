"""What a brief and an agreement say: their fields, read from a form, and the exact text a creator reads and signs.

Pure: no database. The text is built once, when a version is saved, and stored with it; a signature's hash is
the SHA-256 of that stored text, so what was signed can be proven later byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from grassroots.errors import InvalidInput

Lines = list[str]
_DEADLINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[:\-–—]?\s*(.*)$")


class Deadline(BaseModel):
    """One dated step (a draft due, a post going live)."""

    on: date
    what: str = Field(min_length=1, max_length=300)


class Parties(BaseModel):
    """Who the document is between, and for which campaign (written into the text)."""

    brand: str
    creator: str
    campaign: str


class BriefFields(BaseModel):
    """A brief: what to say, how, and by when."""

    key_messages: Lines = Field(default_factory=list, max_length=30)
    dos: Lines = Field(default_factory=list, max_length=30)
    donts: Lines = Field(default_factory=list, max_length=30)
    disclosure: str = Field(min_length=2, max_length=300)
    hashtags: Lines = Field(default_factory=list, max_length=30)
    links: Lines = Field(default_factory=list, max_length=30)  # links and discount codes
    deadlines: list[Deadline] = Field(default_factory=list, max_length=30)


class AgreementFields(BaseModel):
    """An agreement: deliverables, deadlines, usage rights and payment terms."""

    deliverables: Lines = Field(min_length=1, max_length=30)
    deadlines: list[Deadline] = Field(default_factory=list, max_length=30)
    channels: Lines = Field(default_factory=list, max_length=20)
    paid_usage: bool = False
    usage_expires_on: date | None = None
    exclusivity: str | None = Field(default=None, max_length=500)
    payment_terms: str = Field(min_length=2, max_length=2000)
    disclosure: str = Field(min_length=2, max_length=300)


def sha256(text: str) -> str:
    """The hex SHA-256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lines(text: str) -> Lines:
    return [line.strip(" \t-•*") for line in text.replace("\r\n", "\n").split("\n") if line.strip(" \t-•*")]


def _deadlines(text: str) -> list[dict[str, str]]:
    out = []
    for line in _lines(text):
        match = _DEADLINE.match(line)
        if match is None:
            raise InvalidInput(
                "A deadline needs a date.", {"deadlines": f"start “{line[:60]}” with a date, e.g. 2026-12-10"}
            )
        out.append({"on": match.group(1), "what": match.group(2).strip() or "deadline"})
    return out


def _errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "form"
        message = {"too_short": "this is required", "missing": "this is required"}.get(error["type"], error["msg"])
        errors.setdefault(name, message.removeprefix("Value error, "))
    return errors


def brief_from_form(form: dict[str, str]) -> BriefFields:
    """A brief from its form's text boxes (one item per line); InvalidInput names each bad box."""
    values: dict[str, Any] = {k: _lines(form.get(k, "")) for k in ("key_messages", "dos", "donts", "hashtags", "links")}
    values["hashtags"] = ["#" + w.lstrip("#") for line in values["hashtags"] for w in line.split() if w.lstrip("#")]
    values["disclosure"] = form.get("disclosure", "").strip()
    values["deadlines"] = _deadlines(form.get("deadlines", ""))
    try:
        return BriefFields.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput("The brief was not saved.", _errors(exc)) from None


def agreement_from_form(form: dict[str, str]) -> AgreementFields:
    """An agreement from its form's boxes; InvalidInput names each bad box."""
    values: dict[str, Any] = {k: _lines(form.get(k, "")) for k in ("deliverables", "channels")}
    values["deadlines"] = _deadlines(form.get("deadlines", ""))
    values["paid_usage"] = form.get("paid_usage", "") in {"on", "yes", "true", "1"}
    values["usage_expires_on"] = form.get("usage_expires_on", "").strip() or None
    values["exclusivity"] = form.get("exclusivity", "").strip() or None
    values["payment_terms"] = form.get("payment_terms", "").strip()
    values["disclosure"] = form.get("disclosure", "").strip()
    try:
        return AgreementFields.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput("The agreement was not saved.", _errors(exc)) from None


def as_form(fields: BriefFields | AgreementFields) -> dict[str, str]:
    """A version's fields back into the form's boxes (to edit the next version from the last one)."""
    out: dict[str, str] = {}
    for name, value in fields.model_dump(mode="json").items():
        if name == "deadlines":
            out[name] = "\n".join(f"{d['on']} {d['what']}" for d in value)
        elif isinstance(value, list):
            out[name] = "\n".join(value)
        elif isinstance(value, bool):
            out[name] = "on" if value else ""
        else:
            out[name] = "" if value is None else str(value)
    return out


def _section(title: str, items: list[str], empty: str) -> list[str]:
    return ["", title.upper(), *([f"- {i}" for i in items] or [empty])]


def _dated(deadlines: list[Deadline]) -> list[str]:
    return [f"{d.on.isoformat()}: {d.what}" for d in sorted(deadlines, key=lambda d: d.on)]


def brief_text(fields: BriefFields, parties: Parties, number: int) -> str:
    """The brief as the creator reads it."""
    lines = [f"Brief: {parties.campaign} (version {number})", f"From {parties.brand} for {parties.creator}."]
    lines += _section("Key messages", fields.key_messages, "- none given")
    lines += _section("Do", fields.dos, "- nothing in particular")
    lines += _section("Don't", fields.donts, "- nothing in particular")
    lines += ["", "DISCLOSURE (REQUIRED ON EVERY POST ABOUT THE BRAND)", fields.disclosure]
    lines += _section("Hashtags", fields.hashtags, "- none")
    lines += _section("Links and codes", fields.links, "- none")
    lines += _section("Deadlines", _dated(fields.deadlines), "- none")
    return "\n".join(lines) + "\n"


def agreement_text(fields: AgreementFields, parties: Parties, number: int) -> str:
    """The agreement as the creator reads and signs it."""
    lines = [
        f"Agreement: {parties.campaign} (version {number})",
        f"Between {parties.brand} (the brand) and {parties.creator} (the creator).",
    ]
    lines += _section("Deliverables", fields.deliverables, "- none")
    lines += _section("Deadlines", _dated(fields.deadlines), "- none")
    expiry = fields.usage_expires_on.isoformat() if fields.usage_expires_on else "no end date agreed"
    lines += [
        "",
        "USAGE RIGHTS",
        f"- Channels where the brand may reuse the content: {', '.join(fields.channels) or 'none'}",
        f"- Paid usage (running it as an ad): {'allowed' if fields.paid_usage else 'not allowed'}",
        f"- The brand's rights to use the content end on: {expiry}",
        f"- Exclusivity: {fields.exclusivity or 'none'}",
        "",
        "PAYMENT",
        fields.payment_terms,
        "",
        "DISCLOSURE",
        f"Every post about the brand clearly says: {fields.disclosure}",
    ]
    return "\n".join(lines) + "\n"
