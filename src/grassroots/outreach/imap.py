"""Replies read from a mailbox over IMAP (imaplib): new messages only, each processed once.

The folder is opened read-only and messages are fetched with BODY.PEEK[], so the mailbox looks untouched to
the people who read it. Every UID read is recorded (``imap_seen``, per mailbox and UIDVALIDITY) in the same
transaction as the reply it produced, so a crash mid-poll re-reads at most the message in hand, and a reply
already recorded (same Message-ID) is never recorded twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
from dataclasses import dataclass
from functools import partial

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.db.session import write_unit
from grassroots.judgments.outreach.replies import read_mail
from grassroots.outreach import replies
from grassroots.outreach.models import ImapSeen

_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
BATCH = 200  # messages per poll; the next poll continues


class MailboxError(Exception):
    """The mailbox could not be read (unreachable, refused the login, no such folder)."""


@dataclass
class PollResult:
    """What one poll did."""

    read: int = 0
    recorded: int = 0
    unmatched: int = 0
    automatic: int = 0


def mailbox_name(settings: Settings) -> str:
    """How the seen-table names this mailbox."""
    return f"{settings.imap_user}@{settings.imap_host}/{settings.imap_folder}"[:400]


def _connect(settings: Settings) -> imaplib.IMAP4:
    kind = imaplib.IMAP4_SSL if settings.imap_ssl else imaplib.IMAP4
    box = kind(settings.imap_host, settings.imap_port, timeout=settings.smtp_timeout)
    box.login(settings.imap_user, settings.imap_password)
    typ, _ = box.select(_quoted(settings.imap_folder), readonly=True)
    if typ != "OK":
        raise MailboxError(f"the folder {settings.imap_folder!r} cannot be opened")
    return box


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uid_validity(box: imaplib.IMAP4, folder: str) -> int:
    _, data = box.response("UIDVALIDITY")
    for item in data or []:
        if isinstance(item, bytes) and item.isdigit():
            return int(item)
    typ, status = box.status(_quoted(folder), "(UIDVALIDITY)")  # some servers only answer STATUS
    found = _UIDVALIDITY.search(status[0] if status and isinstance(status[0], bytes) else b"")
    return int(found.group(1)) if typ == "OK" and found else 0


def _last_seen(session: Session, mailbox: str, validity: int) -> int:
    stmt = select(func.max(ImapSeen.uid)).where(ImapSeen.mailbox == mailbox, ImapSeen.uid_validity == validity)
    return session.scalar(stmt) or 0


def _new_uids(box: imaplib.IMAP4, after: int) -> list[int]:
    typ, data = box.uid("SEARCH", f"UID {after + 1}:*")
    if typ != "OK":
        raise MailboxError("the mailbox refused to search")
    # "n:*" always includes the newest message, even when its UID is below n (RFC 3501).
    return sorted(u for u in (int(x) for x in b" ".join(d for d in data if d).split()) if u > after)[:BATCH]


def _fetch(box: imaplib.IMAP4, uid: int) -> bytes | None:
    typ, data = box.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    return None


def _process(session: Session, mailbox: str, validity: int, uid: int, raw: bytes | None, result: PollResult) -> None:
    seen = select(ImapSeen.id).where(ImapSeen.mailbox == mailbox, ImapSeen.uid_validity == validity,
                                     ImapSeen.uid == uid)  # fmt: skip
    if session.scalar(seen) is not None:
        return
    outcome, workspace_id = "unreadable", None
    if raw is not None:
        mail = read_mail(raw)
        if mail.automatic:
            outcome = "automatic"
            result.automatic += 1
        else:
            recorded = replies.record_incoming(session, mail)
            outcome = "recorded" if recorded else "unmatched"
            workspace_id = recorded[0].workspace_id if recorded else None
            result.recorded += len(recorded)
            result.unmatched += 0 if recorded else 1
    session.add(ImapSeen(workspace_id=workspace_id, mailbox=mailbox, uid_validity=validity, uid=uid,
                         outcome=outcome))  # fmt: skip
    result.read += 1


def poll(engine: Engine, settings: Settings) -> PollResult:
    """Read the mailbox's new messages and record those that answer our mail."""
    result, mailbox = PollResult(), mailbox_name(settings)
    try:
        box = _connect(settings)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise MailboxError(f"IMAP {settings.imap_host}:{settings.imap_port}: {exc}") from exc
    try:
        validity = _uid_validity(box, settings.imap_folder)
        last = write_unit(engine, lambda s: _last_seen(s, mailbox, validity))
        for uid in _new_uids(box, last):
            raw = _fetch(box, uid)
            write_unit(engine, partial(_process, mailbox=mailbox, validity=validity, uid=uid, raw=raw, result=result))
    except (imaplib.IMAP4.error, OSError) as exc:
        raise MailboxError(f"IMAP {settings.imap_host}: {exc}") from exc
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            box.logout()
    return result
