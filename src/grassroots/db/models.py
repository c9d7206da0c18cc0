"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from grassroots.campaigns import models as campaigns
from grassroots.connectors import models as connectors
from grassroots.creators import models as creators
from grassroots.credibility import models as credibility
from grassroots.db.base import Base
from grassroots.demo import models as demo
from grassroots.language import models as language
from grassroots.tracking import models as tracking
from grassroots.workspaces import models as workspaces

metadata = Base.metadata

__all__ = [
    "campaigns",
    "connectors",
    "creators",
    "credibility",
    "demo",
    "language",
    "metadata",
    "tracking",
    "workspaces",
]
