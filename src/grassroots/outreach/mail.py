"""Reliable email: queue a message (with its job, in one transaction), send it from a job over SMTP, honour
opt-outs and the daily cap, and record every outcome.

Exactly-once as far as SMTP allows: the message row is the idempotency record. It is marked ``sending``
(committed) before the SMTP call and ``sent`` after the server's 250; a sent message is never sent again.
A message found in ``sending`` was interrupted between those two commits; it is sent again with the same
deterministic Message-ID (receivers collapse duplicates by it) and the resend is recorded in ``last_error``.
"""

from __future__ import annotations

import hashlib
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import write_unit
from grassroots.errors import InvalidInput, NotFound
from grassroots.jobs import queue
from grassroots.jobs.queue import Defer, JobContext, PermanentFailure, RetryLater
from grassroots.outreach import touchpoints
from grassroots.outreach.models import MessageStatus, OptOut, OutboundMessage

SEND_JOB = "outreach.send"
UNSUBSCRIBE_SALT = "grassroots-unsubscribe"
DONE = (MessageStatus.sent, MessageStatus.blocked_opt_out)
# Folding at 78 characters would RFC 2047-encode the long unsubscribe URL, which mail clients then cannot use;
# 998 is SMTP's own line limit.
RESENT = "resent"
RESENT_NOTE = "resent after an interrupted attempt, with the same Message-ID"
HEADER_POLICY = email_policy.default.clone(max_line_length=998)


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.ensure_secret_key(), salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(settings: Settings, workspace_id: int, email: str) -> str:
    """A signed token naming the workspace and the address (it never expires: an opt-out link must work)."""
    return _serializer(settings).dumps({"w": workspace_id, "e": email.strip().lower()})


def read_unsubscribe_token(settings: Settings, token: str) -> tuple[int, str]:
    """The workspace and address of a token; a forged or damaged one is a 404."""
    try:
        data = _serializer(settings).loads(token)
        return int(data["w"]), str(data["e"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("This unsubscribe link is not valid.") from None


def is_opted_out(session: Session, workspace_id: int, email: str) -> bool:
    """Whether the address asked this workspace to stop writing."""
    query = select(OptOut.id).where(OptOut.workspace_id == workspace_id, OptOut.email == email.strip().lower())
    return session.scalar(query) is not None


def record_opt_out(session: Session, workspace_id: int, email: str, how: str) -> None:
    """Record an opt-out (idempotent) and block every message still waiting for that address."""
    address = email.strip().lower()
    if not is_opted_out(session, workspace_id, address):
        session.add(OptOut(workspace_id=workspace_id, email=address, how=how))
    session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.workspace_id == workspace_id,
            func.lower(OutboundMessage.to_email) == address,
            OutboundMessage.status.in_((MessageStatus.queued, MessageStatus.failed)),
        )
        .values(status=MessageStatus.blocked_opt_out, last_error="the recipient opted out")
        .execution_options(synchronize_session=False)
    )
    session.flush()


def _message_id(workspace_id: int, key: str, sender: str) -> str:
    digest = hashlib.sha256(f"{workspace_id}:{key}".encode()).hexdigest()[:32]
    domain = sender.rsplit("@", 1)[-1].strip(">") or "grassroots.local"
    return f"<{digest}@{domain}>"


def queue_message(
    session: Session,
    settings: Settings,
    workspace_id: int,
    *,
    to: str,
    subject: str,
    body: str,
    key: str,
    creator_id: int | None = None,
    send_at: datetime | None = None,
    extra_headers: dict[str, str] | None = None,
) -> OutboundMessage:
    """Store a message and its send job in the caller's transaction; the same ``key`` returns the same message.

    An opted-out address gets a ``blocked_opt_out`` row and no job.
    """
    if "@" not in to or "\n" in to or "\r" in to:
        raise InvalidInput("not an email address", {"to": "an email address"})
    existing = session.scalar(
        select(OutboundMessage).where(
            OutboundMessage.workspace_id == workspace_id, OutboundMessage.idempotency_key == key
        )
    )
    if existing is not None:
        return existing
    sender = settings.smtp_from or f"grassroots@{settings.host}"
    link = f"{settings.base_url}/o/unsubscribe/{unsubscribe_token(settings, workspace_id, to)}"
    headers = {
        "List-Unsubscribe": f"<{link}>, <mailto:{sender}?subject={quote('unsubscribe')}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058 one-click
        **{k: " ".join(v.split()) for k, v in (extra_headers or {}).items()},  # e.g. In-Reply-To of a follow-up
    }
    text = f"{body.rstrip()}\n\n--\nNo more emails from us: {link}\n"
    message = OutboundMessage(
        workspace_id=workspace_id, idempotency_key=key, creator_id=creator_id, to_email=to.strip(),
        from_email=sender, subject=" ".join(subject.split()), body_text=text, headers=headers,
        message_id=_message_id(workspace_id, key, sender), status=MessageStatus.queued, attempts=0,
    )  # fmt: skip
    if is_opted_out(session, workspace_id, to):
        message.status, message.last_error = MessageStatus.blocked_opt_out, "the recipient opted out"
    session.add(message)
    session.flush()
    if message.status == MessageStatus.queued:
        queue.enqueue(session, SEND_JOB, {"message_id": message.id}, workspace_id=workspace_id,
                      key=f"{SEND_JOB}:{message.id}", run_at=send_at)  # fmt: skip
    return message


