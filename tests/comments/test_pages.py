"""Analysing stored comments: only new ones, per creator or campaign, shown on pages and in the API."""

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration
from grassroots.comments.models import CommentLabel
from grassroots.comments.service import Scope, analyze_comments
from grassroots.creators import service as creators
from grassroots.creators.models import Comment, Platform
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from tests.support import csrf_from, workspace_id

TEXTS = [
    "where can I get this? 😍", "just ordered mine!", "does it work on sensitive skin?", "way too expensive for me",
    "this broke me out, returned it", "I tried it for two weeks and my skin is so calm", "so cute", "link please!",
    "love this so much", "my skin is so calm now",
]  # fmt: skip
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def seed(engine: Engine) -> dict[str, int]:
    """Two creators with a post each; Ana's post in a campaign window, Mo's old post outside it."""
    ws = workspace_id(engine)
    ids: dict[str, int] = {}
    with session_scope(engine) as s:
        for name, handle, when, texts in (
            ("Ana", "ana.glow", NOW, TEXTS),
            ("Mo", "vegan_mo", NOW - timedelta(days=60), TEXTS[:3]),
        ):
            creator = creators.create_creator(
                s,
                ws,
                CreatorIn(
                    display_name=name, accounts=[AccountIn(platform=Platform.instagram, handle=handle, followers=4000)]
                ),
            )
            caption = "new serum from @glowco #sp" if name == "Ana" else "new serum"
            post = creators.add_post(
                s, ws, creator.accounts[0].id, PostIn(caption=caption, likes=50, posted_at=when, sponsored=True)
            )
            for i, text in enumerate(texts):
                at = when + timedelta(hours=i)
                s.add(Comment(workspace_id=ws, post_id=post.id, author_handle=f"fan{i}", text=text, posted_at=at))
            ids[name] = creator.id
        campaign = Campaign(workspace_id=ws, name="Serum launch", goal=CampaignGoal.launch,
                            starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30))  # fmt: skip
        s.add(campaign)
        s.flush()
        for name in ("Ana", "Mo"):
            s.add(Collaboration(workspace_id=ws, campaign_id=campaign.id, creator_id=ids[name]))
        ids["campaign"] = campaign.id
    return ids


def labels(engine: Engine) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(CommentLabel)) or 0)


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


def test_campaign_page_and_api(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    token_page = owner_client.get("/campaigns").text
    assert f'href="/campaigns/{ids["campaign"]}"' in token_page
    page = owner_client.get(f"/campaigns/{ids['campaign']}")
    assert page.status_code == 200 and "Serum launch" in page.text and "Ana" in page.text
    disclosure = page.text[page.text.index('id="disclosure"') :]
    assert "0 of 1 clearly disclosed" in disclosure and "@ana.glow" in disclosure and "#sp" in disclosure
    owner_client.post(f"/campaigns/{ids['campaign']}", data={"csrf_token": csrf_from(page.text)})
    data = owner_client.get(f"/api/v1/campaigns/{ids['campaign']}/language").json()
    assert data["total"] == len(TEXTS) and data["unlabelled"] == 0
    assert data["intent"]["bought"] == 1 and abs(sum(data["sentiment"].values()) - 1) < 1e-9
    assert data["questions"][0]["text"] == "does it work on sensitive skin?"
    creator = owner_client.get(f"/api/v1/creators/{ids['Mo']}/language").json()
    assert creator["total"] == 0 and creator["unlabelled"] == 3
    run = owner_client.post(f"/api/v1/creators/{ids['Mo']}/language").json()
    assert run["comments"] == 3 and run["mode"] == "full"
    themes = owner_client.get(f"/api/v1/campaigns/{ids['campaign']}/themes").json()
    assert themes and {"name", "words", "comments", "share", "examples"} <= set(themes[0])
    missing = owner_client.get("/api/v1/campaigns/99999/language")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")


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
