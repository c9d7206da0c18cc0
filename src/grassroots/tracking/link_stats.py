"""Click figures per link: clicks, people vs bots, unique visitors per hour (read from the flushed ``click`` table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import Session

from grassroots.db.base import utcnow
from grassroots.tracking.link_models import Click


@dataclass(frozen=True)
class LinkStats:
    """A link's figures: ``visitor_hours`` counts each (visitor, hour) once, among people only."""

    clicks: int = 0
    bots: int = 0
    visitor_hours: int = 0
    last_click: datetime | None = None

    @property
    def people(self) -> int:
        """Clicks that are not flagged as bots or previews."""
        return self.clicks - self.bots

    @property
    def bot_share(self) -> float:
        """Share of clicks flagged as bots (0–1)."""
        return self.bots / self.clicks if self.clicks else 0.0


@dataclass(frozen=True)
class HourRow:
    """One hour of a link's clicks."""

    hour: str
    clicks: int
    bots: int
    visitors: int


def _hour(session: Session) -> Any:
    """The click's UTC hour as text ('2026-12-07 14'), in each database's own words."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Click.at), "YYYY-MM-DD HH24")
    return func.substr(cast(Click.at, String), 1, 13)


def totals(session: Session, link_ids: list[int]) -> dict[int, LinkStats]:
    """Figures for many links in one query."""
    if not link_ids:
        return {}
    human = Click.is_bot.is_(False)
    visitor_hour = case((human, Click.visitor + "@" + _hour(session)))
    rows = session.execute(
        select(Click.link_id, func.count(), func.sum(case((Click.is_bot, 1), else_=0)),
               func.count(func.distinct(visitor_hour)), func.max(Click.at))
        .where(Click.link_id.in_(link_ids)).group_by(Click.link_id)
    ).all()  # fmt: skip
    return {r[0]: LinkStats(int(r[1]), int(r[2] or 0), int(r[3] or 0), r[4]) for r in rows}


def by_hour(session: Session, link_id: int, hours: int = 48) -> list[HourRow]:
    """The last ``hours`` hours that had clicks, newest first: clicks, bots and unique visitors (people)."""
    hour = _hour(session)
    human = Click.is_bot.is_(False)
    rows = session.execute(
        select(hour, func.count(), func.sum(case((Click.is_bot, 1), else_=0)),
               func.count(func.distinct(case((human, Click.visitor)))))
        .where(Click.link_id == link_id, Click.at >= utcnow() - timedelta(hours=hours))
        .group_by(hour).order_by(hour.desc())
    ).all()  # fmt: skip
    return [HourRow(f"{r[0]}:00", int(r[1]), int(r[2] or 0), int(r[3] or 0)) for r in rows]


def recent(session: Session, link_id: int, limit: int = 50) -> list[Click]:
    """The latest clicks of a link."""
    return list(session.scalars(select(Click).where(Click.link_id == link_id).order_by(Click.at.desc()).limit(limit)))
