"""Issue 16 end to end, as people do it, on the synthetic demo: a brand writes to five creators (through the mail
queue into a local SMTP sink), one creator opens the portal link from her email, accepts, signs, gives an address
and shares her Instagram insights (a local recorded-shape OAuth server); the brand orders a gift, refuses a draft
without disclosure, approves the fixed one, pays the fee, and reads it all on the creator's timeline."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.config import Settings
from grassroots.creators.models import Creator, Post, SocialAccount
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.demo.service import ensure_demo
from grassroots.jobs.runner import Runner, load_handlers
from grassroots.web.app import create_app
from tests.insights.platform_server import CLIENT_SECRET, PlatformServer, running
from tests.outreach.conftest import Sink
from tests.portal.factory import form_token, text_of
from tests.support import csrf_from, login

load_handlers()
PUBLIC = "https://grassroots.brand.test"
ADDRESS = {"name": "Journey Creator", "line1": "Hauptstraße 5", "line2": "", "city": "Berlin", "region": "",
           "postal_code": "10115", "country": "DE", "phone": "+49 30 1234567"}  # fmt: skip
BARE = "Morning routine with the new serum: two drops, then moisturiser."


@pytest.fixture
def platform() -> Iterator[PlatformServer]:
    """Instagram's OAuth and Graph endpoints, served locally from the recorded shapes (tests/insights)."""
    with running() as server:
        yield server


@pytest.fixture
def world(sqlite_engine: Engine, tmp_path: Path, sink: Sink, platform: PlatformServer) -> tuple[Settings, str, str]:
    """The demo world (150 creators) and settings that mail to the sink and authorise against the local platform."""
    with session_scope(sqlite_engine) as session:
        demo = ensure_demo(session, tmp_path, creators=150, seed=3, today=utcnow().date())
    settings = Settings(data_dir=tmp_path, secret_key="journey-secret", smtp_host="127.0.0.1", smtp_port=sink.port,
                        smtp_tls="none", smtp_from="hello@brand.test", smtp_timeout=5, jobs_in_server=False,
                        public_url=PUBLIC, creator_oauth_urls=platform.urls())  # fmt: skip
    return settings, demo.email, demo.password


def _five_creators(engine: Engine) -> dict[int, set[str]]:
    """Five demo creators with an email and a recent captioned post with a link: id -> their posts' links."""
    since = utcnow() - timedelta(days=60)
    with session_scope(engine) as session:
        rows = session.execute(
            select(Creator.id, Post.url)
            .join(SocialAccount, SocialAccount.creator_id == Creator.id)
            .join(Post, Post.account_id == SocialAccount.id)
            .where(
                Creator.email.is_not(None), Post.posted_at >= since, Post.url.is_not(None), Post.caption.is_not(None)
            )
            .order_by(Creator.id)
        ).all()
    found: dict[int, set[str]] = {}
    for creator_id, url in rows:
        if len(found) < 5 or creator_id in found:
            found.setdefault(creator_id, set()).add(str(url))
    assert len(found) == 5, "the demo has too few creators with an email and a recent post"
    return found


def _field(page: str, name: str) -> str:
    """An input's or a textarea's value as the browser would send it."""
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S
    )
    assert match, f"no field {name}"
    return html.unescape(match.group(1))


