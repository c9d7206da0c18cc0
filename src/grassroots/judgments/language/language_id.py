"""Which language a comment is written in, with py3langid (langid.py's model, shipped inside the package).

Short comments ("so cute", "🔥🔥🔥", "link?") carry too little text for any detector, so a text with fewer
than MIN_LETTERS letters is "und" (undetermined) rather than a confident guess; so is a guess below
MIN_CONFIDENCE. Candidates are restricted to the languages small creators' audiences mostly write in,
which makes the model both faster and less prone to exotic mistakes on slangy English.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

UNDETERMINED = "und"
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.6
LANGUAGES = (
    "en", "es", "pt", "fr", "de", "it", "nl", "sv", "da", "no", "fi", "pl", "cs", "ro", "hu", "tr", "el",
    "ru", "uk", "ar", "he", "fa", "hi", "bn", "ur", "id", "ms", "tl", "vi", "th", "ja", "ko", "zh", "sw",
)  # fmt: skip


@lru_cache(maxsize=1)
def identifier() -> Any:
    """The langid model restricted to LANGUAGES, with normalised probabilities (loaded once per process)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    model.set_languages(list(LANGUAGES))
    return model


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or 'und' when the text is too short or the guess too weak."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return UNDETERMINED
    language, confidence = identifier().classify(text)
    return str(language) if confidence >= MIN_CONFIDENCE else UNDETERMINED


def detect_languages(texts: Sequence[str]) -> list[str]:
    """detect_language for each text."""
    return [detect_language(t) for t in texts]
