"""Brand fit: closeness by meaning to the brand profile, exclusions with their posts, the settings form."""

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.creators import service as creators
from grassroots.creators.models import Platform
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from grassroots.judgments.language.embeddings import Embedder
from grassroots.judgments.language.fit import brand_fit, exclusions, profile_text, scale
from tests.support import csrf_from, workspace_id

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
        fits[name] = brand_fit(posts, embedder.embed(captions), profile, ["gambling", "alcohol"])
    assert fits["skin"].score > fits["games"].score + 30
    assert fits["skin"].exclusions == []
    assert [(e["id"], e["category"], e["matched"]) for e in fits["games"].exclusions] == [
        (2, "gambling", ["casino", "free spins"])
    ]
    assert fits["skin"].closest[0]["caption"] in SKINCARE


def test_scale_and_empty_inputs() -> None:
    assert scale(0.0) == 0 and scale(0.9) == 100 and 40 < scale(0.27) < 60
    empty = pl.DataFrame({"id": [], "caption": []}, schema={"id": pl.Int64, "caption": pl.String})
    assert brand_fit(empty, np.zeros((0, 384)), np.ones(384), ["alcohol"]).score == 0
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
