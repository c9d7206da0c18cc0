"""Scraper exports and creator lists: format detection, mapping, bad rows with lines, idempotent re-import.

The fixtures under tests/fixtures/exports are recorded-shape: field names and nesting as the Apify Instagram and
TikTok scrapers and Modash/HypeAuditor-like tools export them, with invented values.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from grassroots.connectors.exports.importer import ExportFormat, import_file, import_stream
from grassroots.connectors.exports.read import iter_json, unflatten
from grassroots.creators.models import Creator, Platform, Post, PostKind, SocialAccount
from grassroots.db.session import session_scope
from grassroots.errors import ImportRejected
from tests.connectors.exports.support import snapshot as _snapshot
from tests.support import FIXTURES, workspace_id

FIXTURES = FIXTURES / "exports"


def _import(engine: Engine, name: str, **kw: object) -> object:
    ws = workspace_id(engine)
    with session_scope(engine) as session:
        return import_file(session, ws, FIXTURES / name, **kw)  # type: ignore[arg-type]


def _accounts(engine: Engine) -> dict[tuple[str, str], SocialAccount]:
    with session_scope(engine) as session:
        rows = session.scalars(select(SocialAccount)).all()
        return {(a.platform.value, a.handle): a for a in rows}


def _count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_instagram_profiles_json_maps_accounts_posts_and_reports_bad_rows(engine: Engine) -> None:
    result = _import(engine, "apify_instagram_profiles.json")
    assert result.format is ExportFormat.apify_instagram  # type: ignore[attr-defined]
    assert result.rows == 4  # type: ignore[attr-defined]
    bad = {row.line: row.reason for row in result.bad_rows}  # type: ignore[attr-defined]
    assert len(bad) == 2
    assert any("Profile does not exist or is private" in reason for reason in bad.values())
    assert any("'lots' is not a number" in reason for reason in bad.values())
    # The error item starts on its own line of the array: line numbers point into the file.
    text = (FIXTURES / "apify_instagram_profiles.json").read_text().splitlines()
    assert all(text[line - 1].strip() == "{" for line in bad)
    assert any("post 3 skipped: post has no id" in w.reason for w in result.warnings)  # type: ignore[attr-defined]
    accounts = _accounts(engine)
    ana = accounts[("instagram", "glow.with.ana")]
    assert (ana.followers, ana.following, ana.posts_count, ana.is_business) == (1840, 312, 210, True)
    assert accounts[("instagram", "vegan_mo")].followers == 12_500
    assert accounts[("instagram", "vegan_mo")].verified is True
    with session_scope(engine) as session:
        posts = {p.external_id: p for p in session.scalars(select(Post))}
        assert set(posts) == {"3300000000000000001", "3300000000000000002", "3300000000000000010"}
        reel = posts["3300000000000000002"]
        assert (reel.kind, reel.views, reel.likes) == (PostKind.reel, 4100, 0)  # likes hidden: -1 in the export
        assert posts["3300000000000000001"].sponsored is True
        assert posts["3300000000000000010"].kind is PostKind.carousel
        creator = session.scalar(select(Creator).where(Creator.primary_handle == "glow.with.ana"))
        assert creator is not None and creator.engagement_rate > 0  # refreshed from the imported posts


def test_reimport_is_idempotent_and_updates_counts(engine: Engine) -> None:
    _import(engine, "apify_instagram_profiles.json")
    before = (_count(engine, Creator), _count(engine, SocialAccount), _count(engine, Post))
    again = _import(engine, "apify_instagram_profiles.json")
    assert (_count(engine, Creator), _count(engine, SocialAccount), _count(engine, Post)) == before
    assert again.counts.accounts_new == 0 and again.counts.posts_new == 0  # type: ignore[attr-defined]
    assert again.counts.accounts_updated == 2 and again.counts.posts_updated == 3  # type: ignore[attr-defined]
    # The post scraper CSV for the same account: one known post updated, one new, the ownerless row rejected.
    posts_csv = _import(engine, "apify_instagram_posts.csv")
    assert posts_csv.format is ExportFormat.apify_instagram  # type: ignore[attr-defined]
    assert posts_csv.counts.posts_new == 1 and posts_csv.counts.posts_updated == 1  # type: ignore[attr-defined]
    assert [r.line for r in posts_csv.bad_rows] == [4]  # type: ignore[attr-defined]
    assert _accounts(engine)[("instagram", "glow.with.ana")].followers == 1840  # unknown in a post export: kept
    with session_scope(engine) as session:
        post = session.scalar(select(Post).where(Post.external_id == "3300000000000000001"))
        assert post is not None and post.likes == 125 and post.hashtags == ["ad", "skincare"]


@pytest.mark.parametrize("name", ["apify_tiktok.json", "apify_tiktok.csv"])
def test_tiktok_exports_json_and_csv(engine: Engine, name: str) -> None:
    result = _import(engine, name)
    assert result.format is ExportFormat.apify_tiktok  # type: ignore[attr-defined]
    accounts = _accounts(engine)
    ana = accounts[("tiktok", "glowwithana")]
    assert ana.followers == 5230  # the later row of the same author wins
    assert ana.display_name == "Ana" and ana.external_id == "6800000000000000001"
    assert result.counts.creators_new == 2  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        first = session.scalar(select(Post).where(Post.external_id == "7350000000000000001"))
        assert first is not None
        assert (first.likes, first.comments, first.views, first.shares, first.saves) == (820, 33, 15400, 12, 40)
        assert first.hashtags == ["ad", "grwm"] and first.kind is PostKind.video
    bad = [r.line for r in result.bad_rows]  # type: ignore[attr-defined]
    if name.endswith(".csv"):
        # The author is fine, the video is not: the account is kept and the video reported against its line.
        assert bad == []
        warnings = result.warnings  # type: ignore[attr-defined]
        assert [w.line for w in warnings] == [4] and "not a date" in warnings[0].reason
    else:
        assert len(bad) == 1 and "authorMeta" in result.bad_rows[0].reason  # type: ignore[attr-defined]


def test_creator_list_maps_synonyms_and_reports_unmapped_columns(engine: Engine) -> None:
    result = _import(engine, "creator_list_modash.csv")
    assert result.format is ExportFormat.creator_list  # type: ignore[attr-defined]
    assert result.unmapped_columns == ["Avg. likes", "Avg. comments"]  # type: ignore[attr-defined]
    bad = {r.line: r.reason for r in result.bad_rows}  # type: ignore[attr-defined]
    assert set(bad) == {5, 6, 7}
    assert "handle" in bad[5] and "out of range" in bad[6] and "unknown platform" in bad[7]
    accounts = _accounts(engine)
    assert accounts[("instagram", "vegan_mo")].followers == 12_500
    assert accounts[("instagram", "glow.with.ana")].engagement_rate == pytest.approx(0.042)
    assert accounts[("tiktok", "glowwithana")].followers == 5200
    with session_scope(engine) as session:
        creator = session.scalar(select(Creator).where(Creator.primary_handle == "vegan_mo"))
        assert creator is not None
        assert (creator.email, creator.location, creator.engagement_rate) == (None, "United Kingdom", 0.021)
        assert "mo" in creator.search_text


def test_creator_list_other_headers_and_fraction_rates(engine: Engine) -> None:
    result = _import(engine, "creator_list_hypeauditor.csv")
    assert result.unmapped_columns == ["Quality score", "Category"]  # type: ignore[attr-defined]
    accounts = _accounts(engine)
    assert accounts[("instagram", "calm.skin.lab")].engagement_rate == pytest.approx(0.031)
    assert accounts[("instagram", "tofu.tales")].engagement_rate == pytest.approx(0.045)
    assert accounts[("instagram", "tofu.tales")].url == "https://www.instagram.com/tofu.tales/"


def test_creator_list_reimport_updates_in_place_and_groups_named_creators(engine: Engine) -> None:
    ws = workspace_id(engine)
    text = "handle,platform,followers,creator\nana_ig,instagram,100,Ana\nana_tt,tiktok,900,Ana\n"
    with session_scope(engine) as session:
        first = import_stream(session, ws, io.StringIO(text))
    assert (first.counts.creators_new, first.counts.accounts_new) == (1, 2)
    with session_scope(engine) as session:
        again = import_stream(session, ws, io.StringIO(text.replace("900", "950")))
    assert (again.counts.creators_new, again.counts.accounts_new, again.counts.accounts_updated) == (0, 0, 2)
    with session_scope(engine) as session:
        creator = session.scalars(select(Creator)).one()
        assert (creator.primary_handle, creator.followers, creator.platforms) == ("ana_tt", 950, "instagram,tiktok")


def test_strict_mode_rolls_back_the_whole_file(engine: Engine) -> None:
    with pytest.raises(ImportRejected) as caught:
        _import(engine, "creator_list_modash.csv", strict=True)
    assert [r.line for r in caught.value.rows] == [5, 6, 7]
    assert _count(engine, SocialAccount) == 0 and _count(engine, Creator) == 0


def test_missing_platform_is_a_bad_row_unless_given(engine: Engine) -> None:
    ws = workspace_id(engine)
    text = "Username,Followers\nsomeone,10\n"
    with session_scope(engine) as session:
        result = import_stream(session, ws, io.StringIO(text))
    assert result.bad_rows[0].line == 2 and "no platform" in result.bad_rows[0].reason
    with session_scope(engine) as session:
        result = import_stream(session, ws, io.StringIO(text), platform=Platform.tiktok)
    assert result.counts.accounts_new == 1 and not result.bad_rows


def test_json_stream_reads_items_across_buffer_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    from grassroots.connectors.exports import read as exports_read

    monkeypatch.setattr(exports_read, "CHUNK", 7)
    items = [{"n": i, "text": "x" * (i % 13)} for i in range(50)]
    listed = list(iter_json(io.StringIO(json.dumps(items, indent=1))))
    assert [i.data for i in listed] == items
    lines = list(iter_json(io.StringIO("\n".join(json.dumps(i) for i in items) + "\n")))
    assert [i.line for i in lines] == list(range(1, 51))
    broken = list(iter_json(io.StringIO('[{"a": 1},\n{"a": 2\n')))
    assert broken[0].data == {"a": 1} and broken[-1].error is not None and broken[-1].line == 2


def test_unflatten_rebuilds_apify_csv_nesting() -> None:
    row = {"authorMeta/name": "ana", "hashtags/1/name": "b", "hashtags/0/name": "a", "text": "hi", "empty": ""}
    assert unflatten(row) == {"authorMeta": {"name": "ana"}, "hashtags": [{"name": "a"}, {"name": "b"}], "text": "hi"}


def test_cli_import_prints_bad_lines_and_unmapped_columns(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from grassroots.cli import app
    from grassroots.connectors.exports import cli as import_cli

    monkeypatch.setattr(import_cli, "session_scope", lambda: session_scope(engine))
    result = CliRunner().invoke(app, ["import", str(FIXTURES / "creator_list_modash.csv"), "--workspace", "Brand"])
    assert result.exit_code == 0, result.output
    assert "line 7: platform" in result.output or "line 7: unknown platform" in result.output
    assert "Avg. likes" in result.output
    rejected = CliRunner().invoke(
        app, ["import", str(FIXTURES / "creator_list_modash.csv"), "--workspace", "Brand", "--strict"]
    )
    assert rejected.exit_code == 1 and "line 5" in rejected.output and "Traceback" not in rejected.output


MIXED = """Username,Name,Platform,Followers,ER,Country,Email,Verified,Profile URL,Bio
ana.skin,Ana,Instagram,"12,500",4.2%,France,ana@example.com,yes,,Skincare
@Bo_Cooks,,TikTok,1.2M,0.9,,,,,
https://www.instagram.com/cleo.fit/,Cleo,,900,0.031,UK,,no,,
dario,Dario,YT,12.5K,,,,,,"Cars, mostly"
emi,Emi,,300,,,,,https://www.tiktok.com/@emi,
fay,Fay,Instagram,12.34,,,,,,
gus,Gus,Instagram,nan,,,,,,
hana,Hana,Instagram,4000,3%,Österreich,,,,Wien
ana.skin,Ana again,Instagram,13000,,,,,,
"""


def test_fast_path_stores_exactly_what_the_row_path_stores(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from grassroots.connectors.exports import frame as exports_frame
    from grassroots.connectors.exports import importer as exports

    ws = workspace_id(engine)
    with session_scope(engine) as session:
        fast = import_stream(session, ws, io.StringIO(MIXED), platform=Platform.instagram)
    fast_rows = _snapshot(engine)
    with session_scope(engine) as session:
        session.execute(Creator.__table__.delete())

    def everything_slow(records: list[list[str]], *args: object) -> exports_frame.SplitBatch:
        split = exports_frame.split_batch(records, *args)  # type: ignore[arg-type]
        return exports_frame.SplitBatch(split.fast.clear(), list(range(len(records))))

    monkeypatch.setattr(exports, "split_batch", everything_slow)
    with session_scope(engine) as session:
        slow = import_stream(session, ws, io.StringIO(MIXED), platform=Platform.instagram)
    assert _snapshot(engine) == fast_rows
    assert [(r.line, r.reason) for r in fast.bad_rows] == [(r.line, r.reason) for r in slow.bad_rows]
    assert [r.line for r in fast.bad_rows] == [8]  # "nan" is not a number (12.34 rounds, as the row path does)
    assert fast.rows == slow.rows == 9
    assert len(fast_rows) == 7 and fast_rows[0][1] == "ana.skin" and fast_rows[0][3] == 13000


def test_hidden_counts_keep_what_is_stored(engine: Engine) -> None:
    _import(engine, "apify_tiktok.json")
    ws = workspace_id(engine)
    hidden = (
        "authorMeta/name,authorMeta/fans,id,createTimeISO,diggCount,commentCount,playCount\n"
        "glowwithana,,7350000000000000001,2024-05-01T08:00:00.000Z,-1,40,16000\n"
    )
    with session_scope(engine) as session:
        result = import_stream(session, ws, io.StringIO(hidden))
    assert result.counts.posts_updated == 1 and not result.bad_rows
    with session_scope(engine) as session:
        post = session.scalar(select(Post).where(Post.external_id == "7350000000000000001"))
        assert post is not None and (post.likes, post.comments, post.views) == (820, 40, 16000)
        account = session.scalar(select(SocialAccount).where(SocialAccount.handle == "glowwithana"))
        assert account is not None and account.followers == 5230  # no follower count in the file: kept


@pytest.mark.parametrize("name", ["apify_tiktok.json", "apify_instagram_profiles.json"])
def test_bulk_summaries_equal_the_services_refresh(engine: Engine, name: str) -> None:
    from grassroots.creators.service import refresh_summaries

    _import(engine, name)

    def summaries() -> list[tuple[object, ...]]:
        with session_scope(engine) as session:
            creators = session.scalars(select(Creator).order_by(Creator.id)).all()
            accounts = session.scalars(select(SocialAccount).order_by(SocialAccount.id)).all()
            return [
                (c.primary_handle, c.followers, c.engagement_rate, c.platforms, c.search_text) for c in creators
            ] + [(a.handle, a.engagement_rate) for a in accounts]

    computed = summaries()
    assert any(row[2] for row in computed)  # some engagement was computed from the posts
    with session_scope(engine) as session:
        refresh_summaries(session, list(session.scalars(select(Creator.id))))
    assert summaries() == computed


def test_ragged_and_short_csv_rows_are_reported_not_crashed(engine: Engine) -> None:
    ws = workspace_id(engine)
    text = "Username,Followers,Platform\nana,10,ig,extra\nbo,5\ncleo,7,tt\n"
    with session_scope(engine) as session:
        result = import_stream(session, ws, io.StringIO(text))
    assert [(r.line, r.reason.split(":")[0]) for r in result.bad_rows] == [
        (2, "more values than columns (check quoting)"),
        (3, "no platform"),
    ]
    assert set(_accounts(engine)) == {("tiktok", "cleo")}


def _index_names(engine: Engine) -> set[str]:
    from sqlalchemy import inspect

    return {str(index["name"]) for index in inspect(engine).get_indexes("creator")}


def test_large_import_rebuilds_indexes_stores_the_same_rows_and_reimports_idempotently(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.connectors.exports import load as exports_load

    indexes = _index_names(engine)
    ws = workspace_id(engine)
    with session_scope(engine) as session:
        maintained = import_stream(session, ws, io.StringIO(MIXED), platform=Platform.instagram)
    expected = _snapshot(engine)
    with session_scope(engine) as session:
        session.execute(Creator.__table__.delete())
    monkeypatch.setattr(exports_load, "REBUILD_MIN_ROWS", 0)  # every import counts as large: drop and rebuild
    with session_scope(engine) as session:
        rebuilt = import_stream(session, ws, io.StringIO(MIXED), platform=Platform.instagram)
    assert _snapshot(engine) == expected and _index_names(engine) == indexes
    assert [(r.line, r.reason) for r in rebuilt.bad_rows] == [(r.line, r.reason) for r in maintained.bad_rows]
    assert rebuilt.counts == maintained.counts
    with session_scope(engine) as session:
        again = import_stream(session, ws, io.StringIO(MIXED), platform=Platform.instagram)
    assert (again.counts.creators_new, again.counts.accounts_new, again.counts.accounts_updated) == (0, 0, 7)
    assert _snapshot(engine) == expected and _count(engine, SocialAccount) == 7


def test_failed_large_import_keeps_indexes_and_connection_settings(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.connectors.exports import load as exports_load

    indexes = _index_names(engine)
    monkeypatch.setattr(exports_load, "REBUILD_MIN_ROWS", 0)
    with pytest.raises(ImportRejected):
        _import(engine, "creator_list_modash.csv", strict=True)
    assert _index_names(engine) == indexes and _count(engine, Creator) == 0
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # the pool's one connection: the import's cache size was put back
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65536


def test_fast_path_skips_accounts_stored_by_an_earlier_batch(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from grassroots.connectors.exports import importer as exports

    monkeypatch.setattr(exports, "FRAME_BATCH", 2)  # the repeated handle falls in a later batch than its first row
    ws = workspace_id(engine)
    text = "handle,platform,followers\nana,instagram,1\nbo,instagram,2\ncleo,tiktok,3\nana,instagram,4\n"
    with session_scope(engine) as session:
        result = import_stream(session, ws, io.StringIO(text))
    assert (result.counts.accounts_new, result.counts.accounts_updated, result.rows) == (3, 1, 4)
    assert _accounts(engine)[("instagram", "ana")].followers == 4 and _count(engine, Creator) == 3