def _form(page: str, action: str) -> dict[str, str]:
    """What the browser sends from the form posting to ``action``, as the page fills it (ticked boxes only)."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no form posting to {action}"
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form.group(1)):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and ('type="checkbox"' not in tag or " checked" in tag):
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ("on" if "checkbox" in tag else "")
    for name_, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form.group(1), re.S):
        fields[name_] = html.unescape(text)
    return fields


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def _portal_post(client: TestClient, page: str, action: str, data: dict[str, str]) -> Any:
    """Post a portal form with the hidden field read from the page the creator has open."""
    return client.post(action, data={"portal_form": form_token(client.get(page).text), **data})


def test_outreach_to_five_creators_then_portal_gift_approval_and_payment_on_the_timeline(
    sqlite_engine: Engine, world: tuple[Settings, str, str], sink: Sink, platform: PlatformServer
) -> None:
    settings, email, password = world
    creators = _five_creators(sqlite_engine)
    app = create_app(sqlite_engine, settings)
    with TestClient(app, follow_redirects=False) as brand, TestClient(app, follow_redirects=False) as phone:
        login(brand, email, password)

        # A paid campaign, and five creators on its roster, through the forms.
        token = csrf_from(brand.get("/campaigns/new").text)
        created = brand.post("/campaigns/new", data={
            "csrf_token": token, "name": "Winter glow journey", "kind": "paid", "goal": "awareness", "budget": "2000",
            "currency": "EUR", "starts_on": "2026-11-01", "compensation": "flat_fee", "fee": "250",
            "brief": "Show your real morning routine."})  # fmt: skip
        assert created.status_code == 303, text_of(created.text)
        campaign = created.headers["location"]
        campaign_id = int(campaign.rsplit("/", 1)[1])
        added = brand.post(f"{campaign}/roster", data={"csrf_token": token, "creator_ids": [str(c) for c in creators],
                                                       "next": campaign})  # fmt: skip
        assert added.status_code == 303

        # Draft for everyone, review each draft and press Send.
        roster = brand.get(f"{campaign}/outreach")
        collab_ids = re.findall(r'name="collaboration_ids" value="(\d+)"', roster.text)
        assert len(collab_ids) == 5
        drafted = brand.post(f"{campaign}/outreach/drafts", data={"csrf_token": token, "collaboration_ids": collab_ids})
        assert drafted.status_code == 303
        review = drafted.headers["location"]
        for _ in range(5):
            assert review.startswith("/outreach/drafts/"), review
            page = brand.get(review).text
            assert "Cites their post: " in text_of(page)
            sent = brand.post(f"{review}/send", data={"csrf_token": csrf_from(page), "subject": _field(page, "subject"),
                                                      "body": _field(page, "body")})  # fmt: skip
            assert sent.status_code == 303, text_of(sent.text)
            review = sent.headers["location"]
        assert sink.received == [], "nothing leaves before the job runner sends it"
        Runner(sqlite_engine, settings, lease_seconds=60).run_due()

        # Five messages arrived, each to its creator, citing that creator's own post, with a portal link.
        assert len(sink.received) == 5
        with session_scope(sqlite_engine) as session:
            by_email = {c.email: (c.id, c.display_name) for c in session.scalars(select(Creator).where(
                Creator.id.in_(creators)))}  # fmt: skip
        portal_links: dict[int, str] = {}
        for message in sink.received:
            creator_id, _name = by_email[message["To"]]
            body = _body(message)
            assert any(url in body for url in creators[creator_id]), body
            link = re.search(rf"{re.escape(PUBLIC)}/p/\S+", body)
            assert link, body
            portal_links[creator_id] = link.group(0)
        assert set(portal_links) == set(creators)
        outreach = text_of(brand.get("/outreach").text)
        assert "Sent 5" in outreach

        # One creator opens the link from her email on her phone and accepts.
        creator_id = next(iter(creators))
        name = by_email[next(e for e, v in by_email.items() if v[0] == creator_id)][1]
        portal = urlsplit(portal_links[creator_id]).path
        offer = phone.get(portal)
        assert offer.status_code == 200 and "Winter glow journey" in text_of(offer.text)
        accepted = _portal_post(phone, portal, f"{portal}/respond", {"decision": "accepted", "note": "Love it!"})
        assert accepted.status_code == 303, text_of(accepted.text)

        # The link in the email already opens version 1 of the agreement, made from the campaign when it was sent.
        assert 'name="version_id"' in phone.get(f"{portal}/agreement").text
        # The brand reviews the brief and the agreement (the boxes start from the campaign) ...
        collab_id = _collaboration_of(brand, campaign, name)
        collaboration = f"{campaign}/collaborations/{collab_id}"
        documents = brand.get(f"{collaboration}/documents").text
        for part in ("brief", "agreement"):
            action = f"{collaboration}/documents/{part}"
            saved_part = brand.post(action, data=_form(documents, action))
            assert saved_part.status_code == 303, text_of(saved_part.text)
        wording = _form(documents, f"{collaboration}/documents/brief")["disclosure"]
        assert wording.startswith("#ad")

        # ... and she reads it and signs: typed name and consent.
        agreement = phone.get(f"{portal}/agreement").text
        version = re.search(r'name="version_id" value="(\d+)"', agreement)
        assert version, text_of(agreement)
        signed = _portal_post(phone, f"{portal}/agreement", f"{portal}/agreement/sign",
                              {"version_id": version.group(1), "signer_name": name, "consent": "yes"})  # fmt: skip
        assert signed.status_code == 303, text_of(signed.text)
        assert "signed" in text_of(phone.get(f"{portal}/agreement").text).lower()

        # Her shipping address.
        address = _portal_post(phone, f"{portal}/address", f"{portal}/address", ADDRESS)
        assert address.status_code == 303, text_of(address.text)

        # The brand sets up its Instagram app once; she connects her account and shares her audience.
        shared_page = brand.get("/insights/shared").text
        saved = brand.post("/insights/shared/apps/instagram", data={
            "csrf_token": csrf_from(shared_page), "client_id": "instagram-client-id", "client_secret": CLIENT_SECRET})  # fmt: skip
        assert saved.status_code == 303
        insights = phone.get(f"{portal}/insights").text
        assert "Connect Instagram" in insights
        connect = phone.post(f"{portal}/insights/connect/instagram", data={"csrf_token": csrf_from(insights)})
        assert connect.status_code == 303 and connect.headers["location"].startswith(platform.base)
        approved_on_platform = httpx.get(connect.headers["location"], follow_redirects=False)
        assert approved_on_platform.status_code == 302
        back = urlsplit(approved_on_platform.headers["location"])
        done = phone.get(f"{back.path}?{back.query}")
        assert done.status_code == 303, text_of(done.text)
        assert "Thank you: your figures are shared" in text_of(phone.get(done.headers["location"]).text)
        profile = text_of(brand.get(f"/creators/{creator_id}").text)
        assert "Instagram insights shared by the creator" in profile and "Followers 8,420" in profile
        # The shared figure replaces the public estimate in the profile's header, marked as shared.
        assert re.search(
            r"Followers 8\.4k Instagram, shared by the creator, \d\d \w{3} \d{4} \(public estimate", profile
        )
        assert "Gender Women 70.0 % Men 26.0 %" in profile

        # A gift: a product typed in (no store connected), planned, ordered for the warehouse.
        products = brand.get("/gifting/products").text
        made = brand.post("/gifting/products", data={"csrf_token": csrf_from(products), "title": "Glow serum",
                                                     "variant_title": "30 ml", "price": "29.00", "currency": "EUR"})  # fmt: skip
        assert made.status_code == 303, text_of(made.text)
        gift_page = brand.get(f"{collaboration}/gift").text
        product = re.search(r'name="(qty_\d+)"', gift_page)
        assert product, text_of(gift_page)
        planned = brand.post(f"{collaboration}/gift", data={"csrf_token": token, product.group(1): "1",
                                                            "note": "Enjoy!"})  # fmt: skip
        assert planned.status_code == 303, text_of(planned.text)
        gift_page = brand.get(f"{collaboration}/gift").text
        assert "Hauptstraße 5" in text_of(gift_page), "the address from the portal is on the gift"
        gift_id = re.search(r'action="/gifts/(\d+)/status"', gift_page)
        assert gift_id, text_of(gift_page)
        ordered = brand.post(f"/gifts/{gift_id.group(1)}/status", data={"csrf_token": token, "status": "ordered"})
        assert ordered.status_code == 303, text_of(ordered.text)
        assert "Ordered" in text_of(brand.get(f"{collaboration}/gift").text)
        assert "Glow serum" in brand.get(f"/campaigns/{campaign_id}/gifts.csv").text
        ledger = text_of(brand.get(f"{campaign}/payments").text)
        assert "gift" in ledger and "€29.00" in ledger

        # Her draft without disclosure cannot be approved; the fixed one is, and goes to the UGC library.
        content = phone.get(f"{portal}/content").text
        submitted = phone.post(f"{portal}/content", data={"csrf_token": csrf_from(content), "title": "Morning reel",
                                                          "caption": BARE, "media_urls": "", "note": ""})  # fmt: skip
        assert submitted.status_code == 303, text_of(submitted.text)
        assert "It cannot be approved yet" in text_of(phone.get(f"{portal}/content").text)
        queue = brand.get("/approvals").text
        assert "Cannot be approved." in text_of(queue) and name in text_of(queue)
        blocked = re.findall(r"/approvals/versions/(\d+)/changes", queue)
        assert blocked, text_of(queue)
        refused = brand.post(f"/approvals/versions/{blocked[0]}/approve", data={"csrf_token": token,
                                                                               "next": "/approvals"})  # fmt: skip
        assert refused.status_code == 303
        shown = text_of(brand.get("/approvals").text)
        assert "Not approved." in shown and "No disclosure" in shown
        changes = brand.post(f"/approvals/versions/{blocked[0]}/changes", data={
            "csrf_token": token, "comment": "Please start the caption with #ad.", "next": "/approvals"})  # fmt: skip
        assert changes.status_code == 303
        content = phone.get(f"{portal}/content").text
        assert "Please start the caption with #ad." in text_of(content)
        piece = re.search(
            r'<select name="draft_id">\s*<option value="(\d+)"[^>]*>Morning reel \(new version\)', content
        )
        assert piece, "the portal offers a new version of the draft sent back"  # the browser sends the first option
        fixed = phone.post(f"{portal}/content", data={"csrf_token": csrf_from(content), "caption": f"{wording} {BARE}",
                                                      "draft_id": piece.group(1)})  # fmt: skip
        assert fixed.status_code == 303, text_of(fixed.text)
        queue = brand.get("/approvals").text
        approvable = re.findall(r"/approvals/versions/(\d+)/approve", queue)
        assert len(approvable) == 1 and approvable[0] != blocked[0]
        approved = brand.post(f"/approvals/versions/{approvable[0]}/approve", data={"csrf_token": token,
                                                                                   "next": "/approvals"})  # fmt: skip
        assert approved.status_code == 303
        ugc = text_of(brand.get("/ugc").text)
        assert "Morning reel" in ugc and name in ugc

        # The fee is paid, through the payments form on the collaboration's page.
        page = brand.get(collaboration).text
        paid = brand.post(f"{collaboration}/payments", data={"csrf_token": csrf_from(page), "kind": "fee",
                                                             "amount": "250", "currency": "EUR", "status": "paid",
                                                             "note": "Morning reel"})  # fmt: skip
        assert paid.status_code == 303, text_of(paid.text)
        assert "€250.00" in text_of(brand.get(f"{campaign}/payments").text)

        # Everything is on her timeline, as the brand reads it on her profile.
        profile = brand.get(f"/creators/{creator_id}").text
        timeline = text_of(re.search(r'<section class="card" id="timeline">(.*?)</section>', profile, re.S).group(1))  # type: ignore[union-attr]
        expected = [  # newest first
            "Payment: paid fee of 250.00 EUR",
            "Draft 'Morning reel' version 2 approved",
            "Draft 'Morning reel' version 2 submitted",
            "Changes requested on 'Morning reel' version 1",
            "Draft 'Morning reel' version 1 submitted (cannot be approved: disclosure)",
            "Gift ordered: for the warehouse (CSV)",
            "Gift planned: 1 × Glow serum (30 ml)",
            "Shared Instagram insights (audience and post figures)",
            "Gave a shipping address (Berlin, DE)",
            f"Signed the agreement (version 1) as {name}",
            "Accepted the offer for Winter glow journey",
            "Email sent: ",
        ]
        positions = [timeline.find(line) for line in expected]
        assert -1 not in positions and positions == sorted(positions), timeline.replace(" UTC ", "\n")
        assert "None" not in timeline and "Touchpoint" not in timeline


def _collaboration_of(client: TestClient, campaign: str, name: str) -> int:
    """The collaboration id of a creator, as the campaign's outreach page ticks it."""
    page = client.get(f"{campaign}/outreach").text
    found = re.findall(
        rf'name="collaboration_ids" value="(\d+)" aria-label="Choose {re.escape(html.escape(name))}"', page
    )
    assert len(found) == 1, f"{name} is not on the roster page once"
    return int(found[0])
