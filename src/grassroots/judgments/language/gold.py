"""The "qualitative gold" in comments: recurring phrases, top questions, objections and people's own use.

Pure functions over a frame of labelled comments (columns text, author, likes, posted_at and the labels of
language.judge). Each panel entry carries real examples, so a person can check what the numbers mean.
"""

from __future__ import annotations

from typing import Any

import polars as pl

# Objections: a negative comment about one of these is a reason someone did not (or will not) buy.
OBJECTION_RULES: list[tuple[str, str]] = [
    ("price", r"\b(price[sd]?|pricey|expensive|overpriced|afford\w*|cheaper|too much money|rip ?off|costs? (too much|a fortune|so much))\b"),
    ("reaction", r"\b(broke me out|breakout|rash|itch\w*|allerg\w*|irritat\w*|burn(ed|s|ing)?|sting\w*|stung|reaction|hurt (my|me))\b"),
    ("didn't work", r"\b(didn'?t work|did nothing|no difference|didn'?t see (a|any) (difference|change)|waste|useless|doesn'?t work|not work\w*|no results?|didn'?t help)\b"),
    ("didn't turn out", r"\b(c[ao]mes? out|turned out|turns out)\b[^.!?]{0,20}\b(bland|flat|dry|dense|soggy|burnt|burned|raw|gummy|wrong|weird|bad|sad)\b|\b(bland|soggy|tasteless|gummy)\b"),
    ("effort", r"\b(too much (effort|work|hassle)|(a lot|lots) of (work|effort)|too (complicated|fiddly|time.?consuming))\b"),
    ("delivery", r"\b(shipping|delivery|arrived|never came|late|lost|package|customs|out of stock|sold out)\b"),
    ("quality", r"\b(broke|broken|cheap|flimsy|fell apart|went downhill|leak\w*|smell\w*|taste\w*|quality|peel\w*|destroyed|ripped|torn|faded|shr[ai]nk)\b"),
    ("fit", r"\b(the fit|fits? (weird|small|big|badly|funny)|too (small|big|tight|loose|short|long) (on|for) me|sizing|runs? (small|big|large))\b"),
    ("trust", r"\b(fake|scam|sell ?out|just an ad|paid to say|sponsored|shill\w*|not honest|lying|(supplement|product|sales|affiliate|discount|brand) push\w*|pushy|salesy|too many ads)\b"),
    ("not for me", r"\b(overhyped|over-hyped|overrated|not worth the hype|couldn'?t get into|too touristy|(was|so|too) (packed|crowded)|ignored it|not (a fan|for me))\b"),
]  # fmt: skip
# Unmistakable complaints: objections even when the sentiment model reads a cheerful emoji as positive.
PLAIN_COMPLAINT = (
    r"\b(too (pricey|expensive)|overpriced|rip ?off|broke me out|didn'?t work|did nothing|no difference|"
    r"waste of money|never (came|arrived)|fell apart|went downhill|broke after|stopped working|scam|c[ao]mes? out "
    r"(bland|flat)|started peeling|destroyed it|stung|hurt my)\b"
)
# People showing their own use: the UGC-style variations a brand can ask to reuse.
OWN_USE = (
    r"\b(i (tried|use|used|made|bought|got|ordered|wear|wore|cooked|baked|started)|i'?ve been using|"
    r"my (skin|hair|kids?|son|daughter|dog|cat|routine|kitchen|version|results?|garden|setup|run|face)|"
    r"mine (came|arrived|looks?|is)|tried (it|this|them)|made (it|this|these)|here'?s mine|"
    r"day \d+|week \d+|(two|three|four|\d+) weeks? (in|later|of))\b"
)
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "so",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "is",
        "it",
        "this",
        "that",
        "i",
        "you",
        "my",
        "me",
        "your",
        "we",
        "be",
        "are",
        "was",
        "were",
        "am",
        "just",
        "so",
        "very",
        "really",
        "too",
        "its",
        "it's",
        "im",
        "i'm",
        "u",
        "ur",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "not",
        "no",
        "yes",
        "can",
        "will",
        "would",
        "could",
        "get",
        "got",
        "what",
        "how",
        "where",
        "when",
        "who",
        "why",
        "which",
        "one",
        "all",
        "out",
        "up",
        "about",
        "from",
        "as",
        "if",
        "then",
        "than",
        "there",
        "here",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "our",
        "us",
        "by",
    ]
)
PHRASE_MIN_AUTHORS = 2
_FILLER = r"(omg|wait|ahh+|hmm+|haha\w*|lol|lmao|honestly|yes|yeah|ok|okay|so|tbh|literally|really|oh|wow|x+)"
FILLER_START = rf"^({_FILLER}\s+)+"
FILLER_END = rf"(\s+{_FILLER})+$"


