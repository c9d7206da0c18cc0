"""The demo plants genuinely strong creators: high engagement, a real conversation, real commenters, steady growth."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise
from statistics import median
from typing import Any

from grassroots.demo.bought import BOUGHT_SHARE
from grassroots.demo.generator import generate_world
from grassroots.demo.strong import MIN_STRONG, SPONSOR_RATE
from grassroots.demo.world import HISTORY_DAYS, POSTS_PER_ACCOUNT, World, tier_plan_for

BOUGHT = round(2000 * BOUGHT_SHARE)


def _strong(world: World) -> dict[int, dict[str, Any]]:
    return {t["account_key"]: t["detail"] for t in world.truths if t["label"] == "strong"}


def _rates(world: World) -> dict[int, float]:
    """Median engagement per account: (likes + comments) over views for videos, over followers otherwise."""
    followers = {a["key"]: a["followers"] for a in world.accounts}
    rates: dict[int, list[float]] = defaultdict(list)
    for p in world.posts:
        rates[p["account_key"]].append((p["likes"] + p["comments"]) / (p["views"] or followers[p["account_key"]]))
    return {key: median(values) for key, values in rates.items()}


def test_two_percent_more_creators_are_strong_and_never_fake_or_in_a_pod(default_world: World) -> None:
    strong = _strong(default_world)
    creators = {default_world.accounts[key]["creator_key"] for key in strong}
    last = len(default_world.creators) - BOUGHT  # the buyers of followers come after them
    assert len(creators) == 40 and creators == set(range(last - 40, last))
    every_account = {a["key"] for a in default_world.accounts if a["creator_key"] in creators}
    assert set(strong) == every_account  # each of their accounts is labelled
    bad = {t["account_key"] for t in default_world.truths if t["label"] in ("fake", "pod", "undisclosed")}
    assert not bad & every_account
    tiers = {tier_plan_for(default_world.accounts[key]["followers"]).tier.value for key in strong}
    assert tiers <= {"micro-micro", "nano", "micro"}


def test_strong_creators_engage_well_above_their_tier(default_world: World) -> None:
    strong, rates = _strong(default_world), _rates(default_world)
    others: dict[str, list[float]] = defaultdict(list)
    fakes = {t["account_key"] for t in default_world.truths if t["label"] == "fake"}
    for a in default_world.accounts:
        if a["key"] not in strong and a["key"] not in fakes:
            others[tier_plan_for(a["followers"]).tier.value].append(rates[a["key"]])
    above = [
        rates[k] > median(others[tier_plan_for(default_world.accounts[k]["followers"]).tier.value]) for k in strong
    ]
    assert sum(above) >= 0.9 * len(above)


def test_a_real_conversation_with_the_creator_answering(default_world: World) -> None:
    strong = _strong(default_world)
    handles = {key: default_world.accounts[key]["handle"] for key in strong}
    owner = {p["key"]: p["account_key"] for p in default_world.posts if p["account_key"] in strong}
    threads: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in default_world.comments:
        if c["post_key"] in owner:
            threads[c["post_key"]].append(c)
    audience = [c for post, rows in threads.items() for c in rows if c["author_handle"] != handles[owner[post]]]
    assert sum("?" in c["text"] for c in audience) >= 0.25 * len(audience)
    assert sum(c["author_has_avatar"] for c in audience) >= 0.97 * len(audience)
    replies = 0
    for post, rows in threads.items():
        assert [c["posted_at"] for c in rows] == sorted(c["posted_at"] for c in rows)
        own = [i for i, c in enumerate(rows) if c["author_handle"] == handles[owner[post]]]
        assert all(any("?" in rows[j]["text"] for j in range(i)) for i in own)  # an answer follows a question
        replies += len(own)
        post_row = default_world.posts[post]
        assert post_row["comments"] >= len(rows)
    assert replies == sum(detail["replies"] for detail in strong.values()) > len(strong)


def test_steady_growth_few_sponsored_posts_all_disclosed(default_world: World) -> None:
    strong = _strong(default_world)
    history: dict[int, list[int]] = defaultdict(list)
    for s in default_world.snapshots:
        if s["account_key"] in strong:
            history[s["account_key"]].append(s["followers"])
    for key, series in history.items():
        assert len(series) == HISTORY_DAYS and series[-1] == default_world.accounts[key]["followers"]
        assert all(0 <= b - a <= max(3, 0.02 * a) for a, b in pairwise(series))  # no jump, no drop
    posts = [p for p in default_world.posts if p["account_key"] in strong]
    assert len(posts) == POSTS_PER_ACCOUNT * len(strong)
    assert sum(p["sponsored"] for p in posts) <= 2 * SPONSOR_RATE[1] * len(posts)


def test_small_worlds_get_at_least_twelve_strong_creators() -> None:
    world = generate_world(seed=3, creators=60, today=date(2026, 1, 15))
    assert len({world.accounts[key]["creator_key"] for key in _strong(world)}) == MIN_STRONG
