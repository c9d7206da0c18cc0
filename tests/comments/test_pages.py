"""Analysing stored comments: only new ones, per creator or campaign, shown on pages and in the API."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from grassroots.comments.models import CommentLabel
from grassroots.comments.service import Scope, analyze_comments
from grassroots.creators.models import Comment
from grassroots.db.session import session_scope
from tests.comments.world import TEXTS, labels, seed
from tests.support import csrf_from, workspace_id


def test_analysis_labels_only_new_comments_in_scope_and_redo_relabels(engine: Engine) -> None:
    ids = seed(engine)
    ws = workspace_id(engine)
    with session_scope(engine) as s:
        run = analyze_comments(s, Scope(ws, creator_id=ids["Mo"]), batch=2)
        assert run.comments == 3 and run.distinct_texts == 3
    assert labels(engine) == 3
    with session_scope(engine) as s:
        assert analyze_comments(s, Scope(ws, creator_id=ids["Mo"])).comments == 0
        # The campaign window (November) holds Ana's post, not Mo's September one.
        assert analyze_comments(s, Scope(ws, campaign_id=ids["campaign"])).comments == len(TEXTS)
        # Mo's three comments repeat three of Ana's: each distinct text is judged once per run.
        rerun = analyze_comments(s, Scope(ws), redo=True, mode="fast", batch=4)
        assert rerun.comments == len(TEXTS) + 3 and rerun.distinct_texts == len(TEXTS)
    assert labels(engine) == len(TEXTS) + 3
    with session_scope(engine) as s:
        modes = set(s.scalars(select(CommentLabel.mode)).all())
        intents = dict(s.execute(select(Comment.text, CommentLabel.purchase_intent).join(CommentLabel)).all())
    assert modes == {"fast"}
    assert intents["just ordered mine!"] == "bought" and intents["link please!"] == "ask_where"


def test_creator_page_shows_panels_after_analyse_now(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    page = owner_client.get(f"/creators/{ids['Ana']}/comments")
    assert page.status_code == 200 and "10 comments are not analysed yet" in page.text
    done = owner_client.post(f"/creators/{ids['Ana']}/comments", data={"csrf_token": csrf_from(page.text)})
    assert done.status_code == 303
    page = owner_client.get(f"/creators/{ids['Ana']}/comments").text
    assert "not analysed yet" not in page and "(10 analysed comments)" in page
    gold = page[page.index('id="gold"') :]
    assert "does it work on sensitive skin?" in gold
    assert "price" in gold and "way too expensive for me" in gold  # an objection with its example
    assert "I tried it for two weeks" in gold  # own use
    assert 'id="tone-chart"' in page and "tone-data" in page
    themes = owner_client.get(f"/creators/{ids['Ana']}/comments/themes")
    assert themes.status_code == 200 and "<table" in themes.text


def test_analyze_cli_labels_a_file_and_rejects_bad_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from grassroots.cli import app

    src = tmp_path / "comments.csv"
    src.write_text("id,text\n1,where can I get this?\n2,worst purchase ever\n")
    out = tmp_path / "labelled.parquet"
    result = CliRunner().invoke(
        app, ["analyze", "comments", "--input", str(src), "--output", str(out), "--mode", "fast"]
    )
    assert result.exit_code == 0, result.output
    import polars as pl

    frame = pl.read_parquet(out)
    assert frame["purchase_intent"].to_list() == ["ask_where", "none"] and frame["sentiment"][1] == "negative"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,hello\n")
    result = CliRunner().invoke(app, ["analyze", "comments", "--input", str(bad)])
    assert result.exit_code == 1 and "lacks column 'text'" in result.output
    result = CliRunner().invoke(app, ["analyze", "comments", "--creator", "x", "--campaign", "y"])
    assert result.exit_code == 1 and "at most one" in result.output


def test_panels_opened_by_their_own_url_come_styled(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    for path in (
        f"/creators/{ids['Ana']}/fit",
        f"/creators/{ids['Ana']}/comments/themes",
        f"/campaigns/{ids['campaign']}/themes",
    ):
        alone = owner_client.get(path)
        assert alone.status_code == 200 and '<link rel="stylesheet" href="/static/app.css">' in alone.text, path
        assert "<h1>" in alone.text and "← Back" in alone.text
        panel = owner_client.get(path, headers={"HX-Request": "true"})
        assert panel.status_code == 200 and "<!doctype html>" not in panel.text.lower() and "<h1>" not in panel.text
