"""Purchase intent and questions in comments: rules a person can read, as Polars expressions.

The strongest signal of a working collaboration is "where can I get this?" and "just ordered". Rules
beat a model here: the phrases are few, stable and must be explainable (each label names its rule).
"""

from __future__ import annotations

import polars as pl

# Order matters: a comment that says it bought wins over one that asks for the link.
INTENT_RULES: list[tuple[str, str]] = [
    ("bought", r"\b(just |finally )?(ordered|bought|purchased|got mine|copped|added (it )?to (my )?cart|placed an order)\b"),
    ("will_buy", r"\b(need (this|these|it)|want (this|these|it)|gonna (buy|get)|going to (buy|get)|must have|take my money|adding (it )?to (my )?cart|buying (this|it))\b"),
    ("code", r"\b(discount|promo|coupon)( code)?\b|\bany code\b|\bcode\?"),
    ("price", r"\b(how much|price|cost|costs|pricey|expensive|cheap|affordable)\b|\$\s?\d"),
    ("ask_where", r"\b(where (can|do|did|to) (i|you|we) (get|buy|find|order)|where('?s| is) (this|it|that) from|link( please| pls|\?)|drop the link|what brand|which brand|where to buy|is it available|ship(s|ping)? to)\b"),
]  # fmt: skip
QUESTION_START = r"^(who|what|where|when|why|how|which|does|do|did|is|are|can|could|will|would|should|has|have)\b"
PRODUCT_WORDS = (
    r"\b(shade|size|sizing|fit|ingredient|ingredients|price|cost|ship|shipping|stock|available|link|code|"
    r"recipe|vegan|cruelty|skin|sensitive|work|last|smell|scent|material|brand|store|order|discount|"
    r"dose|spf|allergy|allergic|gluten|sugar|battery|warranty|color|colour)\b"
)


def intent_expr(text: pl.Expr) -> pl.Expr:
    """The first matching purchase-intent label (bought, will_buy, code, price, ask_where) or 'none'."""
    lowered = text.fill_null("").str.to_lowercase()
    expr = pl.lit("none")
    for label, pattern in reversed(INTENT_RULES):
        expr = pl.when(lowered.str.contains(pattern)).then(pl.lit(label)).otherwise(expr)
    return expr


def question_expr(text: pl.Expr) -> pl.Expr:
    """True when the comment asks something: a question mark, or it opens like a question."""
    lowered = text.fill_null("").str.to_lowercase().str.strip_chars()
    return lowered.str.contains(r"\?") | lowered.str.contains(QUESTION_START)


def annotate_comments(comments: pl.DataFrame) -> pl.DataFrame:
    """Add ``purchase_intent``, ``is_question`` and ``question_type`` (product / chit_chat / none)."""
    text = pl.col("text")
    is_question = question_expr(text)
    product = text.fill_null("").str.to_lowercase().str.contains(PRODUCT_WORDS)
    return comments.with_columns(
        intent_expr(text).alias("purchase_intent"),
        is_question.alias("is_question"),
        pl.when(~is_question)
        .then(pl.lit("none"))
        .when(product | (intent_expr(text) != "none"))
        .then(pl.lit("product"))
        .otherwise(pl.lit("chit_chat"))
        .alias("question_type"),
    )
