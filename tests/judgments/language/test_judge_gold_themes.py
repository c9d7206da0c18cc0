"""Comment judgments in one pass, the qualitative-gold panels and themes, on frames (no database)."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from grassroots.judgments.language import gold
from grassroots.judgments.language.embeddings import Embedder
from grassroots.judgments.language.judge import LABEL_COLUMNS, ToneModels, judge_texts
from grassroots.judgments.language.language_id import detect_languages
from grassroots.judgments.language.themes import find_themes
from tests.support import SHARED_DATA


@pytest.fixture(scope="module")
def models() -> ToneModels:
    return ToneModels.load()


def test_judge_labels_every_row_and_judges_each_distinct_text_once(models: ToneModels) -> None:
    texts = ["where can I get this?? 😍", "just ordered mine!", "this broke me out, returned it", "", None,
             "where can I get this?? 😍"]  # fmt: skip
    frame = pl.DataFrame({"id": range(6), "text": texts})
    embedder = models.sentiment.embedder
    before = embedder.encoded_texts
    out = judge_texts(frame, models)
    assert out.columns == ["id", "text", *LABEL_COLUMNS] and out.height == 6
    assert out["id"].to_list() == list(range(6))
    assert embedder.encoded_texts - before <= 4  # the repeated text and the null/empty pair cost nothing extra
    rows = out.to_dicts()
    assert rows[0]["purchase_intent"] == "ask_where" and rows[0]["question_type"] == "product"
    assert rows[1]["purchase_intent"] == "bought"
    assert rows[2]["sentiment"] == "negative" and rows[2]["sentiment_score"] < 0
    assert rows[0]["sentiment_score"] > 0
    assert rows[3]["emotion"] == "none" and rows[4]["emotion"] == "none"
    assert rows[5] == {**rows[0], "id": 5}
    fast = judge_texts(frame, models, mode="fast")
    assert fast["sentiment"].to_list()[2] == "negative"


def test_judge_handles_an_empty_frame(models: ToneModels) -> None:
    out = judge_texts(pl.DataFrame({"text": []}, schema={"text": pl.String}), models)
    assert out.height == 0 and set(LABEL_COLUMNS) <= set(out.columns)


def test_language_detection_refuses_to_guess_on_short_texts() -> None:
    got = detect_languages(["love this 😍", "¿dónde lo puedo comprar? me encanta", "wo kann ich das kaufen bitte",
                            "this is honestly the best serum I have used", "🔥🔥🔥"])  # fmt: skip
    assert got == ["und", "es", "de", "en", "und"]


def labelled(rows: list[tuple[str, str, str, str, str, int]]) -> pl.DataFrame:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    return pl.DataFrame(
        [(t, a, s, i, q, lk, now - timedelta(days=n)) for n, (t, a, s, i, q, lk) in enumerate(rows)],
        schema=["text", "author", "sentiment", "purchase_intent", "question_type", "likes", "posted_at"],
        orient="row",
    ).with_columns(
        pl.lit("joy").alias("emotion"),
        pl.lit("en").alias("language"),
        pl.lit(0.5).alias("sentiment_score"),
        pl.lit(False).alias("request"),
    )


def test_gold_panels_pick_real_examples() -> None:
    frame = labelled([
        ("does it work on sensitive skin?", "a", "neutral", "none", "product", 3),
        ("wait does it work on sensitive skin?? haha", "b", "neutral", "none", "product", 1),
        ("how much is it?", "c", "neutral", "price", "product", 9),
        ("way too expensive for me", "d", "negative", "price", "none", 4),
        ("this broke me out so badly", "e", "negative", "none", "none", 2),
        ("I tried it for two weeks and my skin is so calm", "f", "positive", "none", "none", 7),
        ("my skin is so calm now", "g", "positive", "none", "none", 1),
        ("what a day lol", "h", "neutral", "none", "none", 0),
        ("ours broke after a week", "i", "neutral", "none", "none", 0),
        ("this protects my skin at all costs, cheaper than therapy", "j", "positive", "none", "none", 0),
        ("so the quality went downhill tbh 🥹", "k", "positive", "none", "none", 0),
    ])  # fmt: skip
    panels = gold.qualitative_gold(frame)
    assert panels["total"] == 11
    assert panels["questions"][0]["asked"] == 2 and "sensitive skin" in panels["questions"][0]["text"]
    assert {o["objection"]: o["count"] for o in panels["objections"]} == {"price": 1, "reaction": 1, "quality": 2}
    assert panels["own_use"][0]["text"].startswith("I tried it")
    phrases = {p["phrase"]: p["people"] for p in panels["phrases"]}
    assert phrases.get("skin is so calm") == 2 or phrases.get("sensitive skin") == 2
    assert panels["intent"] == {"price": 2}
    weekly = gold.tone_over_time(frame)
    assert int(weekly["comments"].sum()) == 11 and weekly.columns[0] == "week"


def test_complaints_about_results_effort_and_fit_are_objections_and_questions_are_not() -> None:
    frame = labelled([
        ("mine came out bland", "a", "neutral", "none", "none", 0),
        ("mine always comes out flat tbh", "b", "neutral", "none", "none", 0),
        ("too much work for one loaf", "c", "neutral", "none", "none", 0),
        ("not a fan of the fit on me", "d", "neutral", "none", "none", 0),
        ("this one stung my skin 😬", "e", "positive", "none", "none", 0),  # the emoji fools the model
        ("my dog destroyed it in a day", "f", "neutral", "none", "none", 0),
        ("how's the fit on you?", "g", "neutral", "none", "product", 0),  # asks, does not object
        ("what's the price?", "h", "neutral", "price", "product", 0),
        ("why is it so expensive??", "i", "negative", "price", "product", 0),  # a question that objects
        ("came out perfect, love the fit", "j", "positive", "none", "none", 0),
    ])  # fmt: skip
    found = {o["objection"]: o["examples"] for o in gold.objections(frame)}
    assert found == {
        "didn't turn out": ["mine came out bland", "mine always comes out flat tbh"],
        "effort": ["too much work for one loaf"],
        "fit": ["not a fan of the fit on me"],
        "quality": ["my dog destroyed it in a day"],
        "price": ["why is it so expensive??"],
        "reaction": ["this one stung my skin 😬"],
    }


def test_themes_separate_two_topics_and_name_them() -> None:
    # Two clearly apart topics, each written in several ways, must not share a theme.
    food = [
        "this pasta recipe is delicious",
        "the soup tasted amazing",
        "best pizza I have ever eaten",
        "that cake looks so tasty",
        "I love this curry recipe",
        "the bread came out perfect and tasty",
    ]
    travel = [
        "the flight to Lisbon was delayed",
        "our flight got cancelled at the airport",
        "boarding the plane now",
        "lost my luggage at the airport",
        "missed my connecting flight",
        "airport queues again",
    ]
    themes = find_themes(food * 3 + travel * 2, embedder=Embedder(), k=2)
    assert len(themes) == 2
    assert themes[0].comments == 18 and themes[1].comments == 12
    assert set(themes[0].examples) <= set(food) and set(themes[1].examples) <= set(travel)
    assert abs(sum(t.share for t in themes) - 1.0) < 1e-9
    assert "flight" in themes[1].words or "airport" in themes[1].words
    assert find_themes(["ok", "ok"]) == []


def test_requests_are_labelled_and_shown(models: ToneModels) -> None:
    texts = ["please do a video on your night routine", "Add a vegan version!", "so cute", "where did you get this?"]
    out = judge_texts(pl.DataFrame({"text": texts}), models, mode="fast")
    assert out["request"].to_list() == [True, True, False, False]
    frame = out.with_columns(
        pl.lit("a").alias("author"),
        pl.lit(0).alias("likes"),
        pl.lit(datetime(2026, 11, 1, tzinfo=UTC)).alias("posted_at"),
    )
    assert [r["text"] for r in gold.qualitative_gold(frame)["requests"]] == texts[:2]


def test_request_rules_on_the_real_suggestion_mining_set(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from grassroots.cli import app

    path = SHARED_DATA / "suggestion_mining" / "sentences.csv"
    result = CliRunner().invoke(app, ["evaluate", "requests", str(path)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["n"] == 5936 and set(figures) == {"n", "accuracy", "precision", "recall", "f1"}
    assert figures["f1"] >= 0.6, figures  # docs/accuracy.md: 0.656 on the dev file
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("text,label\nplease add a dark mode,1\n")
    bad = CliRunner().invoke(app, ["evaluate", "requests", str(wrong)])
    assert bad.exit_code == 1 and "lacks column" in bad.output


def test_phrases_survive_emoji_only_and_one_word_comments() -> None:
    frame = labelled([("🔥🔥🔥", "a", "positive", "none", "none", 0), ("wow", "b", "positive", "none", "none", 0),
                      ("good pup", "c", "positive", "none", "none", 0), ("what a good pup", "d", "positive", "none", "none", 0)])  # fmt: skip
    assert gold.recurring_phrases(frame) == [{"phrase": "good pup", "people": 2, "example": "good pup"}]
