"""outreach: drafts, follow-ups, replies (filled by the outreach work)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
