"""Post exports: the fast mappers give exactly what the row mappers give, item by item and in the store."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import Engine, select

from grassroots.connectors.exports.importer import import_stream
from grassroots.connectors.exports.read import iter_json, unflatten
from grassroots.creators.models import Creator, Post, SocialAccount
from grassroots.db.session import session_scope
from tests.connectors.exports.support import snapshot as _snapshot
from tests.support import FIXTURES, workspace_id

FIXTURES = FIXTURES / "exports"


_TT = {"id": "7350000000000000101", "text": "Hi #a", "createTimeISO": "2024-05-01T08:00:00.000Z", "isAd": False,
       "authorMeta": {"id": "68001", "name": "glowwithana", "nickName": "Ana", "fans": 5200, "verified": False,
                      "video": 12, "profileUrl": "https://www.tiktok.com/@glowwithana"},
       "diggCount": 820, "commentCount": 33, "playCount": 15400, "shareCount": 12, "collectCount": 40,
       "webVideoUrl": "https://www.tiktok.com/@glowwithana/video/1", "hashtags": [{"name": "ad"}, {"name": "#GRWM"}],
       "mentions": ["@calmskin"]}  # fmt: skip
_IG = {"id": "3300000000000000101", "type": "Video", "productType": "clips", "ownerUsername": "glow.with.ana",
       "ownerFullName": "Ana", "ownerId": "1784", "caption": "Hi", "hashtags": ["ad"], "likesCount": 125,
       "commentsCount": 14, "videoPlayCount": 0, "videoViewCount": 5000, "isSponsored": True,
       "timestamp": "2024-05-02T08:15:00+02:00", "url": "https://www.instagram.com/p/C1a/"}  # fmt: skip
_ODD: list[object] = [None, "", 0, -1, "-1", -5, 1.5, True, False, "12K", " 7 ", "٣", 10**10, 1714550400,
                      "1714550400", 1714550400000, "2024-13-01T00:00:00Z", "2024-05-01T08:00:00", "yes", "maybe",
                      "@Ana", "ANA", "https://www.tiktok.com/@ana", "a b", [], ["x"], [{"name": 3}], {}]  # fmt: skip


def _variants(base: dict[str, object], nested: str) -> list[object]:
    """The item, and the item with each of its fields (and its author's) replaced by each odd value."""
    items: list[object] = [base, [base], "text", {**base, "error": "private"}]
    for key in [*base, "createTime", "isSponsored", "followersCount", "shortCode"]:
        items += [{**base, key: odd} for odd in _ODD]
        items.append({k: v for k, v in base.items() if k != key})
    author = base.get(nested)
    if isinstance(author, dict):
        items += [{**base, nested: {**author, key: odd}} for key in [*author, "uniqueId"] for odd in _ODD]
    return items


def _outcome(mapper: object, line: int, item: object) -> object:
    try:
        return mapper(line, item)  # type: ignore[operator]
    except Exception as exc:  # the row mapper's BadRow, or whatever else it raises: the same either way
        return (type(exc), str(exc))


def test_fast_post_mappers_give_what_the_row_mappers_give() -> None:
    from grassroots.connectors.exports import fast as exports_fast
    from grassroots.connectors.exports.mapping import map_instagram, map_tiktok

    csv_items = [
        unflatten(dict(zip(lines[0].split(","), line.split(","), strict=False)))
        for name in ("apify_tiktok.csv", "apify_instagram_posts.csv")
        for lines in [(FIXTURES / name).read_text().splitlines()]
        for line in lines[1:]
    ]
    fixture = [i.data for name in ("apify_tiktok.json", "apify_instagram_profiles.json")
               for i in iter_json((FIXTURES / name).open())]  # fmt: skip
    cases = [
        (exports_fast.fast_tiktok, map_tiktok, [*_variants(_TT, "authorMeta"), *fixture, *csv_items]),
        (exports_fast.fast_instagram, map_instagram, [*_variants(_IG, ""), *fixture, *csv_items]),
    ]
    for fast, slow, items in cases:
        assert len(items) > 500
        for line, item in enumerate(items, 1):
            assert _outcome(fast, line, item) == _outcome(slow, line, item), item
    exports_fast._tiktok(1, _TT)  # the common shapes take the fast path (raises _Odd otherwise)
    exports_fast._instagram(1, _IG)


def _stored(engine: Engine) -> list[tuple[object, ...]]:
    with session_scope(engine) as session:
        handles = {i: h for i, h in session.execute(select(SocialAccount.id, SocialAccount.handle))}
        posts = session.scalars(select(Post).order_by(Post.external_id, Post.account_id)).all()
        return _snapshot(engine) + [
            (handles[p.account_id], p.external_id, p.kind, p.caption, p.hashtags, p.mentions, p.sponsored, p.likes,
             p.comments, p.views, p.saves, p.shares, p.posted_at, p.url) for p in posts
        ]  # fmt: skip


@pytest.mark.parametrize("kind", ["tiktok", "instagram"])
def test_post_export_stores_the_same_rows_through_the_fast_and_the_row_mappers(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from grassroots.connectors.exports import fast as exports_fast
    from grassroots.connectors.exports import importer as exports

    base, nested = (_TT, "authorMeta") if kind == "tiktok" else (_IG, "")
    # One post per item (odd ids kept as they are), so no variant merges into another.
    items = [{**item, "id": str(n)} if isinstance(item, dict) and item.get("id") == base["id"] else item
             for n, item in enumerate(_variants(base, nested))]  # fmt: skip
    text = "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n"
    ws = workspace_id(engine)

    def run() -> tuple[object, ...]:
        with session_scope(engine) as session:
            first = import_stream(session, ws, io.StringIO(text))
        stored = _stored(engine)
        with session_scope(engine) as session:  # a re-import updates in place: nothing new, nothing changed
            again = import_stream(session, ws, io.StringIO(text))
        assert again.counts.posts_new == again.counts.accounts_new == 0 and _stored(engine) == stored
        with session_scope(engine) as session:
            session.execute(Creator.__table__.delete())
        reported = [(r.line, r.reason) for r in (*first.bad_rows, *first.warnings)]
        return first.rows, first.counts, again.counts, reported, stored

    fast = run()
    assert len(fast[4]) > 100 and fast[3]  # type: ignore[arg-type]
    monkeypatch.setattr(exports, "fast_tiktok", exports_fast.map_tiktok)
    monkeypatch.setattr(exports, "fast_instagram", exports_fast.map_instagram)
    assert run() == fast
