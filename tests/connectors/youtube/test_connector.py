"""The YouTube connector against a fake Data API v3 answering with recorded-shape responses (not live)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from grassroots.connectors import repository, service
from grassroots.connectors.base import SyncSummary, no_progress
from grassroots.connectors.models import Connection, RunStatus
from grassroots.connectors.youtube.connector import YouTubeConnector
from grassroots.connectors.youtube.data_api import channel_record, video_record
from grassroots.creators.models import Comment, FollowerSnapshot, Post, PostKind, SocialAccount
from grassroots.db.session import session_scope
from tests.connectors.youtube.fake_api import API_KEY, CHANNEL_A, FakeYouTube, fixture
from tests.support import workspace_id

DAY1 = datetime(2024, 5, 10, 9, 0, tzinfo=UTC)
DAY2 = datetime(2024, 5, 11, 9, 0, tzinfo=UTC)
DAY3 = datetime(2024, 5, 12, 9, 0, tzinfo=UTC)
FULL_SYNC_UNITS = 13  # 3 channels + 4 playlist pages + 3 videos batches + 3 comment pages


def connect(engine: Engine, **config: str) -> int:
    settings = {"channels": f"{CHANNEL_A}, @quietmaker, @nobody", **config}
    with session_scope(engine) as session:
        return service.connect(session, workspace_id(engine), "youtube", {"api_key": API_KEY}, settings).id


def run(engine: Engine, connection_id: int, fake: FakeYouTube, day: datetime = DAY1) -> SyncSummary:
    """One sync of the connector on a given day, with retries not sleeping."""
    with session_scope(engine) as session:
        connector = YouTubeConnector(session.get_one(Connection, connection_id), {"api_key": API_KEY},
                                     transport=fake.transport)  # fmt: skip
        connector.now = lambda: day
        connector.sleep = lambda seconds: None
        return connector.sync(session, no_progress)


def count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def quota_used(engine: Engine, connection_id: int, day: datetime) -> int:
    with session_scope(engine) as session:
        conn = session.get_one(Connection, connection_id)
        return int(repository.get_cursor(session, conn, f"quota:{day:%Y-%m-%d}") or 0)


def test_full_sync_pages_to_the_end_and_maps_everything(engine: Engine) -> None:
    fake = FakeYouTube()
    conn = connect(engine)
    summary = run(engine, conn, fake)
    assert not summary.stopped_at_quota
    assert fake.calls == {"channels": 3, "playlistItems": 4, "videos": 3, "commentThreads": 3}
    assert quota_used(engine, conn, DAY1) == FULL_SYNC_UNITS == fake.units
    assert all(r.url.params["maxResults"] in {"50", "100"} for r in fake.requests if "maxResults" in r.url.params)
    skipped = {s.item: s.reason for s in summary.skipped}
    assert skipped["@nobody"] == "no such channel"
    assert skipped["comments of video vid00000003"] == "comments are disabled on this video"
    assert "missing publishedAt" in skipped["video vid00000002"]
    notes = {n.item: n.reason for n in summary.notes}
    assert "subscriber count hidden" in notes["@quietmaker"]
    assert "like counts hidden on 1 video(s)" in notes["@vegan_mo"]
    with session_scope(engine) as session:
        accounts = {a.handle: a for a in session.scalars(select(SocialAccount))}
        mo = accounts["vegan_mo"]
        assert (mo.followers, mo.posts_count, mo.external_id, mo.location) == (12500, 5, CHANNEL_A, "GB")
        assert accounts["quietmaker"].followers == 0  # hidden and new: unknown, stored as 0, no snapshot
        assert session.scalars(select(FollowerSnapshot.account_id)).all() == [mo.id]
        posts = {p.external_id: p for p in session.scalars(select(Post))}
        assert set(posts) == {"vid00000005", "vid00000004", "vid00000003", "vid00000001"}
        assert (posts["vid00000005"].views, posts["vid00000005"].likes, posts["vid00000005"].comments) == (5400, 320, 3)
        assert posts["vid00000004"].likes == 0  # hidden likes on a new video
        assert posts["vid00000001"].kind is PostKind.short and posts["vid00000005"].kind is PostKind.video
        assert posts["vid00000005"].hashtags == ["vegan", "dinnerideas"]
        authors = sorted(session.scalars(select(Comment.author_handle)))
        assert authors == ["leo.cooks", "mira_eats", "pantrypia"]


def test_resync_is_idempotent_incremental_and_keeps_hidden_followers(engine: Engine) -> None:
    conn = connect(engine)
    run(engine, conn, FakeYouTube())
    with session_scope(engine) as session:
        quiet = session.scalar(select(SocialAccount).where(SocialAccount.handle == "quietmaker"))
        assert quiet is not None
        quiet.followers = 480  # known from an earlier import: a hidden count must not erase it
    before = (
        count(engine, SocialAccount),
        count(engine, Post),
        count(engine, Comment),
        count(engine, FollowerSnapshot),
    )
    fake = FakeYouTube()
    summary = run(engine, conn, fake)
    after = (count(engine, SocialAccount), count(engine, Post), count(engine, Comment), count(engine, FollowerSnapshot))
    assert after == before and (summary.new, summary.updated) == (0, 0)
    # Incremental: the newest stored video is on the first page, so one page per channel and no comment calls.
    assert fake.calls == {"channels": 3, "playlistItems": 2, "videos": 1}
    assert quota_used(engine, conn, DAY1) == FULL_SYNC_UNITS + 6
    with session_scope(engine) as session:
        quiet = session.scalar(select(SocialAccount).where(SocialAccount.handle == "quietmaker"))
        assert quiet is not None and quiet.followers == 480


def test_budget_stops_before_overrunning_and_resumes_next_day(engine: Engine) -> None:
    conn = connect(engine, daily_quota="6")
    fake = FakeYouTube()
    first = run(engine, conn, fake, DAY1)
    assert first.stopped_at_quota and fake.units == 6 and quota_used(engine, conn, DAY1) == 6
    assert "daily YouTube budget of 6 units" in first.notes[-1].reason
    # The page in flight was dropped: page one's videos are stored, the cursor points at page two.
    assert count(engine, Post) == 2
    with session_scope(engine) as session:
        state = json.loads(
            repository.get_cursor(session, session.get_one(Connection, conn), "uploads:UUa1b2c3d4e5f6g7h8i9j0kL")
            or "{}"
        )
    assert state == {"newest": None, "page": "CAIQAA", "pass_newest": "vid00000005"}
    same_day = FakeYouTube()
    assert run(engine, conn, same_day, DAY1).stopped_at_quota and same_day.units == 0
    for day in (DAY2, DAY3):
        run(engine, conn, FakeYouTube(), day)
    assert quota_used(engine, conn, DAY2) == 6
    assert count(engine, Post) == 4 and count(engine, Comment) == 3
    with session_scope(engine) as session:
        state = json.loads(
            repository.get_cursor(session, session.get_one(Connection, conn), "uploads:UUa1b2c3d4e5f6g7h8i9j0kL")
            or "{}"
        )
        assert state == {"newest": "vid00000005", "page": None, "pass_newest": None}
        assert session.scalar(select(SocialAccount).where(SocialAccount.handle == "quietmaker")) is not None


def test_api_quota_exceeded_stops_cleanly_through_the_service(engine: Engine) -> None:
    conn = connect(engine)
    fake = FakeYouTube()
    fake.fail["videos"] = [(403, "error_quota_exceeded")]
    with session_scope(engine) as session:
        result = service.sync_connection(session, session.get_one(Connection, conn), transport=fake.transport)
    assert result.status is RunStatus.quota and result.summary.stopped_at_quota
    assert count(engine, SocialAccount) == 1 and count(engine, Post) == 0
    today = datetime.now(UTC)
    assert quota_used(engine, conn, today) == 10_000  # the API said so: nothing more today


def test_rate_limit_429_is_retried_then_succeeds(engine: Engine) -> None:
    conn = connect(engine, channels=CHANNEL_A)
    fake = FakeYouTube()
    fake.fail["channels"] = [(429, "error_rate_limited"), (503, "error_rate_limited")]
    summary = run(engine, conn, fake)
    assert fake.calls["channels"] == 3 and count(engine, Post) == 4 and not summary.stopped_at_quota


def test_bad_key_fails_without_leaking_it(engine: Engine) -> None:
    with session_scope(engine) as session:
        conn = service.connect(session, workspace_id(engine), "youtube", {"api_key": "wrong-key-123456"},
                               {"channels": CHANNEL_A}).id  # fmt: skip
    with session_scope(engine) as session:
        result = service.sync_connection(session, session.get_one(Connection, conn), transport=FakeYouTube().transport)
    assert result.status is RunStatus.failed
    assert result.error is not None and "API key not valid" in result.error and "wrong-key-123456" not in result.error


def test_mappers_read_string_counts_and_hidden_fields() -> None:
    record, hidden = channel_record(fixture("channels_hiddensubs")["items"][0])
    assert hidden and record.followers is None and record.posts_count == 0 and record.handle == "quietmaker"
    video = video_record(fixture("videos")["items"][1])
    assert video.likes is None and video.views == 3100 and video.comments == 0
    with pytest.raises(ValueError):
        video_record(fixture("videos")["items"][3])
