"""Seeded generator of the synthetic demo world (see docs/demo.md for the full model).

``generate_world(seed, creators, today)`` is pure: it draws only from ``random.Random(seed)``, so the
same seed and ``today`` give the same world. Rows are plain dicts keyed like the ORM columns, with local
integer keys (``key``, ``creator_key``, ``account_key``, ``post_key``) that ``demo.loader`` maps to ids.

The model in short:

* platforms Instagram 55%, TikTok 30%, YouTube 15%; 15% of creators have a second, smaller account;
* tiers micro-micro 30%, nano 35%, micro 28%, macro 6%, mega 1%, log-normal followers inside each tier;
* engagement falls with size (micro-micro 10-20% ... mega 0.5-1.5%), over views for video kinds;
* 12 posts per account over the last 90 days, about 12% sponsored, a third of those undisclosed
  (sponsorship and sloppy disclosure are per-account habits);
* stored comments (about 8 per post, at most 25) mixing reactions, questions, purchase intent, objections;
* about 6% fake accounts (nano, micro, a few macro): 1-3 one-day follower jumps of 20-60% on days
  without posts, ER 0.1-1%, generic bot comments from digit-heavy handles without avatars;
* 3-4 engagement pods of 6-10 accounts commenting on each other's posts within 1-15 minutes;
* one follower snapshot per account per day for 90 days, ending at the current follower count.

Hashtags and mentions are stored without ``#``/``@`` and are exactly those found in the caption.
The hidden truth (``demo_truth`` rows: ``fake``, ``pod``, ``undisclosed``) is for the demo only.

Later additions (home bakers, the demo brand's store, its genuine fans; see ``demo.additions``) come after this
world from random streams of their own, so every row above stays exactly as it was for the same seed.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from grassroots.creators.models import Platform, PostKind
from grassroots.creators.stats import VIDEO_KINDS
from grassroots.creators.tiers import Tier
from grassroots.demo import texts
from grassroots.demo.world import (
    COMMENT_CAP,
    FAKE_ER,
    HISTORY_DAYS,
    KINDS,
    PLATFORMS,
    POD_SIZE,
    POSTS_PER_ACCOUNT,
    PURGE_SHARE,
    SECOND_ACCOUNT_SHARE,
    SLOPPY_SHARE,
    SPONSOR_RATE,
    SPONSORING_SHARE,
    TIER_PLAN,
    UNDISCLOSED_RATE,
    Row,
    TierPlan,
    World,
    pick,
    tier_plan_for,
)

CROWD_STREAM = 9  # random.Random(seed * 1000 + 9) draws the endings of fan handles (demo.additions uses 1-5)


@dataclass(frozen=True)
class _Person:
    """What a creator's accounts share."""

    name: str
    niche: str
    city: str
    bio: str


@dataclass
class AccountPlan:
    """Generation-time facts about one account that never reach the database directly."""

    key: int
    platform: Platform
    handle: str
    niche: str
    tier: Tier
    followers: int
    er: float
    fake: bool
    sponsor_rate: float = 0.0
    undisclosed_rate: float = 0.0
    pod: int | None = None
    pod_handles: list[str] = field(default_factory=list)
    undisclosed: list[int] = field(default_factory=list)


def generate_world(seed: int = 7, creators: int = 2000, today: date | None = None) -> World:
    """Build the synthetic world for ``creators`` people and its later additions; same seed and today, same rows."""
    from grassroots.demo.additions import add_later_parts  # the additions build on this module's Builder

    builder = Builder(seed, today or date.today())
    builder.build(creators)
    add_later_parts(builder, creators)
    return builder.world


def _clean_handle(raw: str) -> str:
    handle = re.sub(r"[^a-z0-9.]", "", raw.lower())
    return re.sub(r"\.{2,}", ".", handle).strip(".")[:30]


