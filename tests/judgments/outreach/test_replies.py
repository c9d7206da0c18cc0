"""Reading real RFC 5322 replies: the Message-IDs they answer, the sender, the new text, machines told apart."""

from __future__ import annotations

from email.message import EmailMessage

from grassroots.judgments.outreach.replies import read_mail


def _reply(**headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Maya Lopez <Maya@Creator.test>")
    message["To"] = "hello@brand.test"
    message["Subject"] = "Re: Crumb × Maya: we loved your post"
    message["Message-ID"] = "<reply-1@creator.test>"
    message["Date"] = "Mon, 07 Dec 2026 10:00:00 +0000"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Yes, I'd love to!\n\nOn Mon, Dec 7, 2026 at 9:00 Crumb wrote:\n> Hi Maya,\n> ...\n")
    return message.as_bytes()


def test_a_reply_names_the_message_it_answers_and_keeps_only_the_new_text() -> None:
    mail = read_mail(_reply(In_Reply_To="<abc@brand.test>", References="<root@brand.test> <abc@brand.test>"))
    assert mail.answers == ["<abc@brand.test>", "<root@brand.test>"]
    assert mail.from_email == "maya@creator.test" and mail.message_id == "<reply-1@creator.test>"
    assert mail.snippet == "Yes, I'd love to!" and not mail.automatic
    assert mail.received_at is not None and mail.received_at.tzinfo is not None


def test_a_reply_without_threading_headers_still_has_its_sender() -> None:
    mail = read_mail(_reply())
    assert mail.answers == [] and mail.from_email == "maya@creator.test"


def test_auto_replies_and_delivery_reports_are_not_replies() -> None:
    assert read_mail(_reply(Auto_Submitted="auto-replied", In_Reply_To="<abc@brand.test>")).automatic
    assert read_mail(_reply(X_Autoreply="yes")).automatic
    assert read_mail(_reply(Precedence="bulk")).automatic
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@mx.test"
    report.set_content("delivery failed")
    report.make_mixed()
    report.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"; boundary="b"')
    assert read_mail(report.as_bytes()).automatic
