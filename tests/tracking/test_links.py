"""Short links: the redirector (UTM, click id, bots flagged, 404), link pages, roster links, QR, isolation."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.config import Settings
from grassroots.connectors.models import Connection
from grassroots.db.session import session_scope
from grassroots.outreach.models import Touchpoint
from grassroots.tracking.clicklog import folder_of
from tests.campaigns.factory import field_errors, other_client
from tests.support import csrf_from, workspace_id
from tests.tracking.links_world import _fresh_link_caches, click_count, clicks, flush, link_of, make_link, roster  # noqa: F401

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"


def test_redirect_appends_utm_and_a_click_id_and_the_click_is_stored(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    _, (maya, _) = roster(engine)
    link_id, slug = make_link(engine, destination="https://shop.example/serum?ref=bio#buy", collaboration_id=maya)
    assert slug == "maya-spring"
    answer = owner_client.get(f"/r/{slug}", headers={"user-agent": PHONE, "referer": "https://l.instagram.com/"})
    assert answer.status_code == 302
    assert answer.headers["cache-control"].startswith("no-store")
    target = urlsplit(answer.headers["location"])
    query = parse_qs(target.query)
    assert (target.scheme, target.netloc, target.path, target.fragment) == ("https", "shop.example", "/serum", "buy")
    assert query["ref"] == ["bio"] and query["utm_source"] == ["creator"] and query["utm_medium"] == ["link"]
    assert query["utm_campaign"] == ["spring-glow"] and query["utm_content"] == ["maya-lopez"]
    click_id = query["gr_click"][0]
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", click_id)  # >= 128 random bits, URL-safe

    assert flush(engine, settings) == 1
    (click,) = clicks(engine)
    assert (click.click_id, click.link_id, click.is_bot, click.method) == (click_id, link_id, False, "GET")
    assert click.referer == "https://l.instagram.com/" and click.user_agent == PHONE
    assert click.workspace_id == workspace_id(engine) and len(click.ip_hash) == 64 and "testclient" not in click.ip_hash
    assert len(click.visitor) == 64 and click.visitor != click.ip_hash
    assert (
        owner_client.get(f"/r/{slug}", headers={"user-agent": PHONE}).headers["location"] != answer.headers["location"]
    )


def test_head_requests_and_preview_bots_are_flagged_not_dropped(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    _, slug = make_link(engine)
    assert owner_client.head(f"/r/{slug}", headers={"user-agent": PHONE}).status_code == 302
    for agent in ("WhatsApp/2.23.20.0", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                  "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                  "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", PHONE):  # fmt: skip
        assert owner_client.get(f"/r/{slug}", headers={"user-agent": agent}).status_code == 302
    flush(engine, settings)
    reasons = [(c.method, c.is_bot, c.bot_reason) for c in clicks(engine)]
    assert reasons == [
        ("HEAD", True, "HEAD request"),
        ("GET", True, "WhatsApp link preview"),
        ("GET", True, "Facebook link preview"),
        ("GET", True, "Slack link preview"),
        ("GET", True, "crawler: AhrefsBot"),
        ("GET", False, None),
    ]
    page = owner_client.get("/tracking/links").text
    assert "83%" in page  # bot share: 5 of 6


def test_unknown_and_switched_off_slugs_answer_404_and_log_nothing(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    assert owner_client.get("/r/nothing-here", headers={"accept": "text/html"}).status_code == 404
    link_id, slug = make_link(engine)
    assert owner_client.get(f"/r/{slug}").status_code == 302  # cached now
    detail = owner_client.get(f"/tracking/links/{link_id}").text
    answer = owner_client.post(f"/tracking/links/{link_id}/archive", data={"csrf_token": csrf_from(detail)})
    assert answer.status_code == 303
    assert owner_client.get(f"/r/{slug}").status_code == 404  # the cache forgot it on commit
    assert flush(engine, settings) == 1
    assert click_count(engine) == 1
    assert not any(p.stat().st_size for p in folder_of(settings).iterdir())
    assert "switched off" in owner_client.get(f"/tracking/links/{link_id}").text


def test_create_a_link_from_the_page_records_a_touchpoint_and_defaults_to_the_shop(
    owner_client: TestClient, engine: Engine
) -> None:
    _, (maya, _) = roster(engine)
    with session_scope(engine) as s:
        s.add(Connection(workspace_id=workspace_id(engine), provider="shopify", label="Shop", secret=b"x",
                         config={"shop": "dewdrop.myshopify.com"}))  # fmt: skip
    page = owner_client.get("/tracking/links")
    assert "Left blank, the link opens your shop (https://dewdrop.myshopify.com/)" in page.text
    token = csrf_from(page.text)
    answer = owner_client.post("/tracking/links", data={"csrf_token": token, "collaboration_id": str(maya)})
    assert answer.status_code == 303
    link_id = int(answer.headers["location"].rsplit("/", 1)[1])
    link = link_of(engine, link_id)
    assert (link.slug, link.destination) == ("maya-spring", "https://dewdrop.myshopify.com/")
    again = owner_client.post("/tracking/links", data={"csrf_token": token, "collaboration_id": str(maya)})
    assert link_of(engine, int(again.headers["location"].rsplit("/", 1)[1])).slug == "maya-spring-2"
    with session_scope(engine) as s:
        points = list(s.scalars(select(Touchpoint).where(Touchpoint.kind == "link_created")))
    assert [p.summary for p in points] == [
        "Tracked link /r/maya-spring created",
        "Tracked link /r/maya-spring-2 created",
    ]
    detail = owner_client.get(f"/tracking/links/{link_id}").text
    assert "/r/maya-spring" in detail and "Maya López" in detail and "Spring glow" in detail
    assert "<" not in re.sub(r"<[^>]+>", "", detail).replace("&lt;", "")  # no stray markup or reprs
    assert "LinkStats(" not in detail and "ShortLink" not in detail


def test_bad_input_re_renders_the_form_with_messages(owner_client: TestClient, engine: Engine) -> None:
    make_link(engine, slug="taken")
    token = csrf_from(owner_client.get("/tracking/links").text)
    answer = owner_client.post("/tracking/links", data={"csrf_token": token, "destination": "javascript:alert(1)",
                                                        "slug": "Taken!"})  # fmt: skip
    assert answer.status_code == 400
    assert field_errors(answer.text) == ["Give a full web address starting with https:// (or http://).",
                                         "Use 1–64 lower-case letters, digits and hyphens, e.g. maya-spring."]  # fmt: skip
    assert 'value="javascript:alert(1)"' in answer.text  # nothing typed is lost
    taken = owner_client.post("/tracking/links", data={"csrf_token": token, "destination": "https://a.example",
                                                       "slug": "taken"})  # fmt: skip
    assert taken.status_code == 400 and field_errors(taken.text) == ["“taken” is taken; choose another."]
    blank = owner_client.post("/tracking/links", data={"csrf_token": token})
    assert blank.status_code == 400 and "Give a full web address" in blank.text


def test_one_click_links_for_the_whole_roster(owner_client: TestClient, engine: Engine) -> None:
    campaign, _ = roster(engine)
    token = csrf_from(owner_client.get("/tracking/links").text)
    data = {"csrf_token": token, "campaign_id": str(campaign), "destination": "https://shop.example/"}
    assert owner_client.post("/tracking/links/roster", data=data).status_code == 303
    page = owner_client.get(f"/tracking/links?campaign_id={campaign}").text
    assert "Created 2 links for the roster." in page
    assert "/r/maya-spring" in page and "/r/theo-spring" in page
    owner_client.post("/tracking/links/roster", data=data)
    assert "Every creator on this roster already has a link." in owner_client.get("/tracking/links").text


def test_qr_code_is_svg_of_the_short_address(owner_client: TestClient, engine: Engine) -> None:
    link_id, _ = make_link(engine)
    answer = owner_client.get(f"/tracking/links/{link_id}/qr.svg")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.text.lstrip().startswith("<svg") and "<path" in answer.text


def test_another_workspace_cannot_see_or_change_links(
    owner_client: TestClient, engine: Engine, settings: Settings
) -> None:
    _, (maya, _) = roster(engine)
    link_id, slug = make_link(engine)
    other = other_client(engine, settings)
    for path in (f"/tracking/links/{link_id}", f"/tracking/links/{link_id}/qr.svg"):
        assert other.get(path).status_code == 404
    token = csrf_from(other.get("/tracking/links").text)
    assert other.post(f"/tracking/links/{link_id}/archive", data={"csrf_token": token}).status_code == 404
    stolen = other.post("/tracking/links", data={"csrf_token": token, "collaboration_id": str(maya),
                                                 "destination": "https://evil.example/"})  # fmt: skip
    assert stolen.status_code == 404
    assert f"/r/{slug}" not in other.get("/tracking/links").text
    assert link_of(engine, link_id).archived_at is None
    assert other.get(f"/r/{slug}").status_code == 302  # the redirector is public by design


def test_the_fast_path_answers_before_the_app_and_hands_the_rest_on(engine: Engine, settings: Settings) -> None:
    from grassroots.tracking import redirector
    from grassroots.web.app import create_app
    from tests.support import make_user

    make_user(engine)
    _, slug = make_link(engine)
    app = create_app(engine, settings)
    app.add_middleware(redirector.FastPath, engine=engine, settings=settings)
    with TestClient(app, follow_redirects=False) as client:
        answer = client.get(f"/r/{slug}", headers={"user-agent": PHONE})
        assert answer.status_code == 302 and "gr_click=" in answer.headers["location"]
        assert "set-cookie" not in answer.headers  # no session for a redirect
        assert client.head(f"/r/{slug}").status_code == 302
        missing = client.get("/r/nope", headers={"accept": "text/html"})
        assert missing.status_code == 404 and "does not exist" in missing.text
        assert client.get("/healthz").json()["status"] == "ok"
        flusher = redirector.start(engine, settings)
        assert redirector.start(engine, settings) is flusher  # one flusher per process and data directory
        flusher.stop()
    assert [(c.method, c.is_bot) for c in clicks(engine)] == [("GET", False), ("HEAD", True)]
