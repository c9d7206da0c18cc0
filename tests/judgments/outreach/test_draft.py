"""Pure draft building: the creator's language, one concrete detail of their post, never generic without a post."""

from __future__ import annotations

from grassroots.judgments.outreach import wording
from grassroots.judgments.outreach.draft import DraftInputs, PostFacts, build_draft, first_name, send_problems
from grassroots.judgments.outreach.personal import concrete_detail, post_topic

LINK = "https://grassroots.brand.test/p/TOKEN"


def _inputs(caption: str | None, **kw: object) -> DraftInputs:
    post = PostFacts(caption, "https://www.instagram.com/p/X1/", ["sourdough", "ad"]) if caption is not None else None
    base = dict(kind="intro", display_name="Maya Lopez", handle="maya.bakes", brand="Crumb & Co",
                campaign="Spring bake", portal_link=LINK, sender="Crumb & Co", post=post)  # fmt: skip
    return DraftInputs(**(base | kw))  # type: ignore[arg-type]


def test_an_english_post_gives_an_english_draft_citing_a_concrete_detail_and_the_post() -> None:
    draft = build_draft(_inputs("Sunday sourdough with the kids at Tartine Bakery! Our rye starter finally behaved"))
    assert draft.language == "en" and draft.notes == [] and not draft.needs_personal_line
    assert draft.detail == "Tartine Bakery"
    assert draft.body.startswith("Hi Maya,")
    assert "the part about Tartine Bakery" in draft.body
    assert "“Sunday sourdough with the kids at Tartine Bakery”" in draft.body
    assert "https://www.instagram.com/p/X1/" in draft.body and LINK in draft.body
    assert "{" not in draft.body and "{" not in draft.subject
    assert send_problems(draft.subject, draft.body, LINK) == []


def test_a_spanish_caption_gives_the_spanish_wording() -> None:
    caption = "Hoy preparamos pan de masa madre en la panadería Santa Clara de Sevilla, ¡qué olor tan bueno!"
    draft = build_draft(_inputs(caption, display_name="lucía"))
    assert draft.language == "es" and draft.notes == []
    assert draft.body.startswith("Hola Lucía:") and "sobre todo la parte de Santa Clara de Sevilla" in draft.body
    assert "nos encantó tu publicación" in draft.subject


def test_a_german_caption_gives_the_german_wording() -> None:
    caption = "Heute backen wir Roggenbrot mit Sauerteig aus der Bäckerei Müller in Hamburg, es duftet herrlich"
    draft = build_draft(_inputs(caption))
    assert draft.language == "de" and "besonders der Teil über" in draft.body


def test_a_language_without_wording_falls_back_to_english_with_a_note() -> None:
    caption = "Dzisiaj pieczemy chleb na zakwasie w piekarni Kowalski w Krakowie, pachnie cudownie"
    draft = build_draft(_inputs(caption))
    assert draft.language == "en" and draft.body.startswith("Hi Maya,")
    assert draft.notes and "Polish" in draft.notes[0] and "English" in draft.notes[0]


def test_a_workspace_wording_in_that_language_is_used() -> None:
    caption = "Dzisiaj pieczemy chleb na zakwasie w piekarni Kowalski w Krakowie, pachnie cudownie"
    own = {("intro", "pl"): wording.Wording("Cześć {first_name}", "Cześć {first_name}! {post_detail} {portal_link}")}
    draft = build_draft(_inputs(caption, own=own))
    assert draft.language == "pl" and draft.notes == [] and draft.subject == "Cześć Maya"
    assert draft.body == f"Cześć Maya! Kowalski {LINK}"


def test_no_recent_post_asks_the_person_to_write_the_line_and_blocks_sending() -> None:
    draft = build_draft(_inputs(None))
    assert draft.needs_personal_line and draft.language == "en"
    assert "[Write one personal line here about something Maya made" in draft.body
    assert "post" in draft.notes[0] and "Write the personal line yourself" in draft.notes[0]
    assert "“" not in draft.body, "no invented post is cited"
    assert draft.subject == "Crumb & Co × Maya: an idea for you", "the subject claims no post either"
    assert send_problems(draft.subject, draft.body, LINK) == [
        "Write the personal line first: replace the line in [brackets] with your own words."
    ]
    edited = draft.body.replace(draft.body.split("\n")[2], "Your bread videos make my Sundays.")
    assert send_problems(draft.subject, edited, LINK) == []


def test_a_caption_of_only_emoji_and_tags_counts_as_no_post() -> None:
    draft = build_draft(_inputs("🔥🔥 #fyp #ad"))
    assert draft.needs_personal_line


def test_removing_the_portal_link_blocks_sending() -> None:
    draft = build_draft(_inputs("Lisbon mornings at the Time Out Market with a pastel de nata"))
    problems = send_problems(draft.subject, draft.body.replace(LINK, ""), LINK)
    assert problems and "link is missing" in problems[0]


def test_details_prefer_names_then_hashtags_then_content_words() -> None:
    assert concrete_detail("we finally went to Lisbon and ate everything") == "Lisbon"
    assert concrete_detail("so good today", ["RyeStarter", "fyp"]) == "Rye Starter"
    assert concrete_detail("the banana bread recipe came out perfect") == "banana bread recipe"
    assert concrete_detail("") is None
    assert post_topic("Morning run 🏃 by the river. Then coffee.") == "Morning run by the river"
    long = post_topic("word " * 40)
    assert long is not None and len(long) <= 71 and long.endswith("…")


def test_first_names() -> None:
    assert first_name("Maya Lopez", "maya.bakes") == "Maya"
    assert first_name("lucía", "x") == "Lucía"
    assert first_name("", "@noor.makes") == "noor.makes"


def test_templates_reject_unknown_placeholders_with_a_clear_message() -> None:
    errors = wording.template_errors("Hi {first_nam}", "Hello {first_name} {portal_link}")
    assert errors["subject"].startswith("Unknown placeholder {first_nam}. Use one of {first_name}")
    assert wording.template_errors("Hi", "Hello {first_name!r} {portal_link}")["body"].startswith(
        "Unknown placeholder {first_name!r}"
    )
    assert "no partner" in wording.template_errors("Hi {", "{portal_link}")["subject"]
    assert "{portal_link}" in wording.template_errors("Hi", "Hello {first_name}")["body"]
    assert wording.template_errors("Hi {first_name}", "Hi {first_name}, {{literal}} {portal_link}") == {}
    for (kind, language), text in wording.BUILT_IN.items():
        assert wording.template_errors(text.subject, text.body) == {}, (kind, language)
