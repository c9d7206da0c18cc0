"""What joined the synthetic demo world after its first version: home bakers, the brand's store and its fans.

Each part draws from a random stream of its own (``random.Random(seed * 1000 + n)``) and only appends rows, so
the first world of a seed (every creator, account, post, comment, snapshot and truth row) stays exactly as it
was; ``tests/demo/test_additions.py`` pins that with a hash.

* bakers: about 3% more creators (at least 12), mostly micro-micro and nano, in the baking niche; a third of
  them never write the word "sourdough" (``niches.without_word``), so semantic search has bread bakers to find
  by meaning alone. They go through the same code paths as everyone (posts, comments, snapshots, fakes).
* the store (``demo.store``): the demo brand's customers and orders, some of them demo creators;
* fans (``demo.fans``): demo creators who mention the brand unpaid, under others' posts and in their own;
* strong creators (``demo.strong``): about 2 % more creators with the engagement, conversation, audience and
  steady growth a brand looks for, labelled ``strong`` in the truth rows, so the credibility score's ordering
  can be checked at the top as well as at the bottom;
* creators who bought followers (``demo.bought``): about 1.5 % more genuine creators with one overnight batch of
  bought followers and the engagement that falls with it, labelled ``bought_followers``.
"""

from __future__ import annotations

import random

from grassroots.creators.tiers import Tier
from grassroots.demo.bought import BOUGHT_SHARE, MIN_BOUGHT, add_bought
from grassroots.demo.fans import add_fans
from grassroots.demo.generator import Builder
from grassroots.demo.store import add_store
from grassroots.demo.strong import MIN_STRONG, STRONG_SHARE, add_strong
from grassroots.demo.world import TIER_PLAN, pick

STREAM_BAKERS, STREAM_STORE, STREAM_FANS, STREAM_STRONG, STREAM_BOUGHT = 1, 2, 3, 4, 5
BAKER_SHARE, MIN_BAKERS = 0.03, 12
BAKER_TIERS = ((Tier.micro_micro, 0.50), (Tier.nano, 0.38), (Tier.micro, 0.12))
CLASSIC_BAKERS = 1 / 3  # share of bakers who never write "sourdough"


def add_later_parts(builder: Builder, creators: int) -> None:
    """Append the bakers, the store, the brand's fans, the strong creators and the buyers to a fresh first world."""
    seed = builder.world.seed
    builder.rng = random.Random(seed * 1000 + STREAM_BAKERS)
    add_bakers(builder, max(MIN_BAKERS, round(creators * BAKER_SHARE)))
    builder.rng = random.Random(seed * 1000 + STREAM_STORE)
    customers = add_store(builder, creators)
    builder.rng = random.Random(seed * 1000 + STREAM_FANS)
    add_fans(builder, creators, customers)
    builder.rng = random.Random(seed * 1000 + STREAM_STRONG)
    _reserve_commenter_handles(builder)
    add_strong(builder, max(MIN_STRONG, round(creators * STRONG_SHARE)))
    builder.rng = random.Random(seed * 1000 + STREAM_BOUGHT)
    _reserve_commenter_handles(builder)
    add_bought(builder, max(MIN_BOUGHT, round(creators * BOUGHT_SHARE)))


def add_bakers(builder: Builder, count: int) -> None:
    """Append ``count`` home bakers with their accounts, posts, comments and follower history."""
    _reserve_commenter_handles(builder)
    tiers = {plan.tier: plan for plan in TIER_PLAN}
    first_plan, first_key = len(builder.plans), len(builder.world.creators)
    for key in range(first_key, first_key + count):
        tier = tiers[pick(builder.rng, BAKER_TIERS)]
        niche = "baking_classic" if builder.rng.random() < CLASSIC_BAKERS else "baking"
        builder.add_creator(key, tier=tier, niche=niche)
    builder.fill_accounts(builder.plans[first_plan:])


def _reserve_commenter_handles(builder: Builder) -> None:
    """A new creator never takes a handle someone already commented with: that would invent an advocate."""
    builder.reserved = {c["author_handle"] for c in builder.world.comments}