def _tags(caption: str) -> tuple[list[str], list[str]]:
    hashtags = [t.lower() for t in re.findall(r"#(\w+)", caption)]
    mentions = [m.rstrip(".") for m in re.findall(r"@([a-z0-9._]+)", caption)]
    return list(dict.fromkeys(hashtags)), list(dict.fromkeys(mentions))


class Builder:
    """Holds the random stream and the growing world while generating; ``demo.additions`` extends it."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        # Fan handles' endings come from a stream of their own, so every draw of ``rng`` stays as it was.
        self.crowd = random.Random(seed * 1000 + CROWD_STREAM)
        self.world = World(seed=seed, today=today)
        self.now = datetime.combine(today, time(18, 0), UTC)
        self.used: dict[Platform, set[str]] = {p: set() for p, _ in PLATFORMS}
        self.used_anywhere: set[str] = set()
        self.reserved: set[str] = set()  # handles no new creator may take (see demo.additions)
        self.plans: list[AccountPlan] = []

    def build(self, creators: int) -> World:
        """The first world: ``creators`` people drawn from the seed's own stream."""
        for key in range(creators):
            self.add_creator(key)
        self._pods()
        self.fill_accounts(self.plans)
        return self.world

    def fill_accounts(self, plans: list[AccountPlan]) -> None:
        """Posts, comments, follower history and undisclosed-sponsorship truth of these accounts."""
        for plan in plans:
            post_days = self._posts(plan)
            self._snapshots(plan, post_days)
        for plan in plans:
            if plan.undisclosed:
                self.truth(plan.key, "undisclosed", {"posts": list(plan.undisclosed)})

    def add_genuine_creators(self, count: int, tiers: tuple[tuple[Tier, float], ...]) -> list[AccountPlan]:
        """Append ``count`` creators (never fake) with tiers drawn from these weights; their account plans."""
        plans = {plan.tier: replace(plan, fake_share=0.0) for plan in TIER_PLAN}
        first_plan, first_key = len(self.plans), len(self.world.creators)
        for key in range(first_key, first_key + count):
            self.add_creator(key, tier=plans[pick(self.rng, tiers)])
        return self.plans[first_plan:]

    def add_creator(self, key: int, tier: TierPlan | None = None, niche: str | None = None) -> None:
        """One creator and their accounts; tier and niche are drawn unless given."""
        rng = self.rng
        tier = tier or pick(rng, tuple((t, t.share) for t in TIER_PLAN))
        niche = niche or rng.choice(texts.DRAWN_NICHES)
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        city = rng.choice(texts.CITIES)
        email = f"{first}.{last}@example.com" if rng.random() < 0.35 else None
        name = f"{first.capitalize()} {last.capitalize()}".replace("Obrien", "O'Brien").replace("Mcl", "McL")
        self.world.creators.append(
            {"key": key, "display_name": name, "location": city, "language": "en", "email": email}
        )
        platform = pick(rng, PLATFORMS)
        followers = self._followers(tier)
        fake = rng.random() < tier.fake_share
        suffix = rng.choice(texts.BIO_SUFFIXES).format(city=city.split(",")[0])
        bio = rng.choice(texts.NICHES[niche].bios) + (f" · {suffix}" if suffix else "")
        person = _Person(name, niche, city, bio)
        handle = self._handle(platform, first, last, niche, None)
        self._account(key, platform, handle, person, followers, fake)
        if rng.random() < SECOND_ACCOUNT_SHARE:
            other = pick(rng, tuple((p, w) for p, w in PLATFORMS if p is not platform))
            second = max(60, round(followers * rng.uniform(0.05, 0.7)))
            same = handle if rng.random() < 0.7 else None
            handle2 = self._handle(other, first, last, niche, same)
            self._account(key, other, handle2, person, second, False)

    def _followers(self, tier: TierPlan) -> int:
        """Log-normal inside the tier: redraw values outside it (no spikes at the bounds), then clip."""
        low, high = math.log(tier.low), math.log(tier.high)
        value = 0.0
        for _ in range(20):
            value = self.rng.gauss(low + 0.4 * (high - low), (high - low) / 3)
            if low <= value < high:
                break
        return int(min(max(math.exp(value), tier.low), tier.high - 1))

    def _handle(self, platform: Platform, first: str, last: str, niche: str, preferred: str | None) -> str:
        rng = self.rng
        word = rng.choice(texts.NICHES[niche].words)
        options = (f"{first}.{last}", f"{first}{last}", f"{first}.{word}", f"{word}.with.{first}",
                   f"{first}{last[0]}.{word}", f"the{word}{first}", f"{first}.{last}.{word}")  # fmt: skip
        base = _clean_handle(preferred or rng.choice(options))
        handle = base
        while handle in self.used[platform] or handle in self.reserved:
            handle = f"{base}{rng.randint(2, 99)}"
        self.used[platform].add(handle)
        self.used_anywhere.add(handle)
        return handle

    def _account(self, creator_key: int, platform: Platform, handle: str, person: _Person, followers: int,
                 fake: bool) -> None:  # fmt: skip
        rng = self.rng
        tier = tier_plan_for(followers)
        pos = (math.log(followers) - math.log(tier.low)) / (math.log(tier.high) - math.log(tier.low))
        er = (tier.er_high - pos * (tier.er_high - tier.er_low)) * rng.uniform(0.85, 1.15)
        if fake:
            er = math.exp(rng.uniform(math.log(FAKE_ER[0]), math.log(FAKE_ER[1])))
        key = len(self.plans)
        plan = AccountPlan(key, platform, handle, person.niche, tier.tier, followers, er, fake)
        if rng.random() < SPONSORING_SHARE:
            plan.sponsor_rate = rng.uniform(*SPONSOR_RATE)
            plan.undisclosed_rate = UNDISCLOSED_RATE[rng.random() < SLOPPY_SHARE]
        self.plans.append(plan)
        label = texts.NICHES[person.niche].label.lower()
        display = person.name if rng.random() < 0.6 else f"{person.name.split()[0]} · {label}"
        following = rng.randint(1_500, 7_500) if fake else rng.randint(80, 1_200)
        self.world.accounts.append({
            "key": key, "creator_key": creator_key, "platform": platform, "handle": handle,
            "display_name": display, "bio": person.bio, "location": person.city, "language": "en",
            "followers": followers, "following": following,
            "posts_count": POSTS_PER_ACCOUNT + rng.randint(20, 900),
            "verified": rng.random() < {Tier.macro: 0.2, Tier.mega: 0.7}.get(tier.tier, 0.0),
            "is_business": rng.random() < 0.3, "has_profile_picture": rng.random() < 0.97,
            "external_id": str(rng.randrange(10**9, 10**10)), "url": None,
        })  # fmt: skip

    def _pods(self) -> None:
        rng = self.rng
        pool = [p for p in self.plans if not p.fake and p.tier in (Tier.nano, Tier.micro)]
        pool = [p for p in pool if p.platform is Platform.instagram]
        rng.shuffle(pool)
        for number in range(1, rng.choice((3, 4)) + 1):
            size, niche = rng.randint(*POD_SIZE), rng.choice(texts.DRAWN_NICHES)
            members = [p for p in pool if p.niche == niche][:size]
            members += [p for p in pool if p not in members][: size - len(members)]
            if len(members) < POD_SIZE[0]:
                return
            handles = [m.handle for m in members]
            for member in members:
                member.pod, member.pod_handles = number, [h for h in handles if h != member.handle]
                self.truth(member.key, "pod", {"pod": number, "members": list(handles)})
            pool = [p for p in pool if p not in members]

    def _posts(self, plan: AccountPlan) -> set[int]:
        rng = self.rng
        days_ago = sorted(rng.sample(range(1, HISTORY_DAYS - 1), POSTS_PER_ACCOUNT), reverse=True)
        for ago in days_ago:
            post = self.new_post(plan, ago, sponsored=None)
            self.publish(plan, post, self._caption(plan, post))
        return {HISTORY_DAYS - 1 - ago for ago in days_ago}

    def new_post(self, plan: AccountPlan, days_ago: int, sponsored: bool | None) -> Row:
        """A post's time, kind and counts; whether it is sponsored is drawn from the account's habit unless given."""
        rng = self.rng
        at = datetime.combine(self.world.today - timedelta(days=days_ago), time(rng.randint(7, 21)), UTC)
        at += timedelta(minutes=rng.randint(0, 59))
        kind = pick(rng, KINDS[plan.platform])
        post = {"key": len(self.world.posts), "account_key": plan.key, "external_id": None,
                "kind": kind, "posted_at": at, "url": None, **self._counts(plan, kind)}  # fmt: skip
        post["external_id"] = f"{plan.platform.value[:2]}{post['key']:07d}"
        post["sponsored"] = rng.random() < plan.sponsor_rate if sponsored is None else sponsored
        return post

    def publish(self, plan: AccountPlan, post: Row, caption: str) -> None:
        """Add the post with this caption (hashtags and mentions read from it) and its comments."""
        post["caption"] = caption
        post["hashtags"], post["mentions"] = _tags(caption)
        self.world.posts.append(post)
        self._comments(plan, post)

    def _counts(self, plan: AccountPlan, kind: PostKind) -> Row:
        rng = self.rng
        views = None
        if kind in VIDEO_KINDS:
            reach = (0.2, 0.8) if plan.fake else (0.3, 3.0)
            views = round(plan.followers * math.exp(rng.uniform(*map(math.log, reach))))
        total = round((views or plan.followers) * plan.er * rng.lognormvariate(0, 0.3))
        share = rng.uniform(0.04, 0.10) if plan.platform is Platform.youtube else rng.uniform(0.02, 0.06)
        if plan.fake:  # bot comments are a large part of what little engagement a fake account gets
            share = rng.uniform(0.3, 0.6)
        comments = round(total * share)
        likes = total - comments
        saves = round(likes * rng.uniform(0.03, 0.12)) if kind in (PostKind.image, PostKind.carousel) else None
        shares = round(likes * rng.uniform(0.01, 0.08)) if views is not None else None
        return {"likes": likes, "comments": comments, "views": views, "saves": saves, "shares": shares}

    def _caption(self, plan: AccountPlan, post: Row) -> str:
        rng, niche = self.rng, texts.NICHES[plan.niche]
        fill = {"product": rng.choice(niche.products), "n": rng.randint(2, 12), "place": rng.choice(texts.PLACES),
                "pet": rng.choice(texts.PET_NAMES), "book": rng.choice(texts.BOOKS)}  # fmt: skip
        tags = " ".join("#" + t for t in rng.sample(niche.hashtags, rng.randint(2, 5)))
        body = rng.choice(niche.captions).format(**fill)
        if rng.random() < 0.06:
            body += f" 📸 @{rng.choice(self.plans).handle}"
        if not post["sponsored"]:
            return f"{body} {tags}"
        brand = rng.choice(niche.brands)
        paid = rng.choice(texts.SPONSORED_CAPTIONS).format(brand=brand, **fill)
        if rng.random() >= plan.undisclosed_rate:
            lead = "#ad" if rng.random() < 0.5 else f"Paid partnership with @{brand}."
            return f"{lead} {paid} {tags}"
        plan.undisclosed.append(post["key"])
        style = rng.choice(("sp", "collab", "thanks"))
        if style == "thanks":
            return f"{body} Thanks @{brand} 💛 {tags}"
        return f"{paid} {tags} #{style}"

    def _comments(self, plan: AccountPlan, post: Row) -> None:
        """Store a sample of the post's comments; pod comments come on top of the natural count."""
        rng, natural = self.rng, post["comments"]
        rows: list[Row] = []
        if plan.pod is not None:
            for handle in rng.sample(plan.pod_handles, rng.randint(3, min(6, len(plan.pod_handles)))):
                rows.append(self.comment(post, handle, True, rng.choice(texts.POD_COMMENTS), (1, 15)))
        post["comments"] = natural + len(rows)
        bots = min(natural, rng.randint(3, 12)) if plan.fake else 0
        for _ in range(bots):
            text = rng.choice(texts.BOT_COMMENTS)
            rows.append(self.comment(post, texts.bot_handle(rng), False, text, (0.5, 90)))
        wanted = round((2 + 2.2 * math.log1p(natural)) * rng.uniform(0.7, 1.3))
        genuine = min(natural - bots, wanted, COMMENT_CAP - len(rows), rng.randint(0, 2) if plan.fake else 99)
        for _ in range(max(0, genuine)):
            text = texts.genuine_comment(rng, texts.NICHES[plan.niche])
            rows.append(self.comment(post, self._fan_handle(), rng.random() < 0.93, text, (2, 4320)))
        rows.sort(key=lambda r: r["posted_at"])
        self.world.comments.extend(rows)

    def _fan_handle(self) -> str:
        handle = texts.fan_handle(self.rng)
        while handle in self.used_anywhere:  # a fan never shares a handle with a creator in the world
            handle = texts.fan_handle(self.rng)
        ended = texts.crowd(handle, self.crowd)
        return handle if ended in self.used_anywhere else ended

    def comment(self, post: Row, handle: str, avatar: bool, text: str, minutes: tuple[float, float]) -> Row:
        """A comment row under the post, ``minutes`` (a log-uniform range) after it and never in the future."""
        rng = self.rng
        delay = math.exp(rng.uniform(math.log(minutes[0]), math.log(minutes[1])))
        room = (self.now - post["posted_at"]).total_seconds() / 60 - 1
        at = post["posted_at"] + timedelta(minutes=min(delay, room))
        likes = 0 if not avatar else int(rng.expovariate(0.5))
        return {"post_key": post["key"], "external_id": None, "author_handle": handle,
                "author_has_avatar": avatar, "text": text, "likes": likes, "posted_at": at}  # fmt: skip

    def _snapshots(self, plan: AccountPlan, post_days: set[int]) -> None:
        rng, n = self.rng, HISTORY_DAYS
        base = rng.uniform(0.0, 0.003)
        growth = [0.0] + [max(-0.002, rng.gauss(base, 0.001)) for _ in range(n - 1)]
        if rng.random() < PURGE_SHARE:
            growth[rng.randrange(1, n)] = -rng.uniform(0.01, 0.04)
        jumps: list[int] = []
        if plan.fake:
            quiet = [d for d in range(5, n - 3) if not post_days & {d - 1, d, d + 1}]
            jumps = sorted(rng.sample(quiet, rng.randint(1, 3)))
            for day in jumps:
                growth[day] = rng.uniform(0.2, 0.6)
        values, current = [0] * n, float(plan.followers)
        for i in range(n - 1, -1, -1):
            values[i] = round(current)
            current /= 1 + growth[i]
        following = self.world.accounts[plan.key]["following"]
        drift = rng.uniform(0.0, 0.5)
        start = self.world.today - timedelta(days=n - 1)
        for i, followers in enumerate(values):
            self.world.snapshots.append({"account_key": plan.key, "day": start + timedelta(days=i),
                                         "followers": followers,
                                         "following": max(0, following - round((n - 1 - i) * drift))})  # fmt: skip
        if plan.fake:
            added = [[(start + timedelta(days=d)).isoformat(), values[d] - values[d - 1]] for d in jumps]
            self.truth(plan.key, "fake", {"jumps": added})

    def truth(self, account_key: int, label: str, detail: dict[str, Any]) -> None:
        """Record what was planted in an account (a ``demo_truth`` row)."""
        self.world.truths.append({"account_key": account_key, "label": label, "detail": detail})
