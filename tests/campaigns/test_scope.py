"""A campaign's page counts only its own posts: roster, dates, and a brand handle, hashtag or code; paged."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.creators.models import Comment
from grassroots.db.session import session_scope
from grassroots.workspaces.models import Workspace
from tests.campaigns.factory import NOV, add_post, make_campaign, make_creator
from tests.support import workspace_id


def _brand_handles(engine: Engine, handles: list[str]) -> None:
    with session_scope(engine) as s:
        workspace = s.get(Workspace, workspace_id(engine))
        assert workspace is not None
        workspace.brand_handles = handles


def _posts(client: TestClient, campaign_id: int) -> dict[str, list[str]]:
    data = client.get(f"/api/v1/campaigns/{campaign_id}/posts?per_page=100").json()
    return {p["caption"]: p["matched"] for p in data["items"]}


def test_only_posts_that_mention_the_brand_a_hashtag_or_a_code_count(owner_client: TestClient, engine: Engine) -> None:
    ana, mo, zed = (make_creator(engine, n, h) for n, h in (("Ana", "ana.glow"), ("Mo", "vegan_mo"), ("Zed", "zed")))
    captions = {
        ana: ["Loving my serum from @DewDrop.Skin. #ad", "#ad my new toner from @othercoskin", "obsessed with @dewdrop.skincare",
              "morning routine #GlowWithDew!", "use code dew10 for 10% off", "code DEW100 is not ours", "sunset pics"],
        mo: ["thanks (@dewdrop.skin) for the parcel"],
        zed: ["@dewdrop.skin is great"],  # not on the roster
    }  # fmt: skip
    for creator, texts in captions.items():
        for i, text in enumerate(texts):
            add_post(engine, creator, text, NOV + timedelta(hours=i), sponsored="#ad" in text)
    add_post(engine, ana, "@dewdrop.skin back in October", NOV - timedelta(days=30))  # before the campaign
    add_post(engine, mo, "tagged only", NOV, mentions=["DewDrop.Skin"])  # a platform tag, not in the caption
    campaign_id = make_campaign(engine, roster=[ana, mo], hashtags=["glowwithdew"], promo_codes=["DEW10"])
    unscoped = owner_client.get(f"/campaigns/{campaign_id}").text
    assert "has no brand handle, hashtag or promo code yet" not in unscoped  # a hashtag and a code scope it
    _brand_handles(engine, ["dewdrop.skin"])
    assert _posts(owner_client, campaign_id) == {
        "Loving my serum from @DewDrop.Skin. #ad": ["@dewdrop.skin"],
        "morning routine #GlowWithDew!": ["#glowwithdew"],
        "use code dew10 for 10% off": ["code DEW10"],
        "thanks (@dewdrop.skin) for the parcel": ["@dewdrop.skin"],
        "tagged only": ["@dewdrop.skin"],
    }
    page = owner_client.get(f"/campaigns/{campaign_id}").text
    content = page[page.index('id="content"') :]
    assert 'This campaign\'s posts <span class="muted small">(5)' in content and "@othercoskin" not in content
    assert "1 of 1 sponsored posts clearly disclosed" in content


def test_a_campaign_with_nothing_to_scope_by_says_so(owner_client: TestClient, engine: Engine) -> None:
    ana = make_creator(engine, "Ana", "ana.glow")
    add_post(engine, ana, "#ad for @someoneelse", sponsored=True)
    campaign_id = make_campaign(engine, roster=[ana])
    page = owner_client.get(f"/campaigns/{campaign_id}").text
    assert "has no brand handle, hashtag or promo code yet" in page and "#ad for @someoneelse" in page
    assert owner_client.get(f"/api/v1/campaigns/{campaign_id}/posts").json()["scoped"] is False


def test_posts_are_paged_25_at_a_time(owner_client: TestClient, engine: Engine) -> None:
    ana = make_creator(engine, "Ana", "ana.glow")
    for i in range(30):
        add_post(engine, ana, f"day {i} with #glowwithdew", NOV + timedelta(hours=i))
    campaign_id = make_campaign(engine, roster=[ana], hashtags=["glowwithdew"])
    first = owner_client.get(f"/campaigns/{campaign_id}").text
    assert first.count("with #glowwithdew</td>") == 25 and "Page 1 of 2" in first and "day 29 with" in first
    second = owner_client.get(f"/campaigns/{campaign_id}?page=2").text
    assert second.count("with #glowwithdew</td>") == 5 and "day 0 with" in second
    assert owner_client.get(f"/campaigns/{campaign_id}?page=99").status_code == 200  # clamped to the last page


def test_what_people_say_is_scoped_the_same_way(owner_client: TestClient, engine: Engine) -> None:
    ana = make_creator(engine, "Ana", "ana.glow")
    ours = add_post(engine, ana, "my @dewdrop.skin routine", sponsored=True)
    theirs = add_post(engine, ana, "#ad @othercoskin toner", NOV + timedelta(hours=1), sponsored=True)
    with session_scope(engine) as s:
        ws = workspace_id(engine)
        for post, texts in ((ours, ["where can I get this?", "love it"]), (theirs, ["so pricey", "meh", "ok"])):
            for i, text in enumerate(texts):
                s.add(Comment(workspace_id=ws, post_id=post, author_handle=f"fan{i}", text=text, posted_at=NOV))
    campaign_id = make_campaign(engine, roster=[ana], handles=["dewdrop.skin"])
    language = owner_client.get(f"/api/v1/campaigns/{campaign_id}/language").json()
    assert language["unlabelled"] == 2  # the two comments under the brand's post, not the other brand's three
