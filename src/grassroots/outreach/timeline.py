"""The creator's timeline: every touchpoint (message, reply, acceptance, signature, gift, approval, payment).

Every domain that does something with a creator calls :func:`record`; pages read :func:`for_creator`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.outreach.models import Touchpoint


def record(
    session: Session,
    *,
    workspace_id: int,
    creator_id: int,
    kind: str,
    summary: str,
    actor: str = "system",
    collaboration_id: int | None = None,
    detail: str | None = None,
    url: str | None = None,
    ref: tuple[str, int] | None = None,
    at: datetime | None = None,
) -> Touchpoint:
    """Add one touchpoint (flushed, not committed: it commits with the action it records)."""
    point = Touchpoint(
        workspace_id=workspace_id,
        creator_id=creator_id,
        collaboration_id=collaboration_id,
        kind=kind,
        summary=summary[:500],
        detail=detail,
        url=url,
        actor=actor[:200],
        ref_type=ref[0] if ref else None,
        ref_id=ref[1] if ref else None,
    )
    if at is not None:
        point.at = at
    session.add(point)
    session.flush()
    return point


def for_creator(session: Session, workspace_id: int, creator_id: int, limit: int = 200) -> list[Touchpoint]:
    """The creator's touchpoints, newest first."""
    return list(
        session.scalars(
            select(Touchpoint)
            .where(Touchpoint.workspace_id == workspace_id, Touchpoint.creator_id == creator_id)
            .order_by(Touchpoint.at.desc(), Touchpoint.id.desc())
            .limit(limit)
        )
    )
