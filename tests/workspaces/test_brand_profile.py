"""The brand profile form shows what is stored and saving it unchanged changes nothing (no Python repr)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.db.session import session_scope
from grassroots.workspaces.models import Workspace
from tests.support import csrf_from, workspace_id


def rendered_form(html: str) -> dict[str, str | list[str]]:
    """What a browser would submit: the inputs' values, the textarea's text, the checked boxes."""
    fields: dict[str, str | list[str]] = {
        name: value for name, value in re.findall(r'<input name="(\w+)" value="([^"]*)"', html)
    }
    fields["values"] = re.search(r'<textarea name="values"[^>]*>(.*?)</textarea>', html, re.S).group(1)  # type: ignore[union-attr]
    fields["banned"] = re.findall(r'name="banned" value="([^"]+)" checked', html)
    fields["csrf_token"] = csrf_from(html)
    return fields


def test_values_are_shown_and_survive_an_unchanged_save(owner_client: TestClient, engine: Engine) -> None:
    page = owner_client.get("/settings/brand")
    assert "built-in method" not in page.text and 'class="field-error"' not in page.text
    data = {"csrf_token": csrf_from(page.text), "niche": "clean skincare", "values": "cruelty-free, honest",
            "tone": "calm", "banned": ["alcohol"]}  # fmt: skip
    assert owner_client.post("/settings/brand", data=data).status_code in (200, 303)
    page = owner_client.get("/settings/brand")
    assert "built-in method" not in page.text and ">cruelty-free, honest</textarea>" in page.text
    again = owner_client.post("/settings/brand", data=rendered_form(page.text))
    assert again.status_code in (200, 303) and "built-in method" not in again.text
    with session_scope(engine) as session:
        workspace = session.get_one(Workspace, workspace_id(engine))
        assert (workspace.niche, workspace.values, workspace.tone) == ("clean skincare", "cruelty-free, honest", "calm")
        assert workspace.banned_categories == ["alcohol"]


def test_brand_handles_are_saved_clean_and_a_bad_one_is_named(owner_client: TestClient, engine: Engine) -> None:
    page = owner_client.get("/settings/brand")
    data = {"csrf_token": csrf_from(page.text), "niche": "sourdough kits", "handles": "@Crumb.Co, crumbco_uk @crumb.co"}
    assert owner_client.post("/settings/brand", data=data).status_code == 303
    page = owner_client.get("/settings/brand")
    assert 'value="@crumb.co @crumbco_uk"' in page.text
    bad = owner_client.post("/settings/brand", data=data | {"handles": "@crumb.co @no way!"})
    assert bad.status_code == 400 and "Not a handle: way!" in bad.text
    with session_scope(engine) as session:
        assert session.get_one(Workspace, workspace_id(engine)).brand_handles == ["crumb.co", "crumbco_uk"]
