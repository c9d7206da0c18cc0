"""The demo brand's genuine fans (synthetic): demo creators who mention @dewdrop.skin without being paid.

About 30 creators (1.5% of them, at least 6), mostly micro-micro and nano, about 40% of them also store customers:
each comments on one to three other creators' posts praising the brand (authored by their own account's
handle, on its platform), posts once about it unsponsored, or both. A fan is never fake, in a pod, or a creator
the brand already paid. ``brand_fan`` truth rows list each fan's mention posts and the posts they commented on.
"""

from __future__ import annotations

from collections import Counter

from grassroots.creators.models import Platform
from grassroots.creators.tiers import Tier
from grassroots.demo import texts
from grassroots.demo.generator import AccountPlan, Builder
from grassroots.demo.world import HISTORY_DAYS, Row, pick, weighted_sample

FAN_SHARE, MIN_FANS = 0.015, 6
CUSTOMER_FANS = 0.4  # share of fans drawn from the creators who shop at the store
TIER_WEIGHTS = {Tier.micro_micro: 1.0, Tier.nano: 1.0, Tier.micro: 0.3}
SKINCARE_WEIGHT = 3.0  # skincare creators are likelier fans of a skincare brand
MODES = (("comment", 0.40), ("post", 0.25), ("both", 0.35))
SKINCARE_TARGETS = 0.7  # fan comments mostly land under skincare posts
FAN_COMMENTS = (
    "my @{brand} serum is the only thing that worked for me", "@{brand} barrier serum saved my skin this winter",
    "if you have sensitive skin try @{brand}, not sponsored I just love it",
    "been using @{brand} for a year now, never going back", "the @{brand} SPF doesn't pill under makeup, game changer",
    "same routine here but with the @{brand} cleanser, so gentle", "@{brand} lip mask lives in my bag",
    "honestly @{brand} is so underrated", "my whole shelf is @{brand} at this point and my skin is so calm",
)  # fmt: skip
FAN_CAPTIONS = (
    "Not sponsored, just obsessed: the barrier serum from @{brand} fixed my winter skin.",
    "Empties of the month! Third bottle of the @{brand} SPF, that says it all.",
    "People keep asking what I put on my face: it's @{brand}, bought with my own money.",
    "Five-minute routine before a long day: @{brand} cleanser, serum, SPF. Done.",
    "Restocked my @{brand} moisturiser today. Some things you just don't switch.",
)  # fmt: skip


def add_fans(builder: Builder, creators: int, customers: list[int]) -> None:
    """Pick the fans and append their brand-mention comments and posts and ``brand_fan`` truths."""
    rng, primary = builder.rng, builder.world.primary_accounts()
    eligible = _eligible(builder, primary)
    count = min(len(eligible), max(MIN_FANS, round(creators * FAN_SHARE)))
    shoppers = [key for key in customers if key in eligible]
    fans = rng.sample(shoppers, min(len(shoppers), round(count * CUSTOMER_FANS)))
    others = {k: w for k, w in eligible.items() if k not in fans}
    fans = sorted(fans + weighted_sample(rng, others, count - len(fans)))
    targets = _Targets(builder)
    for key in fans:
        plan = builder.plans[primary[key]["key"]]
        mode = pick(rng, MODES)
        posts = [_fan_post(builder, plan)] if mode != "comment" else []
        commented = [_fan_comment(builder, plan, targets) for _ in range(rng.randint(1, 3))] if mode != "post" else []
        detail = {"creator_key": key, "handle": plan.handle, "platform": plan.platform.value, "posts": posts,
                  "commented_on": [c for c in commented if c is not None], "customer": key in customers}  # fmt: skip
        builder.truth(plan.key, "brand_fan", detail)


def _eligible(builder: Builder, primary: dict[int, Row]) -> dict[int, float]:
    """Creator keys who could be genuine fans, weighted: small, genuine, in no pod, never paid by the brand."""
    owner = {a["key"]: a["creator_key"] for a in builder.world.accounts}
    paid = {
        owner[p["account_key"]] for p in builder.world.posts if p["sponsored"] and texts.DEMO_BRAND in p["mentions"]
    }
    weights = {}
    for key, account in primary.items():
        plan = builder.plans[account["key"]]
        weight = TIER_WEIGHTS.get(plan.tier, 0.0) * (SKINCARE_WEIGHT if plan.niche == "skincare" else 1.0)
        if weight and not plan.fake and plan.pod is None and key not in paid:
            weights[key] = weight
    return weights


class _Targets:
    """Posts a fan may comment under: genuine accounts' posts with room for one more stored comment."""

    def __init__(self, builder: Builder) -> None:
        self.rng, self.accounts = builder.rng, builder.world.accounts
        stored = Counter(c["post_key"] for c in builder.world.comments)
        self.room = {p["key"]: p["comments"] - stored[p["key"]] for p in builder.world.posts}
        self.pools: dict[tuple[Platform, bool], list[Row]] = {}
        for post in builder.world.posts:
            plan = builder.plans[post["account_key"]]
            if not plan.fake and self.room[post["key"]] > 0:
                self.pools.setdefault((plan.platform, plan.niche == "skincare"), []).append(post)

    def draw(self, fan: AccountPlan) -> Row | None:
        """Someone else's post on the fan's platform, mostly a skincare one; None when no room is left."""
        skincare = self.rng.random() < SKINCARE_TARGETS
        pool = self.pools.get((fan.platform, skincare)) or self.pools.get((fan.platform, not skincare)) or []
        me = self.accounts[fan.key]["creator_key"]
        for post in self.rng.sample(pool, min(len(pool), 50)):
            if self.room[post["key"]] > 0 and self.accounts[post["account_key"]]["creator_key"] != me:
                self.room[post["key"]] -= 1
                return post
        return None


def _fan_comment(builder: Builder, plan: AccountPlan, targets: _Targets) -> int | None:
    """One comment praising the brand under someone else's post; returns that post's key."""
    post = targets.draw(plan)
    if post is None:
        return None
    rng = builder.rng
    text = texts.in_own_words(rng, rng.choice(FAN_COMMENTS).format(brand=texts.DEMO_BRAND))
    avatar = bool(builder.world.accounts[plan.key]["has_profile_picture"])
    builder.world.comments.append(builder.comment(post, plan.handle, avatar, text, (2, 4320)))
    return int(post["key"])


def _fan_post(builder: Builder, plan: AccountPlan) -> int:
    """One unsponsored post of the fan's own about the brand, with its own comments; returns its key."""
    rng = builder.rng
    post = builder.new_post(plan, rng.randint(1, HISTORY_DAYS - 2), sponsored=False)
    tags = " ".join("#" + t for t in rng.sample(texts.NICHES["skincare"].hashtags, rng.randint(2, 4)))
    builder.publish(plan, post, f"{rng.choice(FAN_CAPTIONS).format(brand=texts.DEMO_BRAND)} {tags}")
    return int(post["key"])
