"""Genuinely strong creators planted in the demo world (synthetic): the few a brand choosing 50 of 500 is after.

About 2 % more creators (at least 12), micro-micro to micro, each with what a strong small creator shows in the
background reading (see /work/shared/seeds): engagement well above the tier's usual range (``ER_UPLIFT``), a
real conversation under the posts (more questions, buying intent and remarks about the product in the post,
and the creator answering questions), commenters who look like people (a picture, an ordinary handle), a
steady organic climb in followers with no purge, and few sponsored posts, always disclosed. Never fake, never
in a pod. Every account of such a creator gets a ``strong`` truth row with what was planted.

They come last, from a random stream of their own, and only append rows (their comments and snapshots are
rewritten before anything else is added), so every earlier row of the seed stays as it was.
"""

from __future__ import annotations

import random
from itertools import groupby

from grassroots.creators.tiers import Tier
from grassroots.demo import texts
from grassroots.demo.generator import AccountPlan, Builder
from grassroots.demo.world import HISTORY_DAYS, Row, pick

STRONG_SHARE, MIN_STRONG = 0.02, 12
STRONG_TIERS = ((Tier.micro_micro, 0.30), (Tier.nano, 0.40), (Tier.micro, 0.30))
ER_UPLIFT = (1.5, 2.2)  # times the engagement an ordinary account of the same size gets
SPONSOR_RATE = (0.0, 0.05)  # share of posts sponsored, never undisclosed
AVATAR_SHARE = 0.99  # commenters with a profile picture (ordinary audiences: 93 %)
REPLY_SHARE = 0.6  # questions the creator answers under the post
DAILY_GROWTH = (0.0015, 0.004)  # mean daily follower growth; day-to-day spread is a quarter of it
# What people write under a strong creator's posts: fewer bare reactions, more questions, buying intent and
# remarks about the very product shown (ordinary audiences: 45 % reactions, 22 % questions, 20 % intent).
CONVERSATION = (("reaction", 0.22), ("question", 0.30), ("intent", 0.22), ("remark", 0.21), ("objection", 0.05))
REMARKS = (
    "the tip about the {product} at the end is exactly what I needed",
    "tried the {product} after your last post and you were right about it",
    "love that you show the {product} after a few weeks and not just on day one",
    "saved this, the part about the {product} finally made it click for me",
    "nobody else explains the {product} this honestly, thank you",
    "I had the same problem with the {product} until I did it your way",
)
REPLIES = (
    "good question! I'll do a full post on the {product} next week",
    "thank you! I got mine from a small shop, it's linked in my bio",
    "about {n} weeks now, I'll share an update when it's been longer",
    "yes, works for me every day, just start slowly with it",
    "honestly it depends, I'd try the smaller size of the {product} first",
)


def add_strong(builder: Builder, count: int) -> None:
    """Append ``count`` strong creators with their accounts, posts, conversations, history and truth rows."""
    rng = builder.rng
    plans = builder.add_genuine_creators(count, STRONG_TIERS)
    uplift: dict[int, float] = {}
    for plan in plans:
        uplift[plan.key] = rng.uniform(*ER_UPLIFT)
        plan.er *= uplift[plan.key]
        plan.sponsor_rate, plan.undisclosed_rate = rng.uniform(*SPONSOR_RATE), 0.0
    first_comment, first_snapshot = len(builder.world.comments), len(builder.world.snapshots)
    builder.fill_accounts(plans)
    replies = _converse(builder, plans, first_comment)
    growth = _steady(builder, plans, first_snapshot)
    for plan in plans:
        detail = {"er_uplift": round(uplift[plan.key], 3), "sponsor_rate": round(plan.sponsor_rate, 3),
                  "daily_growth": round(growth[plan.key], 5), "replies": replies.get(plan.key, 0)}  # fmt: skip
        builder.truth(plan.key, "strong", detail)


def strong_comment(rng: random.Random, niche: texts.Niche) -> tuple[str, str]:
    """(kind, text) of one comment from a strong creator's audience, in the commenter's own words."""
    kind = pick(rng, CONVERSATION)
    if kind == "remark":
        text = rng.choice(REMARKS).format(product=rng.choice(niche.products))
    else:
        pool = {"reaction": niche.reactions, "question": niche.questions, "intent": niche.intent}
        text = rng.choice(pool.get(kind, niche.objections))
    return kind, texts.in_own_words(rng, text)


def _converse(builder: Builder, plans: list[AccountPlan], first: int) -> dict[int, int]:
    """Rewrite the comments stored since ``first`` as a conversation, with the creator's answers; replies per account."""
    rng, world = builder.rng, builder.world
    by_key = {plan.key: plan for plan in plans}
    rows: list[Row] = []
    replies: dict[int, int] = {}
    for post_key, group in groupby(world.comments[first:], key=lambda c: c["post_key"]):
        post = world.posts[post_key]
        plan = by_key[post["account_key"]]
        account = world.accounts[plan.key]
        thread: list[Row] = []
        answered = 0
        for comment in group:
            kind, comment["text"] = strong_comment(rng, texts.NICHES[plan.niche])
            comment["author_has_avatar"] = rng.random() < AVATAR_SHARE
            thread.append(comment)
            if kind == "question" and rng.random() < REPLY_SHARE:
                thread.append(_reply(builder, post, comment, plan, bool(account["has_profile_picture"])))
                answered += 1
        post["comments"] += answered
        replies[plan.key] = replies.get(plan.key, 0) + answered
        rows.extend(sorted(thread, key=lambda c: c["posted_at"]))
    world.comments[first:] = rows
    return replies


def _reply(builder: Builder, post: Row, question: Row, plan: AccountPlan, avatar: bool) -> Row:
    """The creator's answer to a question, from their own handle, minutes to hours after it (never in the future)."""
    rng = builder.rng
    text = rng.choice(REPLIES).format(product=rng.choice(texts.NICHES[plan.niche].products), n=rng.randint(3, 10))
    reply = builder.comment(post, plan.handle, avatar, texts.in_own_words(rng, text), (2, 600))
    reply["posted_at"] = min(question["posted_at"] + (reply["posted_at"] - post["posted_at"]), builder.now)
    return reply


def _steady(builder: Builder, plans: list[AccountPlan], first: int) -> dict[int, float]:
    """Rewrite the follower history stored since ``first`` as a steady climb to today's count; mean growth per account."""
    rng, snapshots = builder.rng, builder.world.snapshots
    growth: dict[int, float] = {}
    for plan in plans:
        rows = [s for s in snapshots[first:] if s["account_key"] == plan.key]
        assert len(rows) == HISTORY_DAYS, "fill_accounts stores one snapshot per day"
        mean = growth[plan.key] = rng.uniform(*DAILY_GROWTH)
        current = float(plan.followers)
        for row in reversed(rows):
            row["followers"] = round(current)
            current /= 1 + max(0.0, rng.gauss(mean, mean / 4))
    return growth