def _normalised(text: pl.Expr) -> pl.Expr:
    return text.fill_null("").str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}' ]+", " ").str.strip_chars()


def question_key(text: pl.Expr) -> pl.Expr:
    """Lower-case words without emoji, punctuation or leading filler ("wait", "lol", "omg"): one key per question."""
    return _normalised(text).str.replace(FILLER_START, "").str.replace(FILLER_END, "").str.strip_chars()


def recurring_phrases(comments: pl.DataFrame, *, top: int = 10) -> list[dict[str, Any]]:
    """Two- and three-word phrases used by the most different people (no stop-word-only phrases)."""
    if comments.is_empty():
        return []
    words = comments.select("author", "text", _normalised(pl.col("text")).str.split(" ").alias("w")).with_columns(
        pl.col("w").list.eval(pl.element().filter(pl.element() != ""))
    )
    grams = []
    for n in (2, 3):
        grams.append(
            # list.len() is unsigned: cast before subtracting, or an empty list wraps round to 4 billion.
            words.with_columns(
                pl.int_ranges(0, (pl.col("w").list.len().cast(pl.Int64) - n + 1).clip(lower_bound=0)).alias("start")
            )
            .explode("start")
            .drop_nulls("start")
            .with_columns(pl.col("w").list.slice(pl.col("start"), n).alias("gram"))
        )
    exploded = pl.concat(grams).filter(
        ~pl.col("gram").list.eval(pl.element().is_in(list(STOPWORDS))).list.all()
        & ~pl.col("gram").list.first().is_in(list(STOPWORDS))
        & ~pl.col("gram").list.last().is_in(list(STOPWORDS))
    )
    counted = (
        exploded.with_columns(pl.col("gram").list.join(" ").alias("phrase"))
        .group_by("phrase")
        .agg(pl.col("author").n_unique().alias("people"), pl.col("text").first().alias("example"))
        .filter(pl.col("people") >= PHRASE_MIN_AUTHORS)
        .sort(["people", "phrase"], descending=[True, False])
    )
    kept: list[dict[str, Any]] = []
    for row in counted.iter_rows(named=True):
        # "so easy to use" and "easy to use" are one phrase: keep the first (most used) of overlapping ones.
        if any(row["phrase"] in k["phrase"] or k["phrase"] in row["phrase"] for k in kept):
            continue
        kept.append(row)
        if len(kept) == top:
            break
    return kept


def top_questions(comments: pl.DataFrame, *, top: int = 8) -> list[dict[str, Any]]:
    """Product questions, the most asked first (same wording counted together), then the most liked."""
    questions = comments.filter(pl.col("question_type") == "product")
    if questions.is_empty():
        return []
    return (
        questions.with_columns(question_key(pl.col("text")).alias("key"))
        .group_by("key")
        .agg(
            pl.len().alias("asked"),
            pl.col("likes").sum().alias("likes"),
            pl.col("text").first(),
            pl.col("author").first(),
            pl.col("purchase_intent").first(),
        )
        .sort(["asked", "likes", "key"], descending=[True, True, False])
        .head(top)
        .drop("key")
        .to_dicts()
    )


