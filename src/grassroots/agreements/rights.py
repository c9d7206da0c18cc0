"""Usage rights a creator granted in a signed agreement: what approved content may be used for, and until when.

The approvals work copies these onto each UGC library item when content is approved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class UsageRights:
    """Rights from the newest signed agreement of a collaboration."""

    agreement_version_id: int
    channels: list[str] = field(default_factory=list)  # e.g. ["organic social", "website", "email"]
    paid_usage: bool = False  # may the brand run it as an ad (whitelisting / Spark Ads)?
    expires_on: date | None = None
    exclusivity: str | None = None  # e.g. "no competing skincare brand for 30 days"
