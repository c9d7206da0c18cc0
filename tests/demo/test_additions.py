"""Later additions leave the first world alone; the home bakers are there, some of them never saying "sourdough"."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date
from typing import Any

from grassroots.creators.tiers import Tier
from grassroots.demo.additions import MIN_BAKERS
from grassroots.demo.bought import MIN_BOUGHT
from grassroots.demo.generator import generate_world
from grassroots.demo.niches import BAKING, NICHES
from grassroots.demo.strong import MIN_STRONG
from grassroots.demo.world import HISTORY_DAYS, POSTS_PER_ACCOUNT, TABLES, World, tier_plan_for

# Rows of the seed-7, 2,000-creator world on 2026-01-15 before bakers, store and fans existed, and their hash
# as computed from the code of that time. Any change to the first world's draws changes the hash. Changed once
# on purpose: fan handles got endings from a stream of their own (texts.crowd); without the endings the rows
# hash to the earlier befadc714fa7… exactly (every draw of the main stream is as it was).
FIRST_WORLD = {"creators": 2000, "accounts": 2315, "posts": 27780, "comments": 210607, "snapshots": 208350,
               "truths": 643}  # fmt: skip
FIRST_WORLD_SHA256 = "4b84935caa84b2a3e186889468a652662ee2fdae3c88281f1b4f7bdb466cc147"
SOURDOUGH = "sourdough"


def _digest(world: World, counts: dict[str, int]) -> str:
    digest = hashlib.sha256()
    for _, attr in TABLES:
        for row in getattr(world, attr)[: counts[attr]]:
            digest.update(json.dumps(row, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _bakers(world: World) -> dict[int, list[dict[str, Any]]]:
    """Accounts of the creators after the first 2,000 and before the strong creators and buyers, by creator key."""
    labelled = {t["account_key"] for t in world.truths if t["label"] in ("strong", "bought_followers")}
    later = {world.accounts[key]["creator_key"] for key in labelled}
    strong = {a["key"] for a in world.accounts if a["creator_key"] in later}
    accounts: dict[int, list[dict[str, Any]]] = {}
    for account in world.accounts[FIRST_WORLD["accounts"] :]:
        if account["key"] not in strong:
            accounts.setdefault(account["creator_key"], []).append(account)
    return accounts


def test_the_first_world_is_unchanged_row_for_row(default_world: World) -> None:
    assert _digest(default_world, FIRST_WORLD) == FIRST_WORLD_SHA256
    assert all(len(getattr(default_world, attr)) > FIRST_WORLD[attr] for attr in FIRST_WORLD)


def test_bakers_are_three_percent_more_creators_and_mostly_small(default_world: World) -> None:
    bakers = _bakers(default_world)
    assert len(bakers) == 60 and sorted(bakers) == list(range(2000, 2060))
    primaries = [accounts[0] for accounts in bakers.values()]
    tiers = Counter(tier_plan_for(a["followers"]).tier for a in primaries)
    assert tiers[Tier.micro_micro] + tiers[Tier.nano] >= 0.75 * len(primaries)
    assert all(a["bio"].startswith(BAKING.bios) for a in primaries)
    keys = {a["key"] for accounts in bakers.values() for a in accounts}
    posts = Counter(p["account_key"] for p in default_world.posts if p["account_key"] in keys)
    assert set(posts.values()) == {POSTS_PER_ACCOUNT} and set(posts) == keys
    snapshots = Counter(s["account_key"] for s in default_world.snapshots if s["account_key"] in keys)
    assert set(snapshots.values()) == {HISTORY_DAYS}
    baker_posts = {p["key"] for p in default_world.posts if p["account_key"] in keys}
    assert sum(c["post_key"] in baker_posts for c in default_world.comments) > 4 * len(baker_posts)


def test_baker_handles_never_match_an_earlier_commenter(default_world: World) -> None:
    commenters = {c["author_handle"] for c in default_world.comments[: FIRST_WORLD["comments"]]}
    assert not commenters & {a["handle"] for accounts in _bakers(default_world).values() for a in accounts}


def test_a_third_of_baking_texts_and_some_bakers_never_say_sourdough(default_world: World) -> None:
    for pool in (BAKING.captions, BAKING.bios):
        assert sum(SOURDOUGH not in text.lower() for text in pool) >= len(pool) / 3
    assert all(SOURDOUGH not in t.lower() for t in (*NICHES["baking_classic"].captions, *NICHES["baking_classic"].bios))
    bakers = _bakers(default_world)
    keys = {a["key"]: creator for creator, accounts in bakers.items() for a in accounts}
    captions = [p["caption"] for p in default_world.posts if p["account_key"] in keys]
    assert sum(SOURDOUGH not in c.lower() for c in captions) >= len(captions) / 3
    said: dict[int, bool] = dict.fromkeys(bakers, False)
    for creator, accounts in bakers.items():
        said[creator] |= any(SOURDOUGH in f"{a['handle']} {a['bio']} {a['display_name']}".lower() for a in accounts)
    for post in default_world.posts:
        if post["account_key"] in keys:
            said[keys[post["account_key"]]] |= SOURDOUGH in post["caption"].lower()
    assert len(bakers) / 5 <= list(said.values()).count(False) <= len(bakers) / 2
    assert list(said.values()).count(True) >= len(bakers) / 2


def test_small_worlds_get_at_least_twelve_bakers() -> None:
    world = generate_world(seed=3, creators=60, today=date(2026, 1, 15))
    assert len(world.creators) == 60 + MIN_BAKERS + MIN_STRONG + MIN_BOUGHT
    bakers = [a for a in world.accounts if 60 <= a["creator_key"] < 60 + MIN_BAKERS]
    assert all(a["bio"].startswith(BAKING.bios) for a in bakers)
    assert {"baking"} == {a["display_name"].split(" · ")[1] for a in bakers if " · " in a["display_name"]}
