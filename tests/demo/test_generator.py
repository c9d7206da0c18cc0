"""The synthetic demo world: reproducible, shaped as documented, and loadable."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any, cast

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.creators.models import Comment, Creator, FollowerSnapshot, Post, SocialAccount
from grassroots.creators.service import refresh_summaries
from grassroots.creators.stats import median_engagement, post_engagement
from grassroots.creators.tiers import Tier
from grassroots.db.migrate import upgrade
from grassroots.db.session import make_engine
from grassroots.demo.generator import HISTORY_DAYS, World, generate_world, tier_plan_for
from grassroots.demo.loader import load_world
from grassroots.demo.models import DemoTruth
from grassroots.tracking.models import Customer, Order
from grassroots.workspaces.models import Workspace

TODAY = date(2026, 1, 15)
DISCLOSED = re.compile(r"^(#ad\b|Paid partnership with @)")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(seed=11, creators=600, today=TODAY)


def _rates(world: World) -> dict[int, float]:
    followers = {a["key"]: a["followers"] for a in world.accounts}
    posts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in world.posts:
        posts[p["account_key"]].append(p)
    return {
        key: median_engagement(
            post_engagement(p["kind"], p["likes"], p["comments"], p["views"], followers[key]) for p in rows
        )
        for key, rows in posts.items()
    }


def _labelled(world: World, label: str) -> dict[int, dict[str, Any]]:
    return {t["account_key"]: t["detail"] for t in world.truths if t["label"] == label}


def test_same_seed_same_world_and_other_seed_differs() -> None:
    first = generate_world(seed=5, creators=80, today=TODAY)
    assert first == generate_world(seed=5, creators=80, today=TODAY)
    assert first.accounts != generate_world(seed=6, creators=80, today=TODAY).accounts


def test_tier_mix_and_engagement_fall_with_size(world: World) -> None:
    primaries: dict[int, dict[str, Any]] = {}
    for account in world.accounts:
        primaries.setdefault(account["creator_key"], account)
    tiers = [tier_plan_for(int(a["followers"])).tier for a in primaries.values()]
    share = {t: tiers.count(t) / len(tiers) for t in Tier}
    assert share[Tier.micro_micro] == pytest.approx(0.30, abs=0.07)
    assert share[Tier.nano] == pytest.approx(0.35, abs=0.07)
    assert share[Tier.micro] == pytest.approx(0.28, abs=0.07)
    assert share[Tier.macro] + share[Tier.mega] < 0.12
    platforms = [a["platform"].value for a in primaries.values()]
    assert platforms.count("instagram") / len(platforms) == pytest.approx(0.55, abs=0.07)
    fakes, rates = _labelled(world, "fake"), _rates(world)
    by_tier: dict[Tier, list[float]] = defaultdict(list)
    for a in world.accounts:
        if a["key"] not in fakes:
            by_tier[tier_plan_for(a["followers"]).tier].append(rates[a["key"]])
    medians = [median(by_tier[t]) for t in (Tier.micro_micro, Tier.nano, Tier.micro, Tier.macro)]
    assert medians == sorted(medians, reverse=True)
    assert 0.10 <= medians[0] <= 0.20 and 0.01 <= medians[3] <= 0.02


def test_accounts_handles_posts_and_history_are_consistent(world: World) -> None:
    for platform in {a["platform"] for a in world.accounts}:
        handles = [a["handle"] for a in world.accounts if a["platform"] == platform]
        assert len(handles) == len(set(handles))
    assert all(re.fullmatch(r"[a-z0-9.]+", a["handle"]) for a in world.accounts)
    fan_posts = sum(len(t["detail"]["posts"]) for t in world.truths if t["label"] == "brand_fan")
    assert len(world.posts) == 12 * len(world.accounts) + fan_posts
    for post in world.posts[:500]:
        assert all(f"#{tag}" in post["caption"].lower() for tag in post["hashtags"])
        assert all(f"@{handle}" in post["caption"] for handle in post["mentions"])
    last: dict[int, int] = {}
    for snap in world.snapshots:
        last[snap["account_key"]] = snap["followers"]
    assert len(world.snapshots) == HISTORY_DAYS * len(world.accounts)
    assert all(last[a["key"]] == a["followers"] for a in world.accounts)
    assert 6 <= len(world.comments) / len(world.posts) <= 10


def test_fakes_have_step_jumps_low_engagement_and_bot_comments(world: World) -> None:
    fakes, rates = _labelled(world, "fake"), _rates(world)
    assert 0.03 <= len(fakes) / len(world.creators) <= 0.10
    history: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for snap in world.snapshots:
        history[snap["account_key"]].append((snap["day"], snap["followers"]))
    bought = _labelled(world, "bought_followers")  # one step each, checked in test_bought.py
    for key, series in history.items():
        if key in bought:
            continue
        steps = {day.isoformat() for (_, a), (day, b) in pairwise(series) if b >= a * 1.18}
        jumps = fakes[key]["jumps"] if key in fakes else []
        assert steps == {day for day, _ in jumps}
        assert (1 <= len(steps) <= 3) if key in fakes else not steps
    assert all(rates[key] < 0.012 for key in fakes)
    fake_posts = {p["key"] for p in world.posts if p["account_key"] in fakes}
    on_fakes = [c for c in world.comments if c["post_key"] in fake_posts]
    bots = [c for c in on_fakes if not c["author_has_avatar"] and re.search(r"\d{4,}$", c["author_handle"])]
    assert len(bots) / len(on_fakes) > 0.6


def test_pod_members_comment_on_each_other_quickly(world: World) -> None:
    pods = _labelled(world, "pod")
    assert 3 <= len({d["pod"] for d in pods.values()}) <= 4
    handle = {a["key"]: a["handle"] for a in world.accounts}
    posted = {p["key"]: (p["account_key"], p["posted_at"]) for p in world.posts}
    seen: dict[int, set[str]] = defaultdict(set)
    for c in world.comments:
        account, at = posted[c["post_key"]]
        if account in pods and c["author_handle"] in pods[account]["members"]:
            assert c["author_handle"] != handle[account]
            assert 60 <= (c["posted_at"] - at).total_seconds() <= 15 * 60
            seen[account].add(c["author_handle"])
    for account, detail in pods.items():
        assert 6 <= len(detail["members"]) <= 10
        assert len(seen[account]) >= 3


def test_undisclosed_sponsored_posts_are_flagged(world: World) -> None:
    flagged = {key for detail in _labelled(world, "undisclosed").values() for key in detail["posts"]}
    sponsored = [p for p in world.posts if p["sponsored"]]
    assert 0.08 <= len(sponsored) / len(world.posts) <= 0.16
    assert 0.2 <= len(flagged) / len(sponsored) <= 0.5
    for post in sponsored:
        assert bool(DISCLOSED.match(post["caption"])) == (post["key"] not in flagged)
        assert post["mentions"]
    assert not any(DISCLOSED.match(p["caption"]) for p in world.posts if not p["sponsored"])


def test_load_into_sqlite_fills_every_table_and_summary(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    upgrade(engine)
    world = generate_world(seed=2, creators=150, today=TODAY)
    stages: dict[str, int] = {}
    with Session(engine) as session:
        workspaces = [Workspace(name="other"), Workspace(name="demo", is_synthetic=True)]
        session.add_all(workspaces)
        session.flush()
        other = load_world(session, workspaces[0].id, generate_world(seed=3, creators=20, today=TODAY))
        counts = load_world(session, workspaces[1].id, world, progress=lambda s, n: stages.__setitem__(s, n))
        session.commit()
        ws = workspaces[1].id
        assert counts == world.counts()
        assert stages["comments"] == len(world.comments)
        for model in (Creator, SocialAccount, Post, Comment, FollowerSnapshot, DemoTruth, Customer, Order):
            total = session.scalar(select(func.count()).select_from(model).where(model.workspace_id == ws))
            assert total == counts[model.__tablename__]
            everywhere = session.scalar(select(func.count()).select_from(model))
            assert everywhere == total + other[model.__tablename__]
        creators = session.scalars(select(Creator).where(Creator.workspace_id == ws)).all()
        assert all(c.primary_handle and c.followers and c.engagement_rate and c.search_text for c in creators)
        assert all(c.primary_platform and c.platforms for c in creators)
        before = {c.id: (c.primary_handle, c.followers, c.engagement_rate, c.search_text) for c in creators}
        refresh_summaries(session, list(before))
        assert before == {c.id: (c.primary_handle, c.followers, c.engagement_rate, c.search_text) for c in creators}
        truths = session.scalars(select(DemoTruth).where(DemoTruth.label == "undisclosed")).all()
        flagged = [post for truth in truths for post in cast(list[int], truth.detail["posts"])]
        sponsored = session.scalars(select(Post.sponsored).where(Post.id.in_(flagged))).all()
        assert flagged and len(sponsored) == len(flagged) and all(sponsored)
