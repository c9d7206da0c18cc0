"""CSV import: all rows or none, with every bad line reported."""

import io

import pytest
from sqlalchemy import Engine, func, select

from grassroots.creators.importer import import_creators
from grassroots.creators.models import Creator, SocialAccount
from grassroots.db.session import session_scope
from grassroots.errors import ImportRejected
from tests.support import workspace_id

GOOD = """platform,handle,followers,display_name,location,bio,creator,verified,shoe_size
instagram,@Glow.With.Ana,1840,Ana,"Lyon, FR",skincare for sensitive skin,Ana,false,38
tiktok,glowwithana,5200,Ana,"Lyon, FR",,Ana,no,38
youtube,vegan_mo,"12,500",Mo,"Leeds, UK",plant-based dinners,,yes,44
"""

BAD = """platform,handle,followers,following
instagram,ok_one,1000,200
myspace,tom,5000,1
instagram,has space,10,1
tiktok,negative,-5,1
instagram,ok_one,1200,1
youtube,no_followers,,3
"""


def _counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(Creator)) or 0,
            s.scalar(select(func.count()).select_from(SocialAccount)) or 0,
        )


def test_good_file_creates_creators_grouped_by_creator_column(engine: Engine) -> None:
    ws = workspace_id(engine)
    with session_scope(engine) as session:
        result = import_creators(session, ws, io.StringIO(GOOD))
    assert (result.created_creators, result.created_accounts, result.updated_accounts) == (2, 3, 0)
    assert result.unmapped_columns == ["shoe_size"]
    with session_scope(engine) as session:
        ana = session.scalar(select(Creator).where(Creator.display_name == "Ana"))
        assert ana is not None
        assert ana.platforms == "instagram,tiktok"
        assert ana.primary_handle == "glowwithana" and ana.followers == 5200
        mo = session.scalar(select(Creator).where(Creator.display_name == "Mo"))
        assert mo is not None and mo.followers == 12_500 and mo.accounts[0].verified is True


def test_reimport_updates_instead_of_duplicating(engine: Engine) -> None:
    ws = workspace_id(engine)
    with session_scope(engine) as session:
        import_creators(session, ws, io.StringIO(GOOD))
    changed = GOOD.replace("1840", "1990")
    with session_scope(engine) as session:
        result = import_creators(session, ws, io.StringIO(changed))
    assert (result.created_accounts, result.updated_accounts) == (0, 3)
    assert _counts(engine) == (2, 3)


def test_bad_file_is_rejected_whole_with_each_line(engine: Engine) -> None:
    ws = workspace_id(engine)
    with pytest.raises(ImportRejected) as caught, session_scope(engine) as session:
        import_creators(session, ws, io.StringIO(BAD))
    lines = {row.line: row.reason for row in caught.value.rows}
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "platform" in lines[3]
    assert "handle" in lines[4]
    assert "followers" in lines[5]
    assert "duplicate of line 2" in lines[6]
    assert "followers" in lines[7]
    assert _counts(engine) == (0, 0)


def test_missing_required_column_is_reported_on_the_header(engine: Engine) -> None:
    with pytest.raises(ImportRejected) as caught, session_scope(engine) as session:
        import_creators(session, workspace_id(engine), io.StringIO("platform,handle\ninstagram,a\n"))
    assert caught.value.rows[0].line == 1 and "followers" in caught.value.rows[0].reason
