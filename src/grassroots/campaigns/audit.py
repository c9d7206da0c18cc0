"""The audit trail of collaborations: who moved which creator from which stage to which, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Collaboration, Stage, StageChange
from grassroots.db.base import utcnow
from grassroots.workspaces.models import User


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a signed-in person, an API token's owner, or the command line."""

    name: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        """The signed-in (or token-holding) user."""
        return cls(user.email, user.id)


CLI = Actor("command line")


def record(
    session: Session,
    collaboration: Collaboration,
    to_stage: Stage,
    actor: Actor,
    *,
    note: str | None = None,
    at: datetime | None = None,
) -> StageChange | None:
    """Move a collaboration and write the audit line; None (and no line) when it is at that stage already."""
    from_stage = collaboration.stage
    if from_stage is to_stage:
        return None
    when = at or utcnow()
    collaboration.stage = to_stage
    collaboration.stage_changed_at = when
    change = StageChange(
        workspace_id=collaboration.workspace_id,
        collaboration_id=collaboration.id,
        from_stage=from_stage,
        to_stage=to_stage,
        user_id=actor.user_id,
        actor=actor.name,
        changed_at=when,
        note=note or None,
    )
    session.add(change)
    return change


def record_added(session: Session, collaborations: list[Collaboration], actor: Actor) -> None:
    """The first audit line of collaborations just added to a roster (flushed, so they have ids)."""
    session.add_all(
        StageChange(
            workspace_id=c.workspace_id,
            collaboration_id=c.id,
            from_stage=None,
            to_stage=c.stage,
            user_id=actor.user_id,
            actor=actor.name,
            changed_at=c.stage_changed_at,
            note="added to the roster",
        )
        for c in collaborations
    )


def history(session: Session, collaboration_id: int) -> list[StageChange]:
    """A collaboration's audit trail, newest first."""
    stmt = (
        select(StageChange)
        .where(StageChange.collaboration_id == collaboration_id)
        .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
    )
    return list(session.scalars(stmt))
