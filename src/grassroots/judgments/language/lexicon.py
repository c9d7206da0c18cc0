"""Lexical features of short posts: VADER scores with modern slang, emotion-word counts and writing style.

VADER (Hutto & Gilbert, ICWSM 2014; MIT licence) is a rule-based sentiment lexicon tuned to social media:
it reads emoji, capitals, "!!!", "but" and negations. Its word list dates from 2014, so a few words that
creators' audiences use today ("slaps", "bussin", "mid") are added below. The emotion word lists are
written for this project (not a third-party lexicon): a few dozen stems and emoji per emotion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

# Valence on VADER's -4..+4 scale; entries here override the stock lexicon.
SLANG_VALENCE = {
    "slaps": 2.5, "slay": 2.2, "slayed": 2.2, "slaying": 2.2, "bussin": 2.5, "goat": 2.0, "goated": 2.5,
    "fire": 1.8, "lit": 1.8, "dope": 2.0, "banger": 2.5, "vibes": 1.2, "obsessed": 1.8, "iconic": 2.0,
    "underrated": 1.0, "lowkey": 0.0, "highkey": 0.0, "fr": 0.0, "ngl": 0.0, "tbh": 0.0,
    "mid": -1.5, "meh": -1.2, "trash": -2.2, "garbage": -2.2, "cringe": -2.0, "ick": -2.0, "yikes": -1.5,
    "smh": -1.5, "ugh": -1.6, "scam": -2.8, "overpriced": -2.0, "overhyped": -1.8, "flop": -2.0, "ripoff": -2.5,
    "refund": -1.0, "breakout": -1.5, "returned": -0.8,
}  # fmt: skip
# VADER reads an emoji through its name ("fire" = -1.4, "loudly crying face"); for these the name misleads in
# comment sections, where "🔥" is praise and "💀" laughter, so they are scored as tokens of their own.
EMOJI_VALENCE = {"🔥": 2.0, "😍": 3.0, "🥰": 3.0, "💯": 2.0, "🙌": 2.0, "👏": 1.8, "😂": 1.0, "🤣": 1.2, "💀": 0.5}

EMOTION_WORDS = {
    "anger": (
        r"angry|anger|angered|mad|furious|fury|rage|raging|enraged|outrage\w*|irritat\w*|annoy\w*|pissed|livid|"
        r"hate|hated|hates|hatred|hating|disgust\w*|offend\w*|offensive|resent\w*|bitter|hostile|frustrat\w*|"
        r"infuriat\w*|incensed|wrath|fuming|seething|gr{2,}|ffs|wtf|idiots?|stupid|morons?|ridiculous|"
        r"unacceptable|disgrace\w*|pathetic|boiling|scream\w*|yell\w*|revenge|bull(y|ies|ying)|sick of|fed up|"
        r"shut up|damn\w*|bullshit|terror\w*|awful|horrible|insult\w*|provok\w*|shame\w*"
    ),
    "joy": (
        r"happy|happiness|happily|joy|joyful|joyous|glad|delight\w*|love|loved|lovely|loving|fun|funny|"
        r"hilarious|laugh\w*|lol|lmao|haha\w*|smil\w*|excit\w*|awesome|amazing|great|wonderful|fantastic|"
        r"ya+y|woo+hoo+|celebrat\w*|cheer\w*|glee\w*|enjoy\w*|beautiful|perfect|thrill\w*|ecstatic|elated|"
        r"playful|sweet|cute|party"
    ),
    "optimism": (
        r"hope|hopeful\w*|hoping|optimis\w*|faith|believe|belief|trust|confiden\w*|courage\w*|strength|strong|"
        r"positiv\w*|future|tomorrow|dreams?|goals?|achiev\w*|success\w*|succeed|better|improv\w*|grow|growth|"
        r"overcome|persever\w*|motivat\w*|inspir\w*|pray\w*|bless\w*|grateful|gratitude|thankful|opportunit\w*|"
        r"never give up|keep going|patience|patient|determin\w*|brighter"
    ),
    "sadness": (
        r"sad|sadly|sadness|unhappy|depress\w*|cry|crying|cried|cries|tears?|sorrow\w*|grie\w*|mourn\w*|lonely|"
        r"alone|loneliness|miss|missing|missed|heartbr\w*|hurt\w*|pain\w*|lost|lose|losing|loss|gloom\w*|"
        r"miserable|misery|despair|hopeless|upset|disappoint\w*|sorry|regret\w*|broken|empty|sigh|"
        r"unfortunate\w*|sulk\w*|dread\w*|frown\w*|nervous|anxi\w*|worr\w*|fear\w*|afraid"
    ),
}
EMOTION_EMOJI = {
    "anger": "😡😠🤬👿💢",
    "joy": "😂😀😃😄😁😆😊😍🥰😘🎉❤💕♥🤣☺",
    "optimism": "🙏💪🌟✨🌈",
    "sadness": "😢😭😞😔😟☹🙁💔😿😥😩",
}
_ELONGATED = "|".join(f"{c}{{3,}}" for c in "abcdefghijklmnopqrstuvwxyz")
_NEGATION = r"(?i)\b(not|no|never|nothing|nobody|cannot|cant|can't|dont|don't|didnt|didn't|isnt|isn't|wont|won't)\b"
STYLE_FEATURES = ("log_exclamations", "log_questions", "upper_share", "elongated", "negation", "log_hashtags")
VADER_FEATURES = ("vader_neg", "vader_neu", "vader_pos", "vader_compound")
FEATURE_NAMES = VADER_FEATURES + tuple(f"emotion_{k}" for k in EMOTION_WORDS) + STYLE_FEATURES
_URL = re.compile(r"https?://\S+|www\.\S+")
_REPEAT = re.compile(r"(\w)\1{2,}")
_SCORED_EMOJI = re.compile("[" + "".join(EMOJI_VALENCE) + "]")


@lru_cache(maxsize=1)
def sentiment_analyzer() -> Any:
    """The VADER analyzer with the slang and emoji entries above (built once per process)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(SLANG_VALENCE)
    analyzer.lexicon.update(EMOJI_VALENCE)
    # VADER replaces emoji by their names before scoring; not for those scored directly (see vader_scores).
    for emoji in EMOJI_VALENCE:
        analyzer.emojis.pop(emoji, None)
    return analyzer


