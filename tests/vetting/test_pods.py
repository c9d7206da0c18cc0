"""Pods: shared commenters far beyond chance are grouped; ordinary overlap is not."""

from datetime import UTC, datetime, timedelta

import polars as pl

from grassroots.vetting.pods import pods

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
