"""Message templates: the built-in wording per language, the placeholders a template may use, and filling them.

A workspace may store its own wording per kind and language; a missing one falls back to the built-in wording
of that language, then to English (the draft notes the fallback, so nobody sends English to a Spanish creator
without noticing).
"""

from __future__ import annotations

import string
from dataclasses import dataclass

INTRO, FOLLOW_UP = "intro", "follow_up"
KINDS = (INTRO, FOLLOW_UP)
DEFAULT_LANGUAGE = "en"
# What a template may name, with what each becomes (shown on the template settings page).
PLACEHOLDERS: dict[str, str] = {
    "first_name": "the creator's first name",
    "post_topic": "what their recent post was about (its opening words)",
    "post_detail": "one concrete thing from that post: a place, a product, a named thing",
    "post_link": "the address of that post",
    "brand": "your brand's name",
    "campaign": "the campaign's name",
    "portal_link": "the creator's own link to read and accept the offer (required)",
    "sender": "who signs: your brand's name (edit a draft to sign it yourself)",
    "original_subject": "for a follow-up: the subject of the message it follows up",
}
POST_PLACEHOLDERS = ("post_topic", "post_detail", "post_link")
REQUIRED = ("portal_link",)
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "de": "German", "fr": "French", "pt": "Portuguese", "it": "Italian",
    "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish",
    "tr": "Turkish", "ru": "Russian", "ja": "Japanese", "ko": "Korean", "zh": "Chinese", "id": "Indonesian",
}  # fmt: skip


@dataclass(frozen=True)
class Wording:
    """A subject and a body with placeholders."""

    subject: str
    body: str


BUILT_IN: dict[tuple[str, str], Wording] = {
    (INTRO, "en"): Wording(
        "{brand} × {first_name}: we loved your post",
        "Hi {first_name},\n\n"
        "Your recent post “{post_topic}” stuck with us, especially the part about {post_detail}. ({post_link})\n\n"
        "We are {brand}, and we would love to work with you on {campaign}. No strings attached: the details are "
        "here, and you can say yes or no in one click:\n{portal_link}\n\n"
        "Warmly,\n{sender}",
    ),
    (FOLLOW_UP, "en"): Wording(
        "Re: {original_subject}",
        "Hi {first_name},\n\n"
        "A gentle nudge about {campaign}, in case my note got buried. If it is not for you, no worries at all: "
        "a quick “no thanks” is perfectly fine.\n\n"
        "The details are here: {portal_link}\n\n"
        "{sender}",
    ),
    (INTRO, "es"): Wording(
        "{brand} × {first_name}: nos encantó tu publicación",
        "Hola {first_name}:\n\n"
        "Tu publicación reciente «{post_topic}» nos encantó, sobre todo la parte de {post_detail}. ({post_link})\n\n"
        "Somos {brand} y nos encantaría colaborar contigo en {campaign}. Sin compromiso: aquí tienes los "
        "detalles y puedes decir sí o no con un clic:\n{portal_link}\n\n"
        "Un abrazo,\n{sender}",
    ),
    (FOLLOW_UP, "es"): Wording(
        "Re: {original_subject}",
        "Hola {first_name}:\n\n"
        "Te escribo de nuevo sobre {campaign}, por si mi mensaje se perdió. Si no te interesa, no pasa nada: "
        "un simple «no, gracias» está perfecto.\n\n"
        "Los detalles están aquí: {portal_link}\n\n"
        "{sender}",
    ),
    (INTRO, "de"): Wording(
        "{brand} × {first_name}: dein Beitrag hat uns begeistert",
        "Hallo {first_name},\n\n"
        "dein Beitrag „{post_topic}“ ist uns im Kopf geblieben, besonders der Teil über {post_detail}. "
        "({post_link})\n\n"
        "Wir sind {brand} und würden gern mit dir an {campaign} arbeiten. Ganz unverbindlich: Hier findest du "
        "alle Details und kannst mit einem Klick zu- oder absagen:\n{portal_link}\n\n"
        "Herzliche Grüße\n{sender}",
    ),
    (FOLLOW_UP, "de"): Wording(
        "Re: {original_subject}",
        "Hallo {first_name},\n\n"
        "ich melde mich noch einmal wegen {campaign}, falls meine Nachricht untergegangen ist. Wenn es nichts für "
        "dich ist, kein Problem: ein kurzes „nein danke“ genügt.\n\n"
        "Die Details: {portal_link}\n\n"
        "{sender}",
    ),
}
BUILT_IN_LANGUAGES = tuple(sorted({language for _, language in BUILT_IN}))
# The built-in first-message subjects speak of the post; without one these say nothing they cannot back up.
NO_POST_SUBJECTS = {
    "en": "{brand} × {first_name}: an idea for you",
    "es": "{brand} × {first_name}: una idea para ti",
    "de": "{brand} × {first_name}: eine Idee für dich",
}


def language_name(code: str) -> str:
    """'es' -> 'Spanish' (the code itself when unknown)."""
    return LANGUAGE_NAMES.get(code, code)


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order; ValueError for an unmatched brace."""
    return [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]


def template_errors(subject: str, body: str) -> dict[str, str]:
    """What is wrong with a template, by field ('subject', 'body'); empty when it can be saved."""
    errors: dict[str, str] = {}
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for name, text in (("subject", subject), ("body", body)):
        if not text.strip():
            errors[name] = f"The {name} is empty."
            continue
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError:
            errors[name] = "A { or } has no partner: write {{ or }} for a brace that is meant literally."
            continue
        for _, field, spec, conversion in parsed:
            if field is None:
                continue
            if field not in PLACEHOLDERS or spec or conversion:
                shown = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                errors[name] = f"Unknown placeholder {shown}. Use one of {known}."
                break
    if "subject" not in errors and "\n" in subject.strip():
        errors["subject"] = "The subject must be one line."
    if "body" not in errors and any(f"{{{r}}}" not in body for r in REQUIRED):
        errors["body"] = "The body must contain {portal_link}, so the creator can read and answer the offer."
    return errors


def fill(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders replaced (a placeholder without a value becomes empty)."""
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def choose(kind: str, language: str, own: dict[tuple[str, str], Wording]) -> tuple[Wording, str]:
    """The wording for a kind in a language: the workspace's, else built-in, else English; and its language."""
    for candidate in (language, DEFAULT_LANGUAGE):
        if (kind, candidate) in own:
            return own[(kind, candidate)], candidate
        if (kind, candidate) in BUILT_IN:
            return BUILT_IN[(kind, candidate)], candidate
    raise KeyError(kind)
