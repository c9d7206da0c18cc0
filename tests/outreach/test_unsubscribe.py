"""The opt-out link: a signed token, a confirmation step, RFC 8058 one-click, forged links refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.outreach import mail
from grassroots.outreach.models import MessageStatus, OptOut, OutboundMessage
from tests.support import make_user, workspace_id


def _opt_outs(engine: Engine) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        return [(o.email, o.how) for o in session.scalars(select(OptOut))]


def test_the_link_asks_first_and_then_records_the_opt_out(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    make_user(engine)
    token = mail.unsubscribe_token(settings, workspace_id(engine), "Maya@Creator.test")
    page = client.get(f"/o/unsubscribe/{token}")
    assert page.status_code == 200 and "maya@creator.test" in page.text and _opt_outs(engine) == []
    done = client.post(f"/o/unsubscribe/{token}")
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert _opt_outs(engine) == [("maya@creator.test", "link")]
    assert client.post(f"/o/unsubscribe/{token}").status_code == 200  # twice is fine
    assert len(_opt_outs(engine)) == 1


def test_one_click_from_the_mail_provider_blocks_waiting_mail(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    make_user(engine)
    ws = workspace_id(engine)
    with session_scope(engine) as session:
        message = mail.queue_message(session, settings, ws, to="maya@creator.test", subject="Hi", body="Hello",
                                     key="k1")  # fmt: skip
        link = message.headers["List-Unsubscribe"].split(">")[0].lstrip("<")
    path = link.removeprefix(settings.base_url)
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _opt_outs(engine) == [("maya@creator.test", "one-click")]
    with session_scope(engine) as session:
        assert session.scalar(select(OutboundMessage.status)) == MessageStatus.blocked_opt_out


def test_a_forged_or_foreign_token_is_refused(client: TestClient, engine: Engine, settings: Settings) -> None:
    make_user(engine)
    other = Settings(data_dir=settings.data_dir, secret_key="another-secret")
    forged = mail.unsubscribe_token(other, workspace_id(engine), "maya@creator.test")
    assert client.get(f"/o/unsubscribe/{forged}").status_code == 404
    assert client.post(f"/o/unsubscribe/{forged}").status_code == 404
    assert client.post("/o/unsubscribe/garbage").status_code == 404
    assert _opt_outs(engine) == []