def _email(message: OutboundMessage) -> EmailMessage:
    email = EmailMessage(policy=HEADER_POLICY)
    email["From"], email["To"], email["Subject"] = message.from_email, message.to_email, message.subject
    email["Message-ID"], email["Date"] = message.message_id, formatdate(localtime=False, usegmt=True)
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body_text)
    return email


def _next_day(now: datetime) -> datetime:
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def _sent_today(session: Session, workspace_id: int, now: datetime, but: int) -> int:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        session.scalar(
            select(func.count())
            .select_from(OutboundMessage)
            .where(
                OutboundMessage.workspace_id == workspace_id,
                OutboundMessage.id != but,
                OutboundMessage.status.in_((MessageStatus.sent, MessageStatus.sending)),
                OutboundMessage.sending_at >= midnight,
                OutboundMessage.sending_at < _next_day(now),
            )
        )
        or 0
    )


def _begin(session: Session, ctx: JobContext, message_id: int) -> EmailMessage | None:
    """Check and mark the message ``sending`` (committed by the caller); None when there is nothing to send."""
    message = session.get(OutboundMessage, message_id)
    if message is None or message.workspace_id != ctx.workspace_id or message.status in DONE:
        return None
    if is_opted_out(session, message.workspace_id, message.to_email):
        message.status, message.last_error = MessageStatus.blocked_opt_out, "the recipient opted out"
        return None
    cap = ctx.settings.mail_daily_cap
    if _sent_today(session, message.workspace_id, ctx.now, message.id) >= cap:
        raise Defer(f"daily cap of {cap} messages reached; sending tomorrow", _next_day(ctx.now))
    if message.status == MessageStatus.sending:
        message.last_error = RESENT_NOTE
    message.status, message.sending_at, message.attempts = MessageStatus.sending, ctx.now, message.attempts + 1
    return _email(message)


def _record(ctx: JobContext, message_id: int, status: MessageStatus, error: str | None) -> None:
    def work(session: Session) -> None:
        message = session.get(OutboundMessage, message_id)
        if message is not None and message.status == MessageStatus.sending:
            resent = (message.last_error or "").startswith(RESENT)
            message.status, message.last_error = status, error
            if status == MessageStatus.sent:
                message.sent_at = utcnow()
                message.last_error = RESENT_NOTE if resent else None  # a resend stays on the record
            if status in (MessageStatus.sent, MessageStatus.bounced):
                touchpoints.message_outcome(session, message)

    write_unit(ctx.engine, work)


@dataclass(frozen=True)
class SmtpOutcome:
    """How an SMTP attempt ended: delivered, a temporary failure, or a permanent one (a bounce)."""

    status: MessageStatus
    error: str | None = None


def deliver(settings: Settings, email: EmailMessage) -> SmtpOutcome:
    """One SMTP transaction; 4xx and connection errors are temporary, 5xx permanent."""
    if not settings.smtp_host:
        return SmtpOutcome(MessageStatus.queued, "SMTP is not configured (set GRASSROOTS_SMTP_HOST)")
    try:
        smtp_class = smtplib.SMTP_SSL if settings.smtp_tls == "ssl" else smtplib.SMTP
        with smtp_class(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout) as smtp:
            if settings.smtp_tls == "starttls":
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        return _by_code(code, reply)
    except smtplib.SMTPResponseException as exc:
        return _by_code(exc.smtp_code, exc.smtp_error)
    except (smtplib.SMTPException, OSError) as exc:
        return SmtpOutcome(MessageStatus.queued, f"SMTP server unreachable: {exc}")
    return SmtpOutcome(MessageStatus.sent)


def _by_code(code: int, reply: bytes | str) -> SmtpOutcome:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    status = MessageStatus.bounced if 500 <= code < 600 else MessageStatus.queued
    return SmtpOutcome(status, f"{code} {text}")


@queue.handler(SEND_JOB)
def send_job(ctx: JobContext, payload: dict[str, object]) -> None:
    """The send job: at most one SMTP transaction per attempt; outcomes recorded on the message."""
    message_id = int(str(payload["message_id"]))
    email = write_unit(ctx.engine, lambda session: _begin(session, ctx, message_id))
    if email is None:
        return
    outcome = deliver(ctx.settings, email)
    if outcome.status == MessageStatus.sent:
        _record(ctx, message_id, MessageStatus.sent, None)
    elif outcome.status == MessageStatus.bounced:
        _record(ctx, message_id, MessageStatus.bounced, outcome.error)
        raise PermanentFailure(f"bounced: {outcome.error}")
    else:
        final = MessageStatus.failed if ctx.last_attempt else MessageStatus.queued
        _record(ctx, message_id, final, outcome.error)
        raise RetryLater(outcome.error or "temporary failure")


def unsubscribe(session: Session, settings: Settings, token: str, how: str) -> str:
    """Record the opt-out a signed link names; the address."""
    workspace_id, email = read_unsubscribe_token(settings, token)
    record_opt_out(session, workspace_id, email, how)
    return email
