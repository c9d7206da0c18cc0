"""Pods: shared commenters far beyond chance are grouped; ordinary overlap is not."""

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from grassroots.judgments.vetting.pods import MAX_ACCOUNTS_PER_COMMENTER, QUICK_MINUTES, _links, pod_pairs, pods

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def _comments(rows: list[tuple[int, str, int]]) -> pl.DataFrame:
    """(account_id, author, minutes after posting)."""
    return pl.DataFrame(
        [(a, a * 100 + i, author, T0 + timedelta(minutes=m), T0) for i, (a, author, m) in enumerate(rows)],
        schema=["account_id", "post_id", "author_handle", "posted_at", "post_posted_at"],
        orient="row",
    )


def test_pod_members_share_commenters_and_comment_fast() -> None:
    pod_handles = ["p1", "p2", "p3", "p4", "p5", "p6"]
    rows = []
    for account in (1, 2, 3):
        rows += [(account, h, 3) for h in pod_handles]
    for account in range(4, 40):  # unrelated creators with their own audiences
        rows += [(account, f"fan{account}_{i}", 300) for i in range(12)]
    rows += [(1, "alice.handle", 2), (2, "bob.handle", 2)]  # members comment on each other
    accounts = pl.DataFrame(
        {
            "account_id": list(range(1, 40)),
            "handle": ["bob.handle", "alice.handle"] + [f"acct{i}" for i in range(3, 40)],
        }
    )
    result = pods(_comments(rows), accounts)
    assert sorted(result["account_id"].to_list()) == [1, 2, 3]
    assert result["pod_id"].n_unique() == 1 and result["pod_size"].to_list() == [3, 3, 3]
    one = result.filter(pl.col("account_id") == 1).row(0, named=True)
    assert "p1" in one["shared_commenters"] and one["quick_share"] == 1.0
    assert result.filter(pl.col("account_id").is_in([1, 2]))["reciprocal"].all()


def test_a_few_common_fans_do_not_make_a_pod() -> None:
    rows = []
    for account in range(1, 30):
        rows += [(account, f"fan{account}_{i}", 200) for i in range(15)]
        rows += [(account, "superfan", 100)]
    rows += [(1, "shared_a", 50), (2, "shared_a", 50), (1, "shared_b", 50), (2, "shared_b", 50)]
    accounts = pl.DataFrame({"account_id": list(range(1, 30)), "handle": [f"a{i}" for i in range(1, 30)]})
    assert pods(_comments(rows), accounts).is_empty()


def _plain_pod_pairs(comments: pl.DataFrame) -> pl.DataFrame:
    """The definition written as a direct self-join over commenter sets (slow, obviously right)."""
    minutes = (pl.col("posted_at") - pl.col("post_posted_at")).dt.total_minutes()
    sets = comments.group_by("account_id", "author_handle").agg((minutes <= QUICK_MINUTES).mean().alias("q"))
    sets = sets.filter(pl.len().over("author_handle") <= MAX_ACCOUNTS_PER_COMMENTER)
    sizes = sets.group_by("account_id").agg(pl.len().alias("n"))
    universe = sets["author_handle"].n_unique()
    pairs = (
        sets.rename({"account_id": "a", "q": "qa"})
        .join(sets.rename({"account_id": "b", "q": "qb"}), on="author_handle")
        .filter(pl.col("a") < pl.col("b"))
        .group_by("a", "b")
        .agg(pl.len().alias("shared"), ((pl.col("qa") + pl.col("qb")) / 2).mean().alias("quick_share"))
        .join(sizes.rename({"account_id": "a", "n": "na"}), on="a")
        .join(sizes.rename({"account_id": "b", "n": "nb"}), on="b")
    )
    jaccard = pl.col("shared") / (pl.col("na") + pl.col("nb") - pl.col("shared"))
    lift = pl.col("shared") / (pl.col("na") * pl.col("nb") / universe)
    return pairs.filter(
        ((pl.col("shared") >= 4) & (jaccard >= 0.10) & (lift >= 10))
        | ((pl.col("shared") >= 5) & (lift >= 5) & (pl.col("quick_share") >= 0.5))
    )


def test_pair_counting_agrees_with_the_plain_self_join() -> None:
    rng = random.Random(3)
    rows = []
    for account in range(1, 400):
        rows += [(account, f"fan{rng.randrange(3_000)}", rng.choice([2, 300])) for _ in range(rng.randrange(5, 40))]
    for account in range(1, 120):  # a superfan everywhere: past the reach limit, it must not count
        rows.append((account, "everywhere", 1))
    for pod in range(5):  # planted pods of 3-5 accounts sharing 6 quick commenters
        members = rng.sample(range(1, 400), rng.randrange(3, 6))
        rows += [(m, f"pod{pod}_{i}", 3) for m in members for i in range(6)]
    comments = _comments(rows)
    found = pod_pairs(comments).select("a", "b", "shared", "quick_share").sort("a", "b")
    expected = _plain_pod_pairs(comments).select("a", "b", "shared", "quick_share").sort("a", "b")
    assert found.height >= 5
    assert_frame_equal(found, expected, check_dtypes=False)


def test_handles_sharing_a_hash_fall_back_to_exact_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [(a, f"pod{i}", 3) for a in (1, 2, 3) for i in range(6)] + [
        (a, f"fan{a}_{i}", 300) for a in range(4, 30) for i in range(8)
    ]
    comments = _comments(rows)
    expected = pod_pairs(comments)
    assert expected.height == 3  # the pod's three pairs
    real_hash = pl.Series.hash

    def colliding(self: pl.Series, seed: int = 0, *args: object, **kwargs: object) -> pl.Series:
        hashed = real_hash(self, seed, *args, **kwargs)  # type: ignore[arg-type]
        return hashed % 7 if seed == 0 else hashed  # many handles now share the first hash

    monkeypatch.setattr(pl.Series, "hash", colliding)
    key, _, _ = _links(comments["author_handle"], np.zeros(comments.height, dtype=np.int64))
    assert key.n_unique() == comments["author_handle"].n_unique()  # one key per handle again:
    assert key.max() < comments.height  # small dictionary codes, not hashes
    assert_frame_equal(pod_pairs(comments), expected)
