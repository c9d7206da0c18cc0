"""The shape of the synthetic demo world: its tables, tiers, platforms, post kinds and rates (see docs/demo.md).

``demo.generator`` draws a world to this plan; ``demo.loader`` stores it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from grassroots.creators.models import Platform, PostKind
from grassroots.creators.tiers import Tier
from grassroots.tracking.records import OrderRecord

Row = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class TierPlan:
    """Share of creators, follower range and engagement range of one tier."""

    tier: Tier
    low: int
    high: int
    share: float
    er_low: float
    er_high: float
    fake_share: float


TIER_PLAN = (
    TierPlan(Tier.micro_micro, 80, 2_000, 0.30, 0.10, 0.20, 0.0),
    TierPlan(Tier.nano, 2_000, 10_000, 0.35, 0.08, 0.12, 0.105),
    TierPlan(Tier.micro, 10_000, 100_000, 0.28, 0.07, 0.10, 0.095),
    TierPlan(Tier.macro, 100_000, 1_000_000, 0.06, 0.01, 0.02, 0.02),
    TierPlan(Tier.mega, 1_000_000, 6_000_000, 0.01, 0.005, 0.015, 0.0),
)
PLATFORMS = ((Platform.instagram, 0.55), (Platform.tiktok, 0.30), (Platform.youtube, 0.15))
KINDS = {
    Platform.instagram: ((PostKind.image, 0.40), (PostKind.carousel, 0.25), (PostKind.reel, 0.35)),
    Platform.tiktok: ((PostKind.video, 1.0),),
    Platform.youtube: ((PostKind.video, 0.5), (PostKind.short, 0.5)),
}
SECOND_ACCOUNT_SHARE = 0.15
POSTS_PER_ACCOUNT = 12
HISTORY_DAYS = 90
# Sponsorship is a habit: 65% of accounts take deals (5-32% of their posts, 12% of all posts overall);
# 35% of those are sloppy and leave 85% of deals undisclosed, the rest slip 5% of the time (1/3 overall).
SPONSORING_SHARE, SPONSOR_RATE = 0.65, (0.05, 0.32)
SLOPPY_SHARE, UNDISCLOSED_RATE = 0.35, {True: 0.85, False: 0.05}
COMMENT_CAP = 25
PURGE_SHARE = 0.15
FAKE_ER = (0.0015, 0.006)  # before bot comments; measured account ER lands in 0.1-1%
POD_SIZE = (6, 10)
TABLES = (("creator", "creators"), ("social_account", "accounts"), ("post", "posts"), ("comment", "comments"),
          ("follower_snapshot", "snapshots"), ("demo_truth", "truths"))  # fmt: skip


@dataclass
class World:
    """The generated rows, table by table, linked by local keys.

    ``key`` of creators, accounts and posts is the row's index in its list (0, 1, 2, ...); children
    point at parents with ``creator_key``, ``account_key`` or ``post_key``.
    """

    seed: int
    today: date
    creators: list[Row] = field(default_factory=list)
    accounts: list[Row] = field(default_factory=list)
    posts: list[Row] = field(default_factory=list)
    comments: list[Row] = field(default_factory=list)
    snapshots: list[Row] = field(default_factory=list)
    truths: list[Row] = field(default_factory=list)
    orders: list[OrderRecord] = field(default_factory=list)  # the demo brand's synthetic store

    def counts(self) -> dict[str, int]:
        """Rows per table, keyed by table name."""
        counts = {table: len(getattr(self, attr)) for table, attr in TABLES}
        customers = {o.customer.external_id for o in self.orders if o.customer is not None}
        lines = sum(len(o.lines) for o in self.orders)
        return counts | {"customer": len(customers), "sales_order": len(self.orders), "order_line": lines}

    def primary_accounts(self) -> dict[int, Row]:
        """Each creator's first (main) account, by creator key."""
        primary: dict[int, Row] = {}
        for account in self.accounts:
            primary.setdefault(account["creator_key"], account)
        return primary


def tier_plan_for(followers: int) -> TierPlan:
    """The tier plan whose follower range holds this count."""
    for plan in reversed(TIER_PLAN):
        if followers >= plan.low:
            return plan
    return TIER_PLAN[0]


def pick(rng: random.Random, pairs: tuple[tuple[T, float], ...]) -> T:
    """One item, drawn with the paired weights."""
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def weighted_sample(rng: random.Random, weights: dict[int, float], count: int) -> list[int]:
    """Up to ``count`` distinct keys drawn with these (positive) weights, Efraimidis-Spirakis; in key order."""
    ranked = sorted(weights, key=lambda k: math.log(rng.random() or 1e-300) / weights[k], reverse=True)
    return sorted(ranked[:count])
