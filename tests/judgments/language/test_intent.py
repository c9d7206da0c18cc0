"""Purchase intent and question rules on comments people actually write."""

import polars as pl

from grassroots.judgments.language.intent import annotate_comments


def _label(texts: list[str]) -> list[dict[str, object]]:
    return annotate_comments(pl.DataFrame({"text": texts})).to_dicts()


def test_purchase_intent_labels() -> None:
    rows = _label(
        [
            "where can I get this??",
            "just ordered 🙌",
            "need this in my life",
            "is there a discount code",
            "how much is it?",
            "link please!",
            "what brand is the jacket",
            "so pretty",
        ]
    )
    assert [r["purchase_intent"] for r in rows] == [
        "ask_where",
        "bought",
        "will_buy",
        "code",
        "price",
        "ask_where",
        "ask_where",
        "none",
    ]


def test_bought_wins_over_asking() -> None:
    assert _label(["bought it after your last post, where can I get the refill?"])[0]["purchase_intent"] == "bought"


def test_questions_product_vs_chit_chat() -> None:
    rows = _label(["does it work on sensitive skin?", "how was your weekend?", "what shade is this", "love it"])
    assert [r["question_type"] for r in rows] == ["product", "chit_chat", "product", "none"]
    assert [r["is_question"] for r in rows] == [True, True, True, False]
