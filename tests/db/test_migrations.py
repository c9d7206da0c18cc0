"""Schema comes only from Alembic, and the migrations agree with the ORM."""

from sqlalchemy import Engine, inspect

from grassroots.db.migrate import current_revision, schema_differences


def test_upgraded_database_matches_the_models(engine: Engine) -> None:
    assert current_revision(engine) is not None
    assert schema_differences(engine) == []


def test_every_brand_table_carries_workspace_id(engine: Engine) -> None:
    global_tables = {"workspace", "alembic_version"}
    for table in inspect(engine).get_table_names():
        if table in global_tables:
            continue
        columns = {c["name"] for c in inspect(engine).get_columns(table)}
        assert "workspace_id" in columns, table
