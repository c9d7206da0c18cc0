"""The demo world's hidden truth, kept apart so it never leaks into real judgments."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped


class DemoTruth(WorkspaceScoped, Base):
    """What the generator planted in an account: ``fake``, ``pod``, ``undisclosed``, ``customer_creator``,
    ``brand_fan``, ``strong`` (a genuinely strong creator, see ``demo.strong``) or ``bought_followers`` (a genuine
    creator who bought one batch of followers, see ``demo.bought``).

    Synthetic: for showing the demo, never for claiming accuracy.
    """

    __tablename__ = "demo_truth"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_account.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