def objections(comments: pl.DataFrame, *, examples: int = 3) -> list[dict[str, Any]]:
    """Comments that object to something, grouped by what they object to, largest group first, with examples.

    A comment counts when an objection rule matches and it is not positive ("ours broke after a week" reads
    as neutral to a sentiment model; "this is cheaper than therapy 😍" is positive and is left out), or when
    it is a plain complaint whatever the model says ("the quality went downhill tbh 🥹"). A neutral question
    asks rather than objects ("how's the fit?", "what's the price?"): it counts only when it reads negative.
    """
    lowered = pl.col("text").fill_null("").str.to_lowercase()
    asks = pl.col("question_type").fill_null("none") != "none" if "question_type" in comments.columns else pl.lit(False)
    sentiment = pl.col("sentiment")
    objecting = (sentiment == "negative") | ((sentiment != "positive") & ~asks) | lowered.str.contains(PLAIN_COMPLAINT)
    negative = comments.filter(objecting)
    if negative.is_empty():
        return []
    kind: pl.Expr = pl.lit("other")
    for label, pattern in reversed(OBJECTION_RULES):
        kind = pl.when(lowered.str.contains(pattern)).then(pl.lit(label)).otherwise(kind)
    grouped = (
        negative.with_columns(kind.alias("objection"))
        .filter(pl.col("objection") != "other")
        .sort("likes", descending=True)
        .group_by("objection")
        .agg(pl.len().alias("count"), pl.col("text").head(examples).alias("examples"))
        .sort(["count", "objection"], descending=[True, False])
    )
    return grouped.to_dicts()


def own_use(comments: pl.DataFrame, *, top: int = 6) -> list[dict[str, Any]]:
    """Comments where people show or tell their own use (UGC-style), positive and neutral ones first."""
    lowered = pl.col("text").fill_null("").str.to_lowercase()
    found = comments.filter(lowered.str.contains(OWN_USE) & (pl.col("question_type") == "none"))
    return (
        found.with_columns((pl.col("sentiment") == "negative").alias("_neg"))
        .unique("text", keep="first", maintain_order=True)
        .sort(["_neg", "likes"], descending=[False, True])
        .head(top)
        .select("text", "author", "likes", "sentiment")
        .to_dicts()
    )


def requests(comments: pl.DataFrame, *, top: int = 6) -> list[dict[str, Any]]:
    """What people ask the creator or brand for (content and product ideas), the most liked first.

    "link please" is purchase intent, shown with the questions and intent, so it is left out here.
    """
    return (
        comments.filter(pl.col("request") & (pl.col("purchase_intent") == "none"))
        .unique("text", keep="first", maintain_order=True)
        .sort("likes", descending=True, maintain_order=True)
        .head(top)
        .select("text", "author", "likes")
        .to_dicts()
    )


def shares(comments: pl.DataFrame, column: str) -> dict[str, float]:
    """Share of comments per label of one column (e.g. sentiment), largest first."""
    if comments.is_empty():
        return {}
    counts = comments.group_by(column).len().sort(["len", column], descending=[True, False])
    return {str(k): n / comments.height for k, n in counts.iter_rows()}


def qualitative_gold(comments: pl.DataFrame) -> dict[str, Any]:
    """Every panel at once: totals, sentiment/emotion/intent shares, phrases, questions, objections, own use."""
    intent = comments.filter(pl.col("purchase_intent") != "none")
    return {
        "total": comments.height,
        "sentiment": shares(comments, "sentiment"),
        "emotion": shares(comments.filter(pl.col("emotion") != "none"), "emotion"),
        "intent": dict(intent.group_by("purchase_intent").len().sort("len", descending=True).iter_rows()),
        "intent_share": intent.height / comments.height if comments.height else 0.0,
        "phrases": recurring_phrases(comments),
        "questions": top_questions(comments),
        "objections": objections(comments),
        "own_use": own_use(comments),
        "requests": requests(comments),
        "languages": shares(comments.filter(pl.col("language") != "und"), "language"),
    }


def tone_over_time(comments: pl.DataFrame, *, every: str = "1w") -> pl.DataFrame:
    """Per week: comments, positive and negative share, comments with purchase intent, product questions."""
    if comments.is_empty():
        return pl.DataFrame(
            schema={
                "week": pl.Datetime,
                "comments": pl.UInt32,
                "positive": pl.Float64,
                "negative": pl.Float64,
                "intent": pl.UInt32,
                "questions": pl.UInt32,
            }
        )
    return (
        comments.sort("posted_at")
        .group_by_dynamic("posted_at", every=every)
        .agg(
            pl.len().alias("comments"),
            (pl.col("sentiment") == "positive").mean().alias("positive"),
            (pl.col("sentiment") == "negative").mean().alias("negative"),
            (pl.col("purchase_intent") != "none").sum().alias("intent"),
            (pl.col("question_type") == "product").sum().alias("questions"),
        )
        .rename({"posted_at": "week"})
    )
