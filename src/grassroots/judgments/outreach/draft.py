"""A personal draft from a template and the creator's own recent post: pure text, no database.

Never generic: without a recent post the lines that would cite it are replaced by PERSONAL_LINE, which tells
the person reviewing to write that line themselves, and the draft cannot be sent while the marker is there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grassroots.judgments.language.language_id import UNDETERMINED, detect_language
from grassroots.judgments.outreach import wording
from grassroots.judgments.outreach.personal import concrete_detail, post_topic

PERSONAL_LINE = "[Write one personal line here about something {first_name} made: we found no recent post to cite.]"
_MARKER = re.compile(r"\[Write one personal line here[^\]]*\]")


@dataclass(frozen=True)
class PostFacts:
    """The creator's recent post, as the draft needs it."""

    caption: str
    url: str | None
    hashtags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DraftInputs:
    """Everything a draft is built from."""

    kind: str
    display_name: str
    handle: str
    brand: str
    campaign: str
    portal_link: str
    sender: str
    post: PostFacts | None = None
    known_language: str | None = None  # the account's language, when the caption is too short to tell
    original_subject: str = ""
    own: dict[tuple[str, str], wording.Wording] = field(default_factory=dict)


@dataclass(frozen=True)
class DraftText:
    """A draft's subject and body, the language it is written in, and notes for the person reviewing it."""

    subject: str
    body: str
    language: str
    notes: list[str]
    needs_personal_line: bool
    topic: str | None = None
    detail: str | None = None


def first_name(display_name: str, handle: str) -> str:
    """'Maya Lopez' -> 'Maya'; a display name that is only a handle gives the handle without '@'."""
    name = (display_name or "").strip().lstrip("@").split()
    if name and any(ch.isalpha() for ch in name[0]):
        return name[0][:1].upper() + name[0][1:] if name[0].islower() and "_" not in name[0] else name[0]
    return (handle or "there").lstrip("@")


def draft_language(inputs: DraftInputs) -> str:
    """The language of the creator's own words (their caption), else of their account, else English."""
    if inputs.post is not None:
        detected = detect_language(inputs.post.caption)
        if detected != UNDETERMINED:
            return detected
    return (inputs.known_language or wording.DEFAULT_LANGUAGE).split("-")[0].lower() or wording.DEFAULT_LANGUAGE


def _without_post_lines(text: str, name: str) -> str:
    """Replace every line that cites the post with the personal-line marker (once)."""
    lines, marked = [], False
    for line in text.split("\n"):
        if any("{" + p + "}" in line for p in wording.POST_PLACEHOLDERS):
            if not marked:
                lines.append(PERSONAL_LINE.format(first_name=name))
                marked = True
            continue
        lines.append(line)
    return "\n".join(lines)


def build_draft(inputs: DraftInputs) -> DraftText:
    """The draft for one creator: the template in their language, citing their recent post."""
    language = draft_language(inputs)
    chosen, used = wording.choose(inputs.kind, language, inputs.own)
    notes: list[str] = []
    if used != language:
        notes.append(
            f"Written in {wording.language_name(used)}: the creator writes in {wording.language_name(language)} "
            f"and there is no {wording.language_name(language)} wording yet (add one under outreach templates)."
        )
    name = first_name(inputs.display_name, inputs.handle)
    topic = detail = None
    if inputs.post is not None:
        topic = post_topic(inputs.post.caption)
        detail = concrete_detail(inputs.post.caption, inputs.post.hashtags)
    values = {"first_name": name, "brand": inputs.brand, "campaign": inputs.campaign,
              "portal_link": inputs.portal_link, "sender": inputs.sender,
              "original_subject": inputs.original_subject, "post_link": (inputs.post.url or "") if inputs.post else "",
              "post_topic": topic or "", "post_detail": detail or ""}  # fmt: skip
    body, subject = chosen.body, chosen.subject
    cites = any("{" + p + "}" in body for p in wording.POST_PLACEHOLDERS)
    missing = cites and (inputs.post is None or not topic or not detail or not inputs.post.url)
    if missing:
        body = _without_post_lines(body, name)
        if chosen is wording.BUILT_IN.get((inputs.kind, used)) and inputs.kind == wording.INTRO:
            subject = wording.NO_POST_SUBJECTS.get(used, subject)
        subject = _without_post_lines(subject, name) if "{post_" in subject else subject
        notes.append(
            f"{name} has no recent post we could cite"
            + (" (the latest has no caption or link)." if inputs.post is not None else ".")
            + " Write the personal line yourself before sending."
        )
    return DraftText(
        subject=" ".join(wording.fill(subject, values).split()),
        body=wording.fill(body, values),
        language=used,
        notes=notes,
        needs_personal_line=missing,
        topic=topic,
        detail=detail,
    )


def send_problems(subject: str, body: str, portal_link: str | None = None) -> list[str]:
    """Why a (possibly edited) draft cannot be sent yet; empty when it can."""
    problems = []
    if not subject.strip():
        problems.append("The subject is empty.")
    if not body.strip():
        problems.append("The message is empty.")
    if _MARKER.search(body) or _MARKER.search(subject):
        problems.append("Write the personal line first: replace the line in [brackets] with your own words.")
    if portal_link and portal_link not in body:
        problems.append("The creator's link is missing from the message: put it back so they can answer the offer.")
    return problems
