"""Test data for campaign tests: creators with posts, campaigns, rosters, a second workspace's client."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from grassroots.campaigns import service
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.schemas import CampaignIn
from grassroots.config import Settings
from grassroots.creators import service as creators
from grassroots.creators.models import Platform
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from grassroots.web.app import create_app
from tests.support import login, make_user, workspace_id

NOV = datetime(2026, 11, 10, 12, tzinfo=UTC)
TESTER = Actor("tester@brand.test")


def make_creator(engine: Engine, name: str, handle: str, followers: int = 4_000, ws: str = "Brand") -> int:
    """A creator with one Instagram account; returns the creator id."""
    with session_scope(engine) as s:
        data = CreatorIn(display_name=name, accounts=[AccountIn(platform=Platform.instagram, handle=handle,
                                                                 followers=followers)])  # fmt: skip
        return creators.create_creator(s, workspace_id(engine, ws), data).id


def make_creators(engine: Engine, count: int, ws: str = "Brand", prefix: str = "c") -> list[int]:
    """``count`` creators named ``C 000``, ``C 001``… with handles ``c000``… (followers vary by tier)."""
    with session_scope(engine) as s:
        wid = workspace_id(engine, ws)
        out = []
        for i in range(count):
            account = AccountIn(platform=Platform.instagram, handle=f"{prefix}{i:03d}", followers=500 + 997 * i)
            out.append(creators.create_creator(s, wid, CreatorIn(display_name=f"C {i:03d}", accounts=[account])).id)
        return out


def add_post(engine: Engine, creator_id: int, caption: str, when: datetime = NOV, **extra: Any) -> int:
    """A post on the creator's first account; returns the post id."""
    with session_scope(engine) as s:
        creator = creators.require_creator(s, _ws_of(engine, creator_id), creator_id)
        post = creators.add_post(s, creator.workspace_id, creator.accounts[0].id,
                                 PostIn(caption=caption, posted_at=when, **extra))  # fmt: skip
        return post.id


def _ws_of(engine: Engine, creator_id: int) -> int:
    from grassroots.creators.models import Creator

    with session_scope(engine) as s:
        creator = s.get(Creator, creator_id)
        assert creator is not None
        return creator.workspace_id


def make_campaign(engine: Engine, ws: str = "Brand", roster: list[int] | None = None, **fields: Any) -> int:
    """A campaign (a seeding one in November unless told otherwise) with a roster; returns its id."""
    values = {"name": "Serum seeding", "starts_on": "2026-11-01", "ends_on": "2026-11-30", **fields}
    with session_scope(engine) as s:
        wid = workspace_id(engine, ws)
        campaign = service.create_campaign(s, wid, CampaignIn.model_validate(values))
        if roster:
            service.add_to_roster(s, wid, campaign.id, roster, actor=TESTER)
        return campaign.id


def collaboration_ids(client: TestClient, campaign_id: int) -> dict[str, int]:
    """Collaboration id per creator handle, read through the API."""
    rows = client.get(f"/api/v1/campaigns/{campaign_id}/collaborations").json()
    return {r["handle"]: r["id"] for r in rows}


def other_client(engine: Engine, settings: Settings) -> TestClient:
    """A second browser, signed in as the owner of another workspace ('Other')."""
    make_user(engine, "owner@other.test", ws="Other")
    client = TestClient(create_app(engine, settings), follow_redirects=False)
    login(client, "owner@other.test")
    return client


def field_errors(html: str) -> list[str]:
    """The messages shown beside form fields."""
    return re.findall(r'class="field-error"[^>]*>([^<]*)<', html)


BACKGROUND = {"job-runner", "webhook-inbox", "click-flusher"}  # the server's own threads, not requests


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block for requests (not the server's background threads)."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread().name not in BACKGROUND:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
