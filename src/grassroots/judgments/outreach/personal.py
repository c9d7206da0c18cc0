"""What a post was about and one concrete thing in it, read from its caption (no model: rules that can be read).

The detail is what makes a first message personal rather than a mail merge: a named place, product or thing
("Tartine Bakery", "Lisbon", "rye starter"). Preference: a capitalised name that does not open a sentence,
then a specific hashtag, then the longest run of content words.
"""

from __future__ import annotations

import re

TOPIC_MAX = 70
_TRIM = " .,;:-!?¡¿…"
_URL = re.compile(r"https?://\S+|www\.\S+")
_TAG = re.compile(r"(?<!\w)[#@][\w.]+")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W\d_][\w'’&-]*", re.UNICODE)
_NOT_TEXT = re.compile(r"[^\w\s.,!?;:'’&()«»“”„\"-]", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Words that never make a detail, in the languages the built-in templates speak and a few neighbours.
_STOPWORDS = """a an the and or but so of to in on at by for with from about into over after before this that these those
    it its i me my we our you your he she they them their is are was were be been am do does did have has had
    not no yes just very really so too also all some any more most much many one two new today yesterday
    tomorrow week weekend day morning night time here there what when where who why how which if then than
    up out off again still only ever never always can could will would should let lets let's get got make made
    go going went come came see saw love loved like liked best good great little big first last next every
    link bio check swipe tap comment follow share save post reel video photo story
    el la los las un una unos unas y o pero de del al en con por para sobre sin que es son fue era muy mi mis tu
    tus su sus nuestro nuestra este esta estos estas eso esto hoy ayer mañana semana día noche aquí más todo
    der die das ein eine einen einem einer und oder aber von zu im in am an auf mit für über ohne dass ist sind
    war mein meine dein deine sein seine unser unsere dieser diese dieses heute gestern morgen woche tag nacht
    hier mehr alles sehr auch noch nur
    le les des du et ou mais pour avec sur sans est sont était mon ma mes ton ta tes son sa ses ce cette ces
    aujourd'hui hier demain semaine jour nuit ici plus tout très
    o os as um uma e mas do da dos das em com por para sem é são era meu minha seu sua hoje ontem amanhã dia
    """
STOPWORDS = frozenset(_STOPWORDS.split())
_GENERIC_TAGS = """ad ads sponsored partner gifted werbung anzeige publi publicidad fyp foryou foryoupage viral explore
    instagood love photooftheday reels reel tiktok instagram follow like4like followme trending new"""
GENERIC_TAGS = frozenset(_GENERIC_TAGS.split())
CONNECTORS = frozenset({"de", "del", "la", "le", "of", "the", "von", "van", "da", "do", "di", "&"})


def clean_caption(caption: str) -> str:
    """The caption without links, hashtags, mentions and emoji, spaces folded."""
    text = _NOT_TEXT.sub(" ", _TAG.sub(" ", _URL.sub(" ", caption or "")))
    return re.sub(r"[ \t]+", " ", text).strip()


def sentences(text: str) -> list[str]:
    """The text cut into sentences (and lines), empty ones dropped."""
    return [s.strip(_TRIM) for s in _SENTENCE.split(text) if len(s.strip(_TRIM)) > 1]


def post_topic(caption: str) -> str | None:
    """What the post was about: its first sentence that has words, shortened at a word to TOPIC_MAX letters."""
    for sentence in sentences(clean_caption(caption)):
        if len(_WORD.findall(sentence)) >= 2:
            if len(sentence) <= TOPIC_MAX:
                return sentence
            return sentence[:TOPIC_MAX].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return None


def _is_content(word: str) -> bool:
    return len(word) >= 3 and word.lower() not in STOPWORDS


def proper_names(caption: str) -> list[str]:
    """Capitalised names that do not merely open a sentence ("Tartine Bakery", "Lisbon"), longest first."""
    found: list[str] = []
    for sentence in sentences(clean_caption(caption)):
        words = _WORD.findall(sentence)
        run: list[str] = []
        for position, word in enumerate([*words, ""]):
            capital = word[:1].isupper() and _is_content(word) and position > 0
            if capital or (run and word.lower() in CONNECTORS):
                run.append(word)
                continue
            while run and run[-1].lower() in CONNECTORS:
                run.pop()
            if run:
                found.append(" ".join(run))
            run = []
    return sorted(dict.fromkeys(found), key=lambda name: (-len(name.split()), found.index(name)))


def _split_tag(tag: str) -> str:
    words = _CAMEL.sub(" ", tag).replace("_", " ").strip()
    return words if " " in words else words.lower()


def specific_hashtags(hashtags: list[str], caption: str) -> list[str]:
    """Hashtags that name a thing (not #ad, #fyp or #love), as words: '#RyeStarter' -> 'Rye Starter'."""
    tags = [t.lstrip("#") for t in hashtags] or [m.lstrip("#") for m in re.findall(r"#[\w]+", caption or "")]
    return [_split_tag(t) for t in tags if len(t) >= 4 and t.lower() not in GENERIC_TAGS and not t.isdigit()]


def content_phrases(caption: str) -> list[str]:
    """Runs of two or three content words ("rye starter", "banana bread"), longest and earliest first."""
    runs: list[str] = []
    for sentence in sentences(clean_caption(caption)):
        run: list[str] = []
        for word in [*_WORD.findall(sentence), ""]:
            if word and _is_content(word):
                run.append(word)
                continue
            if len(run) >= 2:
                runs.append(" ".join(run[-3:]).lower())
            run = []
    return sorted(dict.fromkeys(runs), key=lambda p: -len(p.split()))


def concrete_detail(caption: str, hashtags: list[str] | None = None) -> str | None:
    """One concrete thing from the post, or None when the caption names nothing specific."""
    for candidates in (proper_names(caption), specific_hashtags(hashtags or [], caption), content_phrases(caption)):
        if candidates:
            return candidates[0]
    words = [w for w in _WORD.findall(clean_caption(caption)) if _is_content(w)]
    return max(words, key=len).lower() if words else None
