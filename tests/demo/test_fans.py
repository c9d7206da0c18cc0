"""Genuine fans of the demo brand: creators who mention @dewdrop.skin unpaid, in comments and their own posts."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, select

from grassroots.creators.models import Comment, Post, SocialAccount
from grassroots.db.session import session_scope
from grassroots.demo.models import DemoTruth
from grassroots.demo.service import DEMO_WORKSPACE, ensure_demo
from grassroots.demo.texts import DEMO_BRAND
from grassroots.demo.world import World
from grassroots.workspaces.models import Workspace

MENTION = f"@{DEMO_BRAND}"


def _fans(world: World) -> list[tuple[int, dict[str, Any]]]:
    return [(t["account_key"], t["detail"]) for t in world.truths if t["label"] == "brand_fan"]


def test_about_30_fans_some_of_them_customers(default_world: World) -> None:
    fans = _fans(default_world)
    assert len(fans) == 30
    customers = {t["detail"]["creator_key"] for t in default_world.truths if t["label"] == "customer_creator"}
    assert all(d["customer"] == (d["creator_key"] in customers) for _, d in fans)
    assert 5 <= sum(d["customer"] for _, d in fans) <= 20
    assert sum(len(d["commented_on"]) for _, d in fans) >= 30 and sum(len(d["posts"]) for _, d in fans) >= 10


def test_fan_comments_are_by_the_fans_own_handle_under_others_posts(default_world: World) -> None:
    posts = {p["key"]: p for p in default_world.posts}
    accounts = default_world.accounts
    by_author: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for comment in default_world.comments:
        if MENTION in comment["text"]:
            by_author[comment["author_handle"]].append(comment)
    fan_handles = set()
    for account_key, detail in _fans(default_world):
        account = accounts[account_key]
        assert detail["handle"] == account["handle"] and detail["platform"] == account["platform"].value
        fan_handles.add(account["handle"])
        under = sorted(c["post_key"] for c in by_author[account["handle"]])
        assert under == sorted(detail["commented_on"])
        for key in under:
            owner = accounts[posts[key]["account_key"]]
            assert owner["platform"] == account["platform"] and owner["creator_key"] != account["creator_key"]
    assert set(by_author) == fan_handles  # nobody else mentions the brand in a comment


def test_fan_posts_mention_the_brand_unpaid_and_fans_are_never_paid_by_it(default_world: World) -> None:
    fans = _fans(default_world)
    for account_key, detail in fans:
        for key in detail["posts"]:
            post = default_world.posts[key]
            assert post["account_key"] == account_key and not post["sponsored"]
            assert DEMO_BRAND in post["mentions"] and MENTION in post["caption"]
    fan_accounts = {a for a, _ in fans}
    paid = {p["account_key"] for p in default_world.posts if p["sponsored"] and DEMO_BRAND in p["mentions"]}
    assert not fan_accounts & paid
    assert not fan_accounts & {t["account_key"] for t in default_world.truths if t["label"] in ("fake", "pod")}


def test_stored_comments_never_outnumber_a_posts_comment_count(default_world: World) -> None:
    stored = Counter(c["post_key"] for c in default_world.comments)
    assert all(stored[p["key"]] <= p["comments"] for p in default_world.posts)
    now = max(c["posted_at"] for c in default_world.comments)
    assert now.date() <= default_world.today


def test_the_demo_workspace_names_its_brand_and_the_truth_finds_the_fans(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        ensure_demo(session, tmp_path, creators=100, seed=8, today=date(2026, 5, 1))
    with session_scope(engine) as session:
        workspace = session.scalars(select(Workspace).where(Workspace.name == DEMO_WORKSPACE)).one()
        assert workspace.brand_handles == [DEMO_BRAND]
        truths = session.scalars(select(DemoTruth).where(DemoTruth.label == "brand_fan")).all()
        assert len(truths) == 6
        for truth in truths:
            account = session.get(SocialAccount, truth.account_id)
            assert account is not None and account.creator_id == truth.detail["creator_id"]
            for post_id in cast(list[int], truth.detail["posts"]):
                post = session.get(Post, post_id)
                assert post is not None and post.account_id == account.id and DEMO_BRAND in post.mentions
            said = session.scalars(
                select(Comment.post_id).where(Comment.author_handle == account.handle, Comment.text.contains(MENTION))
            ).all()
            assert sorted(said) == sorted(cast(list[int], truth.detail["commented_on"]))
