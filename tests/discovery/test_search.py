"""Discovery search end to end: index, words and meaning, filters, lookalikes, pages, API, shortlists."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration
from grassroots.creators import service as creators
from grassroots.creators.models import Creator, Platform
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from grassroots.discovery import service, stored
from grassroots.discovery.catalog import catalog_for, forget_catalog
from grassroots.discovery.schemas import parse_query
from grassroots.errors import InvalidInput
from tests.discovery.world import seed
from tests.support import api_headers, csrf_from, login, make_user, workspace_id

BAKERS = {"Hana", "Ivy", "Omar"}


def names(engine: Engine, **params: list[str]) -> list[str]:
    with session_scope(engine) as s:
        page = service.search(s, workspace_id(engine), parse_query(params))
    return [h.name for h in page.hits]


def test_words_and_meaning_find_bakers_who_never_wrote_the_word(engine: Engine) -> None:
    make_user(engine)
    seed(engine)
    found = names(engine, q=["sourdough"])
    assert found[0] == "Hana"  # the one who writes it comes first
    assert set(found) >= BAKERS and "Kai" not in found and "Sofia" not in found  # Ivy and Omar never wrote it
    cozy = names(engine, q=["cozy baking at home"])
    assert set(cozy[:3]) == BAKERS, cozy
    assert {"Ivy", "Omar"} <= set(names(engine, q=["baking"]))  # stems: "baker", "baked"
    with session_scope(engine) as s:
        hit = service.search(s, workspace_id(engine), parse_query({"q": ["sourdough"]})).hits[0]
    assert hit.matched == ["sourdough"] and hit.snippet and hit.niches[0].key == "food/baking"
    assert any("similar to your search" in r for r in hit.reasons) and any(
        "Niche: Food › Baking" in r for r in hit.reasons
    )


def test_filters_combine_tiers_normalise_countries_and_select_niches(engine: Engine) -> None:
    make_user(engine)
    seed(engine)
    uk = set(names(engine, country=["UK"]))
    assert (
        uk
        == {"Hana", "Ivy", "Sofia"}
        == set(names(engine, country=["United Kingdom"]))
        == set(names(engine, country=["Britain"]))
    )
    assert set(names(engine, tier=["micro-micro", "nano"])) == {"Hana", "Ivy", "Omar", "Sofia"}
    assert set(names(engine, niche=["food"])) == BAKERS == set(names(engine, niche=["food/baking"]))
    assert names(engine, followers_min=["50000"]) == ["Kai"]
    assert set(names(engine, hashtag=["#Sourdough"])) == {"Hana"}
    assert names(engine, sort=["smallest"])[0] == "Hana"
    with pytest.raises(InvalidInput, match="not a country"):
        parse_query({"country": ["Narnia"]})
    with pytest.raises(InvalidInput, match="followers minimum is above"):
        parse_query({"followers_min": ["10"], "followers_max": ["5"]})


def test_more_like_this_ranks_the_other_bakers_first(engine: Engine) -> None:
    make_user(engine)
    ids = seed(engine)
    found = names(engine, like=[str(ids["Hana"])])
    assert "Hana" not in found and set(found[:2]) == {"Ivy", "Omar"}
    with pytest.raises(InvalidInput):
        names(engine, like=["999999"])


def test_search_page_shows_reasons_and_bad_input_rerenders(owner_client: TestClient, engine: Engine) -> None:
    seed(engine)
    page = owner_client.get("/discovery", params={"q": "sourdough", "tier": ["micro-micro", "nano"]})
    assert page.status_code == 200
    text = page.text
    assert "Hana" in text and "<mark>Sourdough</mark>" in text and "Uses your words: sourdough" in text
    assert "Kai" not in text and "object at" not in text and "None" not in text
    assert 'value="micro-micro" checked' in text and 'value="nano" checked' in text  # the form keeps the filters
    bad = owner_client.get("/discovery", params={"followers_min": "lots", "country": "Narnia"})
    assert bad.status_code == 400 and "not a country we know" in bad.text and "Traceback" not in bad.text
    exported = owner_client.get("/discovery.csv", params={"q": "sourdough"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[0]["name"] == "Hana" and "Food › Baking" in rows[0]["niches"]


def test_api_search_and_problem_for_bad_input(owner_client: TestClient, engine: Engine) -> None:
    seed(engine)
    headers = api_headers(owner_client)
    data = owner_client.get("/api/v1/discovery/search", params={"q": "bread", "country": "UK"}, headers=headers).json()
    assert {h["name"] for h in data["hits"]} == {"Hana", "Ivy"} and data["sort"] == "relevance"
    assert all(h["reasons"] for h in data["hits"])
    bad = owner_client.get("/api/v1/discovery/search", params={"tier": "huge"}, headers=headers)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


def test_shortlist_flows_into_a_campaign_and_another_workspace_cannot_touch_it(
    owner_client: TestClient, engine: Engine
) -> None:
    ids = seed(engine)
    with session_scope(engine) as s:
        campaign = Campaign(workspace_id=workspace_id(engine), name="Spring seeding", goal=CampaignGoal.launch)
        s.add(campaign)
        s.flush()
        campaign_id = campaign.id
    page = owner_client.get("/discovery", params={"q": "bread"})
    form = {"csrf_token": csrf_from(page.text), "creator_ids": [str(ids["Hana"]), str(ids["Ivy"])],
            "new_name": "UK bakers", "next": "/discovery?q=bread"}  # fmt: skip
    added = owner_client.post("/discovery/shortlist", data=form, follow_redirects=False)
    assert added.status_code == 303 and "Added+2" in added.headers["location"]
    lists = owner_client.get("/api/v1/discovery/shortlists", headers=api_headers(owner_client)).json()
    (shortlist,) = lists
    assert shortlist["name"] == "UK bakers" and shortlist["creators"] == 2
    view = owner_client.get(f"/discovery/shortlists/{shortlist['id']}")
    assert "Hana" in view.text and "Audience overlap" in view.text and "Spring seeding" in view.text
    to_campaign = owner_client.post(f"/discovery/shortlists/{shortlist['id']}/campaign",
                                    data={"csrf_token": csrf_from(view.text), "campaign_id": str(campaign_id)},
                                    follow_redirects=False)  # fmt: skip
    assert to_campaign.status_code == 303 and to_campaign.headers["location"].startswith(f"/campaigns/{campaign_id}")
    with session_scope(engine) as s:
        rostered = set(s.scalars(select(Collaboration.creator_id).where(Collaboration.campaign_id == campaign_id)))
    assert rostered == {ids["Hana"], ids["Ivy"]}
    campaign_page = owner_client.get(f"/campaigns/{campaign_id}").text
    assert 'id="roster-overlap"' in campaign_page and "Audience overlap" in campaign_page  # the roster's overlap
    csv_text = owner_client.get(f"/discovery/shortlists/{shortlist['id']}/export.csv").text
    assert "hana.bakes" in csv_text and "ivy.crumb" in csv_text

    # A second workspace sees nothing of it and cannot write to it.
    make_user(engine, "other@brand.test", ws="Other")
    other = TestClient(owner_client.app, follow_redirects=False)
    login(other, "other@brand.test")
    assert other.get(f"/discovery/shortlists/{shortlist['id']}").status_code == 404
    headers = api_headers(other)
    sneaky = other.post(f"/api/v1/discovery/shortlists/{shortlist['id']}/creators", json={"creator_ids": [ids["Kai"]]},
                        headers=headers)  # fmt: skip
    assert sneaky.status_code == 404
    own = other.post(
        "/api/v1/discovery/shortlists", json={"name": "Mine", "creator_ids": [ids["Kai"]]}, headers=headers
    )
    assert own.status_code == 422  # A's creator is not in B's workspace: refused, and nothing was created
    assert other.get("/api/v1/discovery/shortlists", headers=headers).json() == []
    assert other.get("/api/v1/discovery/search", params={"q": "bread"}, headers=headers).json()["total"] == 0


def test_profile_offers_shortlist_campaign_and_lookalikes_and_a_foreign_campaign_is_refused(
    owner_client: TestClient, engine: Engine
) -> None:
    ids = seed(engine)
    make_user(engine, "other@brand.test", ws="Other")
    with session_scope(engine) as s:
        mine = Campaign(workspace_id=workspace_id(engine), name="Bread week", goal=CampaignGoal.launch)
        theirs = Campaign(workspace_id=workspace_id(engine, "Other"), name="Not yours", goal=CampaignGoal.launch)
        s.add_all([mine, theirs])
        s.flush()
        mine_id, theirs_id = mine.id, theirs.id
    owner_client.get("/discovery", params={"q": "bread"})  # indexes the creators
    profile = owner_client.get(f"/creators/{ids['Ivy']}")
    text = profile.text
    assert 'id="add-to-shortlist"' in text and "Bread week" in text and "Not yours" not in text
    assert f'href="/discovery?like={ids["Ivy"]}"' in text and "Food › Baking" in text
    token = csrf_from(text)
    sent = owner_client.post("/discovery/campaign", data={"csrf_token": token, "creator_ids": str(ids["Ivy"]),
                             "campaign_id": str(mine_id), "next": f"/creators/{ids['Ivy']}"})  # fmt: skip
    assert sent.status_code == 303 and "Added+1" in sent.headers["location"]
    foreign = owner_client.post("/discovery/campaign", data={"csrf_token": token, "creator_ids": str(ids["Ivy"]),
                                "campaign_id": str(theirs_id), "next": "/discovery"})  # fmt: skip
    assert foreign.status_code == 303 and "Nothing+added" in foreign.headers["location"]
    with session_scope(engine) as s:
        count = s.scalar(select(func.count()).select_from(Collaboration).where(Collaboration.campaign_id == theirs_id))
    assert count == 0


def test_a_new_creator_is_found_by_updating_the_catalog_not_rebuilding_it(engine: Engine) -> None:
    make_user(engine)
    seed(engine)
    ws = workspace_id(engine)
    assert "Lena" not in names(engine, q=["pottery"])
    with session_scope(engine) as s:
        before = catalog_for(s, ws)
        creator = creators.create_creator(s, ws, CreatorIn(display_name="Lena", location="Leeds, UK", accounts=[
            AccountIn(platform=Platform.instagram, handle="lena.clay", followers=900, bio="Pottery and glazes")]))  # fmt: skip
        creators.add_post(s, ws, creator.accounts[0].id, PostIn(caption="Throwing bowls on the wheel #pottery",
                                                                 likes=40, posted_at=datetime.now(UTC)))  # fmt: skip
    with session_scope(engine) as s:
        service.ensure_index(s, ws)
    found = names(engine, q=["pottery"])
    assert found[0] == "Lena" and "Lena" in names(engine, country=["UK"])
    with session_scope(engine) as s:
        after = catalog_for(s, ws)
    assert after is not before and after.vectors is before.vectors  # updated in place, not rebuilt
    assert len(after.frame) == len(before.frame) + 1 and after.ids.tolist() == sorted(after.ids.tolist())


def test_a_large_catalog_is_kept_on_disk_and_brought_up_to_date_by_a_new_process(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(engine)
    ids = seed(engine)
    ws = workspace_id(engine)
    monkeypatch.setattr(stored, "PERSIST_MIN", 1)
    monkeypatch.setattr(stored, "folder_for", lambda database, workspace: tmp_path / f"ws-{workspace}")
    assert names(engine, q=["pottery"]) == []  # builds the catalog and writes it
    assert (tmp_path / f"ws-{ws}" / "stamp.json").exists()
    with session_scope(engine) as s:
        s.execute(update(Creator).where(Creator.id == ids["Kai"]).values(followers=77, updated_at=datetime.now(UTC)))
    forget_catalog()  # a new process: nothing in memory
    with session_scope(engine) as s:
        loaded = catalog_for(s, ws)
    assert int(loaded.frame.filter(pl.col("id") == ids["Kai"])["followers"][0]) == 77
    assert set(names(engine, q=["sourdough"])) >= BAKERS


@pytest.mark.parametrize("target", ["//evil.test/x", "/\\evil.test", "https://evil.test/", "/\\/evil.test"])
def test_back_links_stay_on_the_site(owner_client: TestClient, engine: Engine, target: str) -> None:
    seed(engine)
    token = csrf_from(owner_client.get("/discovery").text)
    sent = owner_client.post("/discovery/shortlist", data={"csrf_token": token, "next": target})
    assert sent.status_code == 303 and sent.headers["location"].startswith("/discovery?")
