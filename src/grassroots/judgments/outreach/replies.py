"""Reading an incoming email (RFC 5322) for what matching it to our messages needs: the Message-IDs it answers,
who sent it, whether a machine wrote it, and a short snippet of the new text (quoted history left out)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

SNIPPET_MAX = 400
_MSGID = re.compile(r"<[^<>\s]+>")
_QUOTE_HEADER = re.compile(r"^(On .+wrote:|El .+escribió:|Am .+schrieb .+:|Le .+a écrit :)\s*$")


@dataclass(frozen=True)
class IncomingMail:
    """What matters about a received message."""

    message_id: str | None
    answers: list[str]  # In-Reply-To first, then References newest first: our Message-IDs to look for
    from_email: str | None
    subject: str
    snippet: str
    automatic: bool  # an auto-reply, an out-of-office or a delivery report: not a person answering
    received_at: datetime | None


def message_ids(value: str | None) -> list[str]:
    """Every ``<id@host>`` in a header value, in order."""
    return _MSGID.findall(value or "")


def is_automatic(message: EmailMessage) -> bool:
    """Auto-Submitted (RFC 3834), common auto-reply headers, bulk precedence or a delivery status report."""
    auto = (message.get("Auto-Submitted") or "no").strip().lower()
    if auto != "no" or message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if (message.get("Precedence") or "").strip().lower() in {"bulk", "auto_reply", "junk"}:
        return True
    return message.get_content_type() == "multipart/report"


def new_text(message: EmailMessage) -> str:
    """The plain-text body without the quoted earlier message."""
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        text = part.get_content() if isinstance(part, EmailMessage) else ""
    except (LookupError, ValueError):
        return ""
    lines = []
    for line in str(text).splitlines():
        if line.startswith(">") or _QUOTE_HEADER.match(line.strip()):
            break
        lines.append(line)
    return " ".join(" ".join(lines).split())


def read_mail(raw: bytes) -> IncomingMail:
    """Parse a raw message as it came from the mailbox."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    answers = message_ids(str(message.get("In-Reply-To") or ""))
    answers += [i for i in reversed(message_ids(str(message.get("References") or ""))) if i not in answers]
    addresses = [a for _, a in getaddresses([str(message.get("From") or "")]) if "@" in a]
    try:
        received = parsedate_to_datetime(str(message.get("Date"))) if message.get("Date") else None
    except (TypeError, ValueError):
        received = None
    if received is not None and received.tzinfo is None:
        received = None  # a date without a zone cannot be placed in time
    ids = message_ids(str(message.get("Message-ID") or ""))
    snippet = new_text(message)
    return IncomingMail(
        message_id=ids[0] if ids else None,
        answers=answers,
        from_email=addresses[0].strip().lower() if addresses else None,
        subject=" ".join(str(message.get("Subject") or "").split())[:500],
        snippet=snippet[:SNIPPET_MAX] + ("…" if len(snippet) > SNIPPET_MAX else ""),
        automatic=is_automatic(message),
        received_at=received,
    )
