"""The creators list, profile and add form, as a signed-in person sees them."""

import json
import re
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.creators import service
from grassroots.creators.models import FollowerSnapshot, Platform
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from tests.support import csrf_from, make_user, workspace_id


def seed(engine: Engine, ws_name: str = "Brand") -> dict[str, int]:
    """Three creators of different tiers and platforms, one with posts and history."""
    ws = workspace_id(engine, ws_name)
    ids = {}
    specs = [
        ("Ana", Platform.instagram, "ana.glow", 1_500, "Lyon, FR", "sensitive skin routine"),
        ("Mo", Platform.youtube, "vegan_mo", 25_000, "Leeds, UK", "plant-based dinners"),
        ("Kai", Platform.tiktok, "kai.lifts", 6_000, "Austin, US", "gym and protein"),
    ]
    with session_scope(engine) as s:
        for name, platform, handle, followers, loc, bio in specs:
            creator = service.create_creator(
                s,
                ws,
                CreatorIn(
                    display_name=name,
                    location=loc,
                    accounts=[AccountIn(platform=platform, handle=handle, followers=followers, bio=bio)],
                ),
            )
            ids[name] = creator.id
        account = creator.accounts[0]
        now = datetime.now(UTC)
        for i, likes in enumerate([500, 700, 300]):
            service.add_post(
                s,
                ws,
                account.id,
                PostIn(caption=f"leg day {i} #fitness", likes=likes, comments=20, posted_at=now - timedelta(days=i)),
            )
        for d in range(5):
            s.add(
                FollowerSnapshot(
                    workspace_id=ws, account_id=account.id, day=date(2026, 11, 1 + d), followers=5_000 + 250 * d
                )
            )
    return ids


def test_list_filters_by_tier_platform_text_and_engagement(owner_client: TestClient, engine: Engine) -> None:
    seed(engine)
    page = owner_client.get("/creators")
    assert "Showing 1–3 of <strong>3</strong>" in page.text
    nano = owner_client.get("/creators?tier=nano").text
    assert "kai.lifts" in nano and "ana.glow" not in nano and "vegan_mo" not in nano
    assert "vegan_mo" in owner_client.get("/creators?platform=youtube").text
    assert "ana.glow" in owner_client.get("/creators?q=sensitive+skin").text
    assert "vegan_mo" not in owner_client.get("/creators?q=sensitive").text
    engaged = owner_client.get("/creators?min_engagement=5").text
    assert "kai.lifts" in engaged and "ana.glow" not in engaged


def test_sorting_and_bad_filter_values(owner_client: TestClient, engine: Engine) -> None:
    seed(engine)
    text = owner_client.get("/creators?sort=followers").text
    assert text.index("ana.glow") < text.index("kai.lifts") < text.index("vegan_mo")
    bad = owner_client.get("/creators?min_followers=lots&tier=giant")
    assert bad.status_code == 200
    assert "min followers: must be a number" in bad.text and "unknown tier" in bad.text