def vader_scores(texts: Sequence[str]) -> np.ndarray:
    """VADER neg, neu, pos and compound per text (n x 4)."""
    analyzer = sentiment_analyzer()
    # Spaces around the directly scored emoji make each one a token ("so good😍" -> "so good 😍 ").
    rows = [analyzer.polarity_scores(_SCORED_EMOJI.sub(r" \g<0> ", t)) for t in texts]
    return np.array([[r["neg"], r["neu"], r["pos"], r["compound"]] for r in rows], dtype=np.float64).reshape(-1, 4)


def emotion_word_counts(text: pl.Expr) -> list[pl.Expr]:
    """log(1 + number of anger / joy / optimism / sadness words and emoji) per text."""
    lowered = text.str.to_lowercase()
    out = []
    for emotion, words in EMOTION_WORDS.items():
        hits = lowered.str.count_matches(rf"#?\b(?:{words})\b") + lowered.str.count_matches(
            f"[{EMOTION_EMOJI[emotion]}]"
        )
        out.append((hits.cast(pl.Float64) + 1).log().alias(f"emotion_{emotion}"))
    return out


def style_signals(text: pl.Expr) -> list[pl.Expr]:
    """Writing-style signals: '!' and '?' counts, shouting, elongated words, negation, hashtags."""
    letters = text.str.count_matches(r"\p{L}").cast(pl.Float64)
    return [
        (text.str.count_matches("!", literal=True).cast(pl.Float64) + 1).log().alias("log_exclamations"),
        (text.str.count_matches("?", literal=True).cast(pl.Float64) + 1).log().alias("log_questions"),
        (text.str.count_matches(r"\p{Lu}").cast(pl.Float64) / letters.clip(lower_bound=1.0)).alias("upper_share"),
        text.str.to_lowercase().str.contains(_ELONGATED).cast(pl.Float64).alias("elongated"),
        text.str.contains(_NEGATION).cast(pl.Float64).alias("negation"),
        (text.str.count_matches("#", literal=True).cast(pl.Float64) + 1).log().alias("log_hashtags"),
    ]


def lexical_features(texts: Sequence[str]) -> pl.DataFrame:
    """One row per text with the columns of FEATURE_NAMES."""
    frame = pl.DataFrame({"text": pl.Series("text", list(texts), dtype=pl.String)})
    text = pl.col("text").fill_null("")
    signals = frame.select(*emotion_word_counts(text), *style_signals(text))
    vader = pl.DataFrame(vader_scores(frame["text"].fill_null("").to_list()), schema=list(VADER_FEATURES))
    return pl.concat([vader, signals], how="horizontal").select(FEATURE_NAMES)


def lexical_matrix(texts: Sequence[str] | np.ndarray) -> np.ndarray:
    """lexical_features as a float matrix (a pipeline step)."""
    return lexical_features([str(t) for t in texts]).to_numpy().astype(np.float64)


def normalise_for_ngrams(text: str) -> str:
    """Lower-case, links to 'http', letters repeated 3+ times cut to two ('soooo' -> 'soo')."""
    return _REPEAT.sub(r"\1\1", _URL.sub("http", text.lower()))
