"""Imports every domain's models so the metadata (Alembic, and sessions) sees all tables; nothing else imports it
but ``db.migrate``, Alembic's env and ``db.session``."""

from grassroots.agreements import models as agreements
from grassroots.approvals import models as approvals
from grassroots.campaigns import models as campaigns
from grassroots.comments import models as comments
from grassroots.connectors import models as connectors
from grassroots.creators import models as creators
from grassroots.db.base import Base
from grassroots.demo import models as demo
from grassroots.discovery import models as discovery
from grassroots.gifting import models as gifting
from grassroots.insights import models as insights
from grassroots.jobs import models as jobs
from grassroots.mentions import models as mentions
from grassroots.outreach import models as outreach
from grassroots.portal import models as portal
from grassroots.tracking import link_models as tracking_links
from grassroots.tracking import models as tracking
from grassroots.vetting import models as vetting
from grassroots.workspaces import models as workspaces

metadata = Base.metadata

__all__ = [
    "agreements",
    "approvals",
    "campaigns",
    "comments",
    "connectors",
    "creators",
    "demo",
    "discovery",
    "gifting",
    "insights",
    "jobs",
    "mentions",
    "metadata",
    "outreach",
    "portal",
    "tracking",
    "tracking_links",
    "vetting",
    "workspaces",
]