def test_htmx_request_gets_only_the_results(owner_client: TestClient, engine: Engine) -> None:
    seed(engine)
    partial = owner_client.get("/creators?tier=micro", headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in partial.text and "vegan_mo" in partial.text


def test_empty_state_and_filter_empty_state(owner_client: TestClient) -> None:
    assert "No creators yet" in owner_client.get("/creators").text
    assert "No creator matches these filters" in owner_client.get("/creators?tier=mega").text


def test_profile_shows_accounts_posts_and_chart_data(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    page = owner_client.get(f"/creators/{ids['Kai']}")
    assert page.status_code == 200
    assert "@kai.lifts" in page.text and "leg day 0" in page.text
    data = json.loads(re.search(r'id="chart-data">(.*?)</script>', page.text, re.S).group(1))  # type: ignore[union-attr]
    assert data[0]["y"] == [5000, 5250, 5500, 5750, 6000]
    assert owner_client.get("/static-vendor/plotly.min.js").status_code == 200


def test_other_workspaces_creators_are_invisible(owner_client: TestClient, engine: Engine) -> None:
    other = seed(engine, "Other brand")
    assert owner_client.get(f"/creators/{other['Ana']}").status_code == 404
    assert "No creators yet" in owner_client.get("/creators").text


def test_add_form_rerenders_with_messages_and_then_creates(owner_client: TestClient, engine: Engine) -> None:
    token = csrf_from(owner_client.get("/creators/new").text)
    bad = owner_client.post(
        "/creators/new", data={"csrf_token": token, "platform": "instagram", "handle": "bad handle!", "followers": "-3"}
    )
    assert bad.status_code == 400 and "Please fix" in bad.text and 'value="bad handle!"' in bad.text
    good = owner_client.post(
        "/creators/new",
        data={
            "csrf_token": token,
            "platform": "instagram",
            "handle": "@New.One",
            "followers": "1200",
            "display_name": "N",
        },
    )
    assert good.status_code == 303
    assert "@new.one" in owner_client.get(good.headers["location"]).text


def test_upload_import_rejects_bad_file_and_keeps_nothing(owner_client: TestClient, engine: Engine) -> None:
    make_user(engine, "m@brand.test")
    token = csrf_from(owner_client.get("/creators/import").text)
    bad = "platform,handle,followers\ninstagram,a,10\ninstagram,b,lots\n"
    response = owner_client.post(
        "/creators/import", data={"csrf_token": token}, files={"file": ("c.csv", bad, "text/csv")}
    )
    assert response.status_code == 422 and "Line 3" in response.text and "Nothing was imported" in response.text
    assert "No creators yet" in owner_client.get("/creators").text


def test_profile_flags_undisclosed_sponsored_posts(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    ws = workspace_id(engine)
    with session_scope(engine) as s:
        account = service.require_creator(s, ws, ids["Ana"]).accounts[0]
        now = datetime.now(UTC)
        service.add_post(
            s,
            ws,
            account.id,
            PostIn(
                caption="Obsessed with @glowco serum, code ANA10", sponsored=True, likes=90, comments=4, posted_at=now
            ),
        )
        service.add_post(
            s,
            ws,
            account.id,
            PostIn(
                caption="#ad my routine with @glowco",
                sponsored=True,
                likes=80,
                comments=2,
                posted_at=now - timedelta(days=1),
            ),
        )
    page = owner_client.get(f"/creators/{ids['Ana']}").text
    assert 'class="badge disclosure-missing"' in page and "no #ad" in page
    assert 'class="badge disclosure-compliant"' in page


def test_profile_shows_purchase_intent_and_product_questions(owner_client: TestClient, engine: Engine) -> None:
    from grassroots.creators.models import Comment

    ids = seed(engine)
    ws = workspace_id(engine)
    texts = ["where can I get this?", "just ordered 🙌", "does it work on sensitive skin?", "so cute", "link please!"]
    with session_scope(engine) as s:
        account = service.require_creator(s, ws, ids["Kai"]).accounts[0]
        post = service.add_post(s, ws, account.id, PostIn(caption="new gym bag", likes=10, posted_at=datetime.now(UTC)))
        for i, text in enumerate(texts):
            s.add(
                Comment(
                    workspace_id=ws, post_id=post.id, author_handle=f"fan{i}", text=text, posted_at=datetime.now(UTC)
                )
            )
    page = owner_client.get(f"/creators/{ids['Kai']}").text
    voice = page[page.index('id="voice"') :]
    assert "Purchase intent" in voice and "60 %" in voice  # 3 of 5 comments
    assert "does it work on sensitive skin?" in voice and "just ordered" in voice


def test_platforms_are_spelled_as_their_owners_spell_them(owner_client: TestClient, engine: Engine) -> None:
    with session_scope(engine) as session:
        accounts = [AccountIn(platform="tiktok", handle="ana.tt", followers=3000),
                    AccountIn(platform="youtube", handle="ana.yt", followers=900)]  # fmt: skip
        creator_id = service.create_creator(
            session, workspace_id(engine), CreatorIn(display_name="Ana", accounts=accounts)
        ).id
    for page in (owner_client.get("/creators").text, owner_client.get(f"/creators/{creator_id}").text):
        assert ">TikTok<" in page and ">YouTube<" in page
        assert ">Tiktok<" not in page and ">tiktok<" not in page and ">youtube<" not in page


def test_profile_links_each_account_and_shows_the_contact_email(owner_client: TestClient, engine: Engine) -> None:
    with session_scope(engine) as session:
        accounts = [AccountIn(platform="instagram", handle="ana.glow", followers=3000),
                    AccountIn(platform="tiktok", handle="ana.tt", followers=900)]  # fmt: skip
        data = CreatorIn(display_name="Ana", email="ana@example.com", accounts=accounts)
        creator_id = service.create_creator(session, workspace_id(engine), data).id
    page = owner_client.get(f"/creators/{creator_id}").text
    assert 'href="https://www.instagram.com/ana.glow/"' in page and 'href="https://www.tiktok.com/@ana.tt"' in page
    assert 'href="mailto:ana@example.com"' in page
    assert '<span class="avatar" aria-hidden="true">A</span>' in page  # initials while there is no picture


def test_add_creator_fetches_the_follower_count_through_a_connection(owner_client: TestClient, engine: Engine) -> None:
    from grassroots.connectors import service as connectors
    from grassroots.connectors.models import Connection
    from grassroots.creators.models import SocialAccount
    from tests.connectors.graph_server import OWN_ID, TOKEN, GraphServer

    alone = owner_client.get("/creators/new").text
    assert 'name="fetch"' not in alone and 'href="/connections"' in alone and 'href="/creators/import"' in alone
    with GraphServer() as graph:
        graph.standard(handles=("ana.glow",))
        with session_scope(engine) as session:
            config = {"ig_user_id": OWN_ID, "base_url": graph.base_url, "hashtags": ""}
            connection_id = connectors.connect(
                session, workspace_id(engine), "instagram", {"access_token": TOKEN}, config
            ).id
        page = owner_client.get("/creators/new").text
        assert 'name="fetch"' in page and "Instagram connection" in page
        form = {
            "csrf_token": csrf_from(page),
            "display_name": "Ana",
            "platform": "instagram",
            "handle": "ana.glow",
            "fetch": "on",
        }
        added = owner_client.post("/creators/new", data=form)
        assert added.status_code == 303 and added.headers["location"].endswith("?fetching=1")
        assert 'id="fetching"' in owner_client.get(added.headers["location"]).text
        with session_scope(engine) as session:
            connection = session.get_one(Connection, connection_id)
            assert "ana.glow" in connection.config["handles"]
            assert connectors.sync_connection(session, connection).status.value == "ok"
        with session_scope(engine) as session:
            account = session.scalars(select(SocialAccount).where(SocialAccount.handle == "ana.glow")).one()
            assert account.followers > 0  # read through business discovery, not typed
