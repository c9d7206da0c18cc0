"""The mentions inbox: posts that mention the brand, a status set in one click, reminders for unanswered ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.jobs.models import Job, JobStatus
from grassroots.jobs.runner import Runner, load_handlers
from grassroots.mentions import service
from grassroots.mentions.models import Mention, MentionStatus
from grassroots.outreach.models import Touchpoint
from grassroots.workspaces.models import Workspace
from tests.campaigns.factory import add_post, make_creator, other_client
from tests.support import csrf_from, workspace_id

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def _brand(engine: Engine, ws: str = "Brand", handles: tuple[str, ...] = ("dew.skin",)) -> int:
    wid = workspace_id(engine, ws)
    with session_scope(engine) as s:
        workspace = s.get(Workspace, wid)
        assert workspace is not None
        workspace.brand_handles = list(handles)
    return wid


def _world(engine: Engine) -> dict[str, int]:
    """Three creators: two mention the brand (one in the caption, one in the tag list), one does not."""
    _brand(engine)
    ana = make_creator(engine, "Ana Glow", "ana.glow")
    ben = make_creator(engine, "Ben Bright", "ben.bright")
    own = make_creator(engine, "Dew (our account)", "dew.skin")
    return {
        "old": add_post(engine, ana, "Day 10 with @dew.skin, my skin says thanks", NOW - timedelta(days=6),
                        url="https://www.instagram.com/p/AAA/"),
        "new": add_post(engine, ben, "New shelfie", NOW - timedelta(hours=5), mentions=["dew.skin"]),
        "near_miss": add_post(engine, ben, "Loving @dew.skincare too", NOW - timedelta(days=8)),
        "own": add_post(engine, own, "Our new serum, thanks @dew.skin fans", NOW - timedelta(days=9)),
        "ana": ana,
        "ben": ben,
    }  # fmt: skip


def test_the_inbox_lists_mentions_and_a_status_is_one_click(owner_client: TestClient, engine: Engine) -> None:
    posts = _world(engine)
    page = owner_client.get("/mentions")
    assert page.status_code == 200
    assert "Day 10 with @dew.skin" in page.text and "New shelfie" in page.text
    assert "@dew.skincare" not in page.text and "Our new serum" not in page.text  # near miss, the brand's own post
    assert "not answered (2)" in page.text and "@ana.glow" in page.text
    csrf = csrf_from(page.text)
    clicked = owner_client.post(f"/mentions/{posts['old']}/status",
                                data={"csrf_token": csrf, "status": "replied", "next": "/mentions"})  # fmt: skip
    assert clicked.status_code == 303 and clicked.headers["location"] == f"/mentions#mention-{posts['old']}"
    after = owner_client.get("/mentions").text
    assert "Marked replied." in after and "replied (1)" in after and "not answered (1)" in after
    replied = owner_client.get("/mentions?status=replied").text
    assert "Day 10 with @dew.skin" in replied and "New shelfie" not in replied
    with session_scope(engine) as s:
        point = s.scalar(select(Touchpoint).where(Touchpoint.kind == "mention_replied"))
        assert (
            point is not None
            and point.creator_id == posts["ana"]
            and point.summary == ("Mention on Instagram marked replied")
        )
    for bad in ("shouted", ""):
        owner_client.post(f"/mentions/{posts['new']}/status", data={"csrf_token": csrf, "status": bad})
    assert "Choose replied, liked, shared or none." in owner_client.get("/mentions").text
    assert owner_client.post(f"/mentions/{posts['near_miss']}/status",
                             data={"csrf_token": csrf, "status": "liked"}).status_code == 404  # fmt: skip


def test_another_workspace_cannot_see_or_set_a_mention(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    posts = _world(engine)
    other = other_client(engine, settings)
    _brand(engine, "Other")
    page = other.get("/mentions")
    assert page.status_code == 200 and "Day 10" not in page.text
    response = other.post(f"/mentions/{posts['old']}/status", data={"csrf_token": csrf_from(page.text),
                                                                    "status": "liked"})  # fmt: skip
    assert response.status_code == 404
    with session_scope(engine) as s:
        assert s.scalar(select(Mention.id)) is None


def test_without_brand_handles_the_inbox_says_what_to_do(owner_client: TestClient, engine: Engine) -> None:
    page = owner_client.get("/mentions")
    assert page.status_code == 200 and "No brand handles yet." in page.text and "/settings/brand" in page.text


def test_the_reminder_job_flags_old_unanswered_mentions(owner_client: TestClient, engine: Engine) -> None:
    posts = _world(engine)
    wid = workspace_id(engine)
    liked_old = add_post(engine, posts["ben"], "Week two @dew.skin", NOW - timedelta(days=4))
    with session_scope(engine) as s:
        service.set_status(s, wid, liked_old, "liked", "tester")
        service.schedule_reminders(s, wid, NOW)
    load_handlers()
    runner = Runner(engine, Settings(secret_key="x"))
    assert runner.run_due(NOW) == 1
    with session_scope(engine) as s:
        flagged = {m.post_id: m for m in s.scalars(select(Mention))}
        jobs = list(s.scalars(select(Job).where(Job.kind == service.REMIND_JOB).order_by(Job.run_at)))
    assert flagged[posts["old"]].flagged_at is not None  # 6 days, unanswered: flagged
    assert posts["new"] not in flagged  # 5 hours old: not yet
    assert flagged[liked_old].flagged_at is None  # answered (liked)
    assert [j.status for j in jobs] == [JobStatus.done, JobStatus.queued]  # tomorrow's run is queued
    assert jobs[1].run_at == NOW + timedelta(days=1)
    page = owner_client.get("/mentions").text
    assert "1 mention unanswered for more than 3 days." in page
    overdue = owner_client.get("/mentions?status=overdue").text
    assert "Day 10 with @dew.skin" in overdue and "New shelfie" not in overdue
    with session_scope(engine) as s:
        service.set_status(s, wid, posts["old"], MentionStatus.shared.value, "tester")
    assert "unanswered for more than" not in owner_client.get("/mentions").text
    with session_scope(engine) as s:  # a second run the same day flags nothing again
        assert service.flag_unanswered(s, wid, 3, NOW) == 0
