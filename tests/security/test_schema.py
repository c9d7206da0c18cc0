"""The API against its own OpenAPI schema (schemathesis, fixed seed): no 500s and no undocumented answers.

Every operation of /api/v1 is called with generated input, as an owner with a bearer token, on a world
with a creator, an account and a post, and each answer must be a status code and content type the
schema documents, with a body that matches it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.creators.service import add_post, create_creator
from grassroots.db.session import session_scope
from grassroots.discovery.service import ensure_index
from grassroots.web.app import create_app
from grassroots.workspaces import service as workspaces
from tests.support import make_user, workspace_id

TOKEN: dict[str, str] = {}
# No 500s, and only documented status codes, content types, headers and bodies. (Not "every schema-valid
# request succeeds": a syntactically valid cursor we never issued is rightly a 422.)
CHECKS = [
    checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
    checks.response_headers_conformance, checks.response_schema_conformance,
]  # fmt: skip


@pytest.fixture
def api_app(_sqlite_engine: Engine, tmp_path: Path) -> Iterator[FastAPI]:
    """The app on a SQLite world with one creator, and an owner's bearer token in TOKEN."""
    from tests.conftest import _wipe

    _wipe(_sqlite_engine)
    user = make_user(_sqlite_engine)
    with session_scope(_sqlite_engine) as session:
        ws = workspace_id(_sqlite_engine)
        creator = create_creator(session, ws, CreatorIn(display_name="Ana", accounts=[
            AccountIn(platform="instagram", handle="ana", followers=1500)]))  # fmt: skip
        add_post(
            session, ws, creator.accounts[0].id, PostIn(kind="image", caption="hello", posted_at="2026-12-01T10:00:00Z")
        )
        TOKEN["value"] = workspaces.create_token(session, session.merge(user), "schemathesis")[1]
    with session_scope(_sqlite_engine) as session:
        # What `grassroots serve` warms up at start and `grassroots demo` indexes: the model and the search index,
        # so no generated request waits for a model to load (each has a 10 s read timeout).
        ensure_index(session, workspace_id(_sqlite_engine))
    app = create_app(_sqlite_engine, Settings(data_dir=tmp_path, secret_key="test-secret"))
    with TestClient(app):  # runs the lifespan (the webhook inbox)
        yield app


def test_api_answers_only_what_its_schema_documents(api_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    headers = {"Authorization": f"Bearer {TOKEN['value']}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def answers_as_documented(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        answers_as_documented()
