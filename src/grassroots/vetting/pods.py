"""Engagement pods: accounts whose commenter sets overlap far beyond chance, commenting within minutes.

Two unrelated small creators share almost no commenters; pod members see the same handles under
every post, often within minutes of posting, and comment on each other (reciprocity).
"""

from __future__ import annotations

import polars as pl

# Two ways to be a pod pair. Overlap: >= 4 shared commenters, Jaccard >= 0.10 and >= 10x the overlap
# expected if commenters picked accounts at random. Coordination: >= 5 shared commenters, >= 5x chance,
# and those commenters usually arrive within 15 minutes of posting on both accounts (real fans rarely do).
MIN_SHARED = 4
MIN_JACCARD = 0.10
MIN_LIFT = 10.0
COORDINATED_SHARED = 5
COORDINATED_LIFT = 5.0
COORDINATED_QUICK = 0.5
QUICK_MINUTES = 15
MAX_ACCOUNTS_PER_COMMENTER = 50  # handles commenting everywhere are bots or superfans, judged elsewhere


def commenter_sets(comments: pl.DataFrame) -> pl.DataFrame:
    """Unique (account_id, author_handle) with how quickly that author usually comments."""
    minutes = (pl.col("posted_at") - pl.col("post_posted_at")).dt.total_minutes()
    return comments.group_by("account_id", "author_handle").agg(
        pl.len().alias("n_comments"), (minutes <= QUICK_MINUTES).mean().alias("quick_share")
    )


def pod_pairs(comments: pl.DataFrame, universe: int | None = None) -> pl.DataFrame:
    """Pairs of accounts whose commenter overlap is far beyond chance.

    ``universe`` is the number of distinct commenters in the whole population (default: in ``comments``);
    pass it when ``comments`` holds only the neighbourhood of a few accounts.
    """
    sets = commenter_sets(comments)
    reach = sets.group_by("author_handle").agg(pl.len().alias("_accounts"))
    sets = sets.join(reach, on="author_handle").filter(pl.col("_accounts") <= MAX_ACCOUNTS_PER_COMMENTER)
    sizes = sets.group_by("account_id").agg(pl.len().alias("n"))
    universe = max(universe or sets.select(pl.col("author_handle").n_unique()).item(), 1)
    left = sets.select("author_handle", pl.col("account_id").alias("a"), pl.col("quick_share").alias("qa"))
    right = sets.select("author_handle", pl.col("account_id").alias("b"), pl.col("quick_share").alias("qb"))
    pairs = (
        left.join(right, on="author_handle")
        .filter(pl.col("a") < pl.col("b"))
        .group_by("a", "b")
        .agg(
            pl.len().alias("shared"),
            ((pl.col("qa") + pl.col("qb")) / 2).mean().alias("quick_share"),
            pl.col("author_handle").sort().head(10).alias("shared_examples"),
        )
        .join(sizes.rename({"account_id": "a", "n": "na"}), on="a")
        .join(sizes.rename({"account_id": "b", "n": "nb"}), on="b")
    )
    expected = pl.col("na") * pl.col("nb") / universe
    return pairs.with_columns(
        (pl.col("shared") / (pl.col("na") + pl.col("nb") - pl.col("shared"))).alias("jaccard"),
        (pl.col("shared") / pl.max_horizontal(expected, pl.lit(1e-9))).alias("lift"),
    ).filter(
        ((pl.col("shared") >= MIN_SHARED) & (pl.col("jaccard") >= MIN_JACCARD) & (pl.col("lift") >= MIN_LIFT))
        | (
            (pl.col("shared") >= COORDINATED_SHARED)
            & (pl.col("lift") >= COORDINATED_LIFT)
            & (pl.col("quick_share") >= COORDINATED_QUICK)
        )
    )


def reciprocal_pairs(comments: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """Pairs (a, b) where a's handle comments on b and b's handle comments on a."""
    handles = accounts.select("account_id", pl.col("handle").str.to_lowercase().alias("author_handle"))
    edges = (
        comments.select("account_id", pl.col("author_handle").str.to_lowercase())
        .unique()
        .join(handles.rename({"account_id": "commenter_id"}), on="author_handle")
        .select(pl.col("commenter_id").alias("a"), pl.col("account_id").alias("b"))
        .filter(pl.col("a") != pl.col("b"))
    )
    back = edges.select(pl.col("b").alias("a"), pl.col("a").alias("b"))
    return edges.join(back, on=["a", "b"]).filter(pl.col("a") < pl.col("b"))


def pods(comments: pl.DataFrame, accounts: pl.DataFrame, universe: int | None = None) -> pl.DataFrame:
    """Pod membership per account: pod id, size, partners, shared commenters and quick-comment share."""
    pairs = pod_pairs(comments, universe)
    recip = reciprocal_pairs(comments, accounts).with_columns(pl.lit(True).alias("reciprocal"))
    pairs = pairs.join(recip, on=["a", "b"], how="left").with_columns(pl.col("reciprocal").fill_null(False))
    edges = [(int(a), int(b)) for a, b in pairs.select("a", "b").iter_rows()]
    component = _components(edges)
    if not component:
        return pl.DataFrame(
            schema={
                "account_id": pl.Int64,
                "pod_id": pl.Int64,
                "pod_size": pl.UInt32,
                "partners": pl.List(pl.Int64),
                "shared_commenters": pl.List(pl.String),
                "quick_share": pl.Float64,
                "reciprocal": pl.Boolean,
            }
        )
    membership = pl.DataFrame(
        {"account_id": list(component), "pod_id": list(component.values())},
        schema={"account_id": pl.Int64, "pod_id": pl.Int64},
    )
    both = pl.concat(
        [
            pairs.select(
                pl.col("a").alias("account_id"),
                pl.col("b").alias("partner"),
                "shared_examples",
                "quick_share",
                "reciprocal",
            ),
            pairs.select(
                pl.col("b").alias("account_id"),
                pl.col("a").alias("partner"),
                "shared_examples",
                "quick_share",
                "reciprocal",
            ),
        ]
    ).with_columns(pl.col("account_id", "partner").cast(pl.Int64))
    per_account = both.group_by("account_id").agg(
        pl.col("partner").sort().alias("partners"),
        pl.col("shared_examples").explode().unique().sort().head(10).alias("shared_commenters"),
        pl.col("quick_share").mean(),
        pl.col("reciprocal").any(),
    )
    return (
        membership.join(per_account, on="account_id")
        .with_columns(pl.len().over("pod_id").alias("pod_size"))
        .select("account_id", "pod_id", "pod_size", "partners", "shared_commenters", "quick_share", "reciprocal")
    )


def _components(edges: list[tuple[int, int]]) -> dict[int, int]:
    """Connected components of the pair graph: account -> smallest account id in its pod."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}
