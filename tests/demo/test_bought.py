"""The demo plants genuine creators who bought one batch of followers: one overnight step, engagement that falls."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from grassroots.demo.bought import BATCH, BOUGHT_SHARE
from grassroots.demo.world import HISTORY_DAYS, World, tier_plan_for


def _bought(world: World) -> dict[int, dict[str, object]]:
    return {t["account_key"]: t["detail"] for t in world.truths if t["label"] == "bought_followers"}


def test_the_last_creators_bought_followers_on_their_largest_account(default_world: World) -> None:
    bought = _bought(default_world)
    creators = {default_world.accounts[key]["creator_key"] for key in bought}
    count = round(2000 * BOUGHT_SHARE)
    total = len(default_world.creators)
    assert len(bought) == count and creators == set(range(total - count, total))
    for key in bought:
        account = default_world.accounts[key]
        siblings = [a for a in default_world.accounts if a["creator_key"] == account["creator_key"]]
        assert account["followers"] == max(a["followers"] for a in siblings)
        assert tier_plan_for(account["followers"]).tier.value in {"nano", "micro"}
    labels = {t["label"] for t in default_world.truths if t["account_key"] in bought}
    assert not labels & {"fake", "pod", "strong"}


def test_the_history_has_one_overnight_step_on_the_day_recorded(default_world: World) -> None:
    history: dict[int, list[tuple[date, int]]] = {}
    for s in default_world.snapshots:
        history.setdefault(s["account_key"], []).append((s["day"], s["followers"]))
    for key, detail in _bought(default_world).items():
        days = history[key]
        assert len(days) == HISTORY_DAYS and days[-1][1] == default_world.accounts[key]["followers"]
        steps = [(b[0], b[1] / a[1] - 1) for a, b in pairwise(days)]
        biggest = max(steps, key=lambda s: s[1])
        assert biggest[0].isoformat() == detail["day"]
        assert BATCH[0] * 0.9 <= biggest[1] <= BATCH[1] * 1.1
        assert sorted(s[1] for s in steps)[-2] < 0.05  # one step, otherwise ordinary growth
        posted = {p["posted_at"].date() for p in default_world.posts if p["account_key"] == key}
        assert biggest[0] not in posted  # bought on a quiet day


def test_their_comments_are_genuine_and_engagement_sits_low(default_world: World) -> None:
    bought = _bought(default_world)
    by_handle = {a["handle"] for a in default_world.accounts}
    followers = {a["key"]: a["followers"] for a in default_world.accounts}
    rates, ordinary = [], []
    buyers_posts = {p["key"] for p in default_world.posts if p["account_key"] in bought}
    for post in default_world.posts:
        if post["views"] is None:
            rate = (post["likes"] + post["comments"]) / followers[post["account_key"]]
            (rates if post["key"] in buyers_posts else ordinary).append(rate)
    comments = [c for c in default_world.comments if c["post_key"] in buyers_posts]
    assert comments and sum(c["author_has_avatar"] for c in comments) / len(comments) > 0.85
    assert not {c["author_handle"] for c in comments} & by_handle - {a["handle"] for a in default_world.accounts
                                                                    if a["key"] in bought}  # fmt: skip
    assert sum(rates) / len(rates) < sum(ordinary) / len(ordinary)
