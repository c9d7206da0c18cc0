"""Creators who bought followers, planted in the demo world (synthetic): real people with a padded count.

Unlike the fake accounts of the first world (bot comments, engagement of 0.1-1 %, several jumps), these are
ordinary nano and micro creators with a genuine audience who once bought a batch of followers: one overnight
step of 30-100 % on a day without posts, and followers who never engage, so the same real likes and comments
are spread over a larger count (engagement falls by the size of the batch). The background reading calls this
the "jagged staircase"; a brand paying by reach pays for people who are not there.

About 1.5 % more creators (at least 10); the creator's largest account bought, a second account stays organic.
Each buying account gets a ``bought_followers`` truth row with the day, the number bought and the share.
They come after the strong creators, from a random stream of their own, and only append rows (their snapshots
are rewritten before anything else is added), so every earlier row of the seed stays as it was.
"""

from __future__ import annotations

from datetime import timedelta

from grassroots.creators.tiers import Tier
from grassroots.demo.generator import AccountPlan, Builder
from grassroots.demo.world import HISTORY_DAYS

BOUGHT_SHARE, MIN_BOUGHT = 0.015, 10
BOUGHT_TIERS = ((Tier.nano, 0.5), (Tier.micro, 0.5))
BATCH = (0.3, 1.0)  # followers bought in one go, as a share of the organic audience
EARLIEST, LATEST = 10, HISTORY_DAYS - 5  # days of the history the purchase may fall on


def add_bought(builder: Builder, count: int) -> None:
    """Append ``count`` creators whose largest account bought one batch of followers, with their truth rows."""
    rng = builder.rng
    plans = builder.add_genuine_creators(count, BOUGHT_TIERS)
    buyers: dict[int, float] = {}
    for plan in plans:
        account = builder.world.accounts[plan.key]
        largest = max((p for p in plans if builder.world.accounts[p.key]["creator_key"] == account["creator_key"]),
                      key=lambda p: p.followers)  # fmt: skip
        if largest is plan:
            buyers[plan.key] = rng.uniform(*BATCH)
            plan.er /= 1 + buyers[plan.key]  # the real audience engages as before; the bought part never does
    first_snapshot = len(builder.world.snapshots)
    builder.fill_accounts(plans)
    for plan in plans:
        if plan.key in buyers:
            _buy(builder, plan, buyers[plan.key], first_snapshot)


def _buy(builder: Builder, plan: AccountPlan, batch: float, first: int) -> None:
    """Rewrite the account's history so that ``batch`` of today's audience arrived overnight on a quiet day."""
    rows = [s for s in builder.world.snapshots[first:] if s["account_key"] == plan.key]
    assert len(rows) == HISTORY_DAYS, "fill_accounts stores one snapshot per day"
    start = rows[0]["day"]
    posted = {(p["posted_at"].date() - start).days for p in builder.world.posts if p["account_key"] == plan.key}
    quiet = [d for d in range(EARLIEST, LATEST) if not posted & {d - 1, d, d + 1}]
    day = builder.rng.choice(quiet)
    before = rows[day - 1]["followers"]
    for row in rows[:day]:
        row["followers"] = round(row["followers"] / (1 + batch))
    added = before - rows[day - 1]["followers"]
    builder.truth(plan.key, "bought_followers", {"day": (start + timedelta(days=day)).isoformat(), "added": added,
                                                 "share": round(batch, 3)})  # fmt: skip
