"""What a draft's caption must say before it may be approved, and what the agreement grants.

The disclosure rules themselves live in ``judgments/language/disclosure.py`` (read through
``creators.insights.disclosure_checks``); this module only decides what blocks an approval. Content made for a
collaboration is always a material connection (a fee, commission or gift), so every caption is checked as
sponsored. The agreements package may not exist in every install: its functions are looked up when called.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from grassroots.creators.insights import disclosure_checks

if TYPE_CHECKING:
    from grassroots.agreements.rights import UsageRights

DEFAULT_WORDING = "#ad"
AGREEMENTS = "grassroots.agreements.service"
LABEL = re.compile(r"#\w+")
BLOCKING = ("missing", "unclear")  # "unclear" (an ambiguous or buried label) does not disclose either


@dataclass(frozen=True)
class CaptionCheck:
    """The disclosure verdict on one caption, and why approval is refused (None: it may be approved)."""

    disclosure: str  # compliant / missing / unclear
    reason: str
    expected: str
    blocked_reason: str | None


def _says(caption: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", caption, re.IGNORECASE) is not None


def check_caption(caption: str, mandatory: str | None = None) -> CaptionCheck:
    """Run the disclosure judgment on a caption and say whether it blocks approval, in words a person reads.

    ``mandatory`` is the brief's disclosure wording ("#gifted · Gifted by Dew"): the caption must carry one of its
    hashtags, or the whole wording when it has none.
    """
    status, reason = disclosure_checks([(0, caption, True)])[0]
    wanted = (mandatory or "").strip()
    problems: list[str] = []
    if status in BLOCKING:
        label = "No disclosure" if status == "missing" else "Unclear disclosure"
        problems.append(f"{label}: {reason}.")
    labels = LABEL.findall(wanted)
    if wanted and not (any(_says(caption, t) for t in labels) if labels else _says(caption, wanted)):
        lacks = f"has no {' or '.join(labels)}" if labels else "does not say it"
        problems.append(f"The brief asks for '{wanted}', and the caption {lacks}.")
    expected = wanted or DEFAULT_WORDING
    blocked = " ".join([*problems, f"Expected: start the caption with '{expected}'."]) if problems else None
    return CaptionCheck(status, reason, expected, blocked)


def _agreements() -> Any | None:
    try:
        return importlib.import_module(AGREEMENTS)
    except ImportError:
        return None


def mandatory_wording(session: Session, workspace_id: int, collaboration_id: int) -> str | None:
    """The disclosure wording of the collaboration's newest brief (else its agreement); None: '#ad' is expected."""
    module = _agreements()
    lookup = getattr(module, "disclosure_wording", None)
    if callable(lookup):
        wording = lookup(session, workspace_id, collaboration_id)
        return str(wording).strip() or None if wording else None
    latest, fields_of = getattr(module, "latest", None), getattr(module, "fields_of", None)
    kinds = getattr(module, "DocumentKind", None)
    if not (callable(latest) and callable(fields_of) and kinds is not None):
        return None
    for kind in (kinds.brief, kinds.agreement):
        version = latest(session, workspace_id, collaboration_id, kind)
        wording = getattr(fields_of(version), "disclosure", None) if version is not None else None
        if isinstance(wording, str) and wording.strip():
            return wording.strip()
    return None


def usage_rights(session: Session, workspace_id: int, collaboration_id: int) -> UsageRights | None:
    """The rights of the collaboration's signed agreement, or None (not agreed in writing, or no agreements)."""
    lookup = getattr(_agreements(), "usage_rights", None)
    if not callable(lookup):
        return None
    rights: UsageRights | None = lookup(session, workspace_id, collaboration_id)
    return rights
