"""Drafts from the campaign page → review one by one → send: what lands in the SMTP sink, opt-outs, other workspaces."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Collaboration, Stage
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.jobs.runner import Runner, load_handlers
from grassroots.outreach import mail
from grassroots.outreach.models import DraftStatus, OutboundMessage, OutreachDraft
from tests.outreach.conftest import Sink
from tests.outreach.world import World, make_world
from tests.support import csrf_from, login, make_user

load_handlers()


def _drafts(engine: Engine) -> dict[int, OutreachDraft]:
    with session_scope(engine) as session:
        rows = {d.collaboration_id: d for d in session.scalars(select(OutreachDraft).order_by(OutreachDraft.id))}
        session.expunge_all()
        return rows


def _draft_all(client: TestClient, world: World) -> str:
    page = client.get(f"/campaigns/{world.campaign_id}/outreach")
    ids = [str(i) for i in world.collaborations.values()]
    response = client.post(f"/campaigns/{world.campaign_id}/outreach/drafts",
                           data={"csrf_token": csrf_from(page.text), "collaboration_ids": ids})  # fmt: skip
    assert response.status_code == 303 and response.headers["location"].startswith("/outreach/drafts/")
    return response.headers["location"]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_draft_review_and_send_lands_in_the_sink_with_the_cited_post_and_portal_link(
    owner_client: TestClient, engine: Engine, settings: Settings, sink: Sink
) -> None:
    world = make_world(engine)
    campaign = owner_client.get(f"/campaigns/{world.campaign_id}")
    assert f'href="/campaigns/{world.campaign_id}/outreach"' in campaign.text and "Draft outreach" in campaign.text
    roster = _text(owner_client.get(f"/campaigns/{world.campaign_id}/outreach").text)
    assert "Maya Lopez" in roster and "not written to" in roster and "at most 2" in roster
    first = _draft_all(owner_client, world)
    drafts = _drafts(engine)
    maya, lucia, noor = (drafts[world.collaborations[h]] for h in ("maya.bakes", "lucia.cocina", "noor.makes"))
    assert first == f"/outreach/drafts/{maya.id}"
    assert lucia.language == "es" and lucia.body.startswith("Hola Lucía")
    assert noor.post_url is None and "[Write one personal line" in noor.body
    queue_html = owner_client.get("/outreach").text
    queue = _text(queue_html)
    assert "Drafts to review 3" in queue and "Sent 0" in queue and "no recent post" in queue
    assert '<a href="/outreach" class="active">' in queue_html  # the navigation says where you are
    assert '<a href="/campaigns" class="active">' not in queue_html

    page = owner_client.get(first)
    seen = _text(page.text)
    assert "First message to Maya Lopez" in seen and "Written in: English" in seen and "3 drafts waiting" in seen
    assert "Cites their post: https://www.instagram.com/p/MAYA1/" in seen and "Tartine Bakery" in seen
    assert "None" not in seen and "OutreachDraft" not in seen
    body = maya.body.replace("Warmly,", "Warmly, and see you soon,")
    sent = owner_client.post(f"/outreach/drafts/{maya.id}/send",
                             data={"csrf_token": csrf_from(page.text), "subject": "Your Tartine Bakery bake",
                                   "body": body})  # fmt: skip
    assert sent.status_code == 303 and sent.headers["location"] == f"/outreach/drafts/{lucia.id}"
    assert sink.received == [], "sending goes through the mail queue"
    Runner(engine, settings, lease_seconds=60).run_due()
    [got] = sink.received
    text = got.get_payload(decode=True).decode()
    assert got["To"] == "maya@creator.test" and got["Subject"] == "Your Tartine Bakery bake"
    assert "https://www.instagram.com/p/MAYA1/" in text and "the part about Tartine Bakery" in text
    assert maya.portal_url.startswith(f"{settings.base_url}/p/") and maya.portal_url in text
    assert "see you soon" in text and "/o/unsubscribe/" in text
    with session_scope(engine) as session:
        assert session.get(Collaboration, world.collaborations["maya.bakes"]).stage == Stage.contacted  # type: ignore[union-attr]
    profile = _text(owner_client.get(f"/creators/{world.creators['maya.bakes']}").text)
    assert "Timeline" in profile and "Email sent: Your Tartine Bakery bake" in profile
    view = _text(
        owner_client.get(
            f"/campaigns/{world.campaign_id}/collaborations/{world.collaborations['maya.bakes']}/outreach"
        ).text
    )
    assert "Email sent: Your Tartine Bakery bake" in view and "sent" in view


def test_a_draft_without_a_post_cannot_be_sent_until_the_personal_line_is_written(
    owner_client: TestClient, engine: Engine, settings: Settings, sink: Sink
) -> None:
    world = make_world(engine)
    _draft_all(owner_client, world)
    noor = _drafts(engine)[world.collaborations["noor.makes"]]
    page = owner_client.get(f"/outreach/drafts/{noor.id}")
    assert "has no recent post we could cite" in _text(page.text)
    token = csrf_from(page.text)
    refused = owner_client.post(f"/outreach/drafts/{noor.id}/send",
                                data={"csrf_token": token, "subject": noor.subject, "body": noor.body})  # fmt: skip
    assert refused.status_code == 400 and "Write the personal line first" in _text(refused.text)
    edited = re.sub(r"\[Write one personal line here[^\]]*\]", "Your ceramics stall at the Saturday market made my week.",
                    noor.body)  # fmt: skip
    saved = owner_client.post(f"/outreach/drafts/{noor.id}/save",
                              data={"csrf_token": token, "subject": noor.subject, "body": edited})  # fmt: skip
    assert saved.status_code == 303 and _drafts(engine)[world.collaborations["noor.makes"]].body == edited
    ok = owner_client.post(f"/outreach/drafts/{noor.id}/send",
                           data={"csrf_token": token, "subject": noor.subject, "body": edited})  # fmt: skip
    assert ok.status_code == 303
    Runner(engine, settings, lease_seconds=60).run_due()
    assert "ceramics stall" in sink.received[0].get_payload(decode=True).decode()


def test_an_opted_out_address_shows_on_the_draft_and_cannot_be_sent(
    owner_client: TestClient, engine: Engine, settings: Settings, sink: Sink
) -> None:
    world = make_world(engine)
    with session_scope(engine) as session:
        mail.record_opt_out(session, world.workspace_id, "LUCIA@creator.test", "by hand")
    _draft_all(owner_client, world)
    lucia = _drafts(engine)[world.collaborations["lucia.cocina"]]
    page = owner_client.get(f"/outreach/drafts/{lucia.id}")
    assert "opted out" in _text(page.text) and re.search(r'formaction="[^"]+/send" disabled', page.text)
    refused = owner_client.post(f"/outreach/drafts/{lucia.id}/send",
                                data={"csrf_token": csrf_from(page.text), "subject": "Hola", "body": lucia.body})  # fmt: skip
    assert refused.status_code == 400 and "opted out" in refused.text
    with session_scope(engine) as session:
        assert session.scalars(select(OutboundMessage)).all() == []
    assert _drafts(engine)[lucia.collaboration_id].status == DraftStatus.draft
    Runner(engine, settings, lease_seconds=60).run_due()
    assert sink.received == []


def test_skip_leaves_nothing_sent_and_opens_the_next(owner_client: TestClient, engine: Engine) -> None:
    world = make_world(engine)
    first = _draft_all(owner_client, world)
    page = owner_client.get(first)
    skipped = owner_client.post(f"{first}/skip", data={"csrf_token": csrf_from(page.text)})
    assert skipped.status_code == 303 and skipped.headers["location"] != first
    again = _text(owner_client.get(first).text)
    assert "This draft was skipped by owner@brand.test" in again
    assert owner_client.post(f"{first}/skip", data={"csrf_token": csrf_from(page.text)}).status_code == 303


def test_templates_are_editable_and_unknown_placeholders_are_refused(owner_client: TestClient, engine: Engine) -> None:
    world = make_world(engine)
    page = owner_client.get("/outreach/templates?kind=intro&language=en")
    assert "built-in wording" in page.text and "{portal_link}" in page.text
    token = csrf_from(page.text)
    bad = owner_client.post("/outreach/templates", data={"csrf_token": token, "kind": "intro", "language": "en",
                                                         "subject": "Hi {firstname}", "body": "{portal_link}"})  # fmt: skip
    assert bad.status_code == 400 and "Unknown placeholder {firstname}" in bad.text and "Hi {firstname}" in bad.text
    good = owner_client.post("/outreach/templates", data={
        "csrf_token": token, "kind": "intro", "language": "en", "subject": "{first_name}, a {brand} idea",
        "body": "Hey {first_name}! {post_detail} looked amazing ({post_link}).\n\nDetails: {portal_link}"})  # fmt: skip
    assert good.status_code == 303
    assert "your wording" in owner_client.get("/outreach/templates?kind=intro&language=en").text
    _draft_all(owner_client, world)
    maya = _drafts(engine)[world.collaborations["maya.bakes"]]
    assert maya.subject == "Maya, a Brand idea" and maya.body.startswith("Hey Maya! Tartine Bakery looked amazing")


def test_another_workspace_cannot_see_or_act_on_drafts(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    world = make_world(engine)
    login(client, "owner@brand.test")
    _draft_all(client, world)
    draft_id = next(iter(_drafts(engine).values())).id
    collab = world.collaborations["maya.bakes"]
    make_user(engine, "owner@else.test", ws="Else")
    login(client, "owner@else.test")
    token = csrf_from(client.get("/outreach").text)
    assert client.get(f"/outreach/drafts/{draft_id}").status_code == 404
    assert client.get(f"/campaigns/{world.campaign_id}/outreach").status_code == 404
    assert client.get(f"/campaigns/{world.campaign_id}/collaborations/{collab}/outreach").status_code == 404
    posts = [
        (f"/outreach/drafts/{draft_id}/send", {"subject": "x", "body": "y"}),
        (f"/outreach/drafts/{draft_id}/save", {"subject": "x", "body": "y"}),
        (f"/outreach/drafts/{draft_id}/skip", {}),
        (f"/campaigns/{world.campaign_id}/outreach/drafts", {"collaboration_ids": str(collab)}),
        (f"/campaigns/{world.campaign_id}/outreach/settings", {"max_follow_ups": "1"}),
        (f"/campaigns/{world.campaign_id}/collaborations/{collab}/outreach/reply", {}),
        (f"/campaigns/{world.campaign_id}/collaborations/{collab}/outreach/draft", {}),
    ]
    for path, data in posts:
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    assert "Drafts to review 0" in _text(client.get("/outreach").text)
    own = {
        "csrf_token": token,
        "kind": "intro",
        "language": "en",
        "subject": "Else {first_name}",
        "body": "{portal_link}",
    }
    assert client.post("/outreach/templates", data=own).status_code == 303
    login(client, "owner@brand.test")
    assert "built-in wording" in client.get("/outreach/templates?kind=intro&language=en").text, "templates stay apart"
    assert all(d.status == DraftStatus.draft for d in _drafts(engine).values())


def test_the_queue_shows_a_bounce_as_a_person_reads_it(
    owner_client: TestClient, engine: Engine, settings: Settings, sink: Sink
) -> None:
    world = make_world(engine)
    first = _draft_all(owner_client, world)
    page = owner_client.get(first)
    maya = _drafts(engine)[world.collaborations["maya.bakes"]]
    sink.handler.reply = "550 5.1.1 No such user"
    owner_client.post(f"{first}/send", data={"csrf_token": csrf_from(page.text), "subject": maya.subject,
                                             "body": maya.body})  # fmt: skip
    Runner(engine, settings, lease_seconds=60).run_due()
    queue = _text(owner_client.get("/outreach").text)
    assert "Failed or bounced 1" in queue and "Drafts to review 2" in queue
    assert "bounced 550 5.1.1 No such user" in queue and "maya@creator.test" in queue
    assert "MessageStatus" not in queue and "None" not in queue
    profile = _text(owner_client.get(f"/creators/{world.creators['maya.bakes']}").text)
    assert "Email bounced: " + maya.subject in profile
