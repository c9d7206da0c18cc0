"""Read the version form (portal and brand pages) into a ``VersionIn``, with messages beside the boxes."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from grassroots.approvals.schemas import VersionIn
from grassroots.campaigns.forms import Fields, one
from grassroots.campaigns.schemas import field_errors

BOXES = ("draft_id", "title", "caption", "media_urls", "post_url", "note")


def boxes(fields: Fields) -> dict[str, str]:
    """The form as typed, to show it again after a mistake (nothing the person wrote is lost)."""
    return {name: one(fields, name) for name in BOXES}


def version_in(fields: Fields) -> tuple[VersionIn | None, dict[str, str]]:
    """The posted version, or None and a message per bad field."""
    typed = boxes(fields)
    draft = typed["draft_id"]
    values: dict[str, Any] = {
        "draft_id": draft if draft and draft != "new" else None,
        "title": typed["title"] or None,
        "caption": typed["caption"],
        "media_urls": [line.strip() for line in typed["media_urls"].splitlines() if line.strip()],
        "post_url": typed["post_url"] or None,
        "note": typed["note"] or None,
    }
    try:
        return VersionIn.model_validate(values), {}
    except ValidationError as exc:
        return None, field_errors(exc)
