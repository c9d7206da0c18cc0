"""Engagement pods: accounts whose commenter sets overlap far beyond chance, commenting within minutes.

Two unrelated small creators share almost no commenters; pod members see the same handles under
every post, often within minutes of posting, and comment on each other (reciprocity).

Counting shared commenters for every pair of accounts is the expensive part (a million accounts give
tens of millions of pairs that share one or two fans). It is done on integer keys with NumPy: distinct
(commenter, account) links sorted by commenter, every pair within a commenter's run, then one sort of
the packed pair keys. Only the few pairs sharing at least ``MIN_SHARED`` commenters go on to the exact
per-pair statistics in Polars.
"""

from __future__ import annotations

import numpy as np
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
_OVERLAP = (pl.col("shared") >= MIN_SHARED) & (pl.col("jaccard") >= MIN_JACCARD) & (pl.col("lift") >= MIN_LIFT)
_COORDINATED = (pl.col("shared") >= COORDINATED_SHARED) & (pl.col("lift") >= COORDINATED_LIFT)
_EMPTY_PAIRS = pl.DataFrame(
    schema={"a": pl.Int64, "b": pl.Int64, "shared": pl.UInt32, "na": pl.UInt32, "nb": pl.UInt32}
)
PAIR_COLUMNS = ("a", "b", "shared", "quick_share", "shared_examples", "na", "nb", "jaccard", "lift")
POD_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.Int64(), "pod_id": pl.Int64(), "pod_size": pl.UInt32(), "partners": pl.List(pl.Int64()),
    "shared_commenters": pl.List(pl.String()), "quick_share": pl.Float64(), "reciprocal": pl.Boolean(),
}  # fmt: skip


def _links(handles: pl.Series, accounts: np.ndarray) -> tuple[pl.Series, np.ndarray, np.ndarray]:
    """Each row's handle key, and the distinct (handle key, account index) links sorted by key then account.

    The key is the handle's 64-bit hash, checked against a second, independent hash: if two rows share
    the first but not the second, two handles collide and exact dictionary codes are used instead.
    """
    key = handles.hash()
    frame = pl.DataFrame({"k": key, "c": handles.hash(seed=1), "a": accounts}).sort("k", "a")
    k, c, a = frame["k"].to_numpy(), frame["c"].to_numpy(), frame["a"].to_numpy()
    same_key = k[1:] == k[:-1]
    if (same_key & (c[1:] != c[:-1])).any():
        key = handles.cast(pl.Categorical).to_physical().cast(pl.UInt64)
        frame = pl.DataFrame({"k": key, "a": accounts}).sort("k", "a")
        k, a = frame["k"].to_numpy(), frame["a"].to_numpy()
        same_key = k[1:] == k[:-1]
    new = np.r_[True, ~same_key | (a[1:] != a[:-1])]
    return key, k[new], a[new]


def _account_index(account_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct ids ascending, each row's index into them); ids are used as-is when small and non-negative."""
    if account_ids.size and account_ids.min() >= 0 and account_ids.max() < 4 * account_ids.size + 1_000_000:
        present = np.zeros(int(account_ids.max()) + 1, dtype=bool)
        present[account_ids] = True
        ids = np.flatnonzero(present)
        position = np.cumsum(present) - 1
        return ids, position[account_ids]
    ids, index = np.unique(account_ids, return_inverse=True)
    return ids, index.astype(np.int64)


def _pair_counts(keys: np.ndarray, accounts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, shared) for account pairs a < b sharing at least MIN_SHARED commenters (links sorted as _links)."""
    chunks: list[np.ndarray] = []
    pos = np.arange(keys.size - 1)
    for offset in range(1, MAX_ACCOUNTS_PER_COMMENTER):
        pos = pos[pos + offset < keys.size]
        pos = pos[keys[pos + offset] == keys[pos]]
        if pos.size == 0:
            break
        chunks.append((accounts[pos].astype(np.uint64) << np.uint64(32)) | accounts[pos + offset].astype(np.uint64))
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    packed = pl.Series(np.concatenate(chunks)).sort().to_numpy()
    starts = np.flatnonzero(np.r_[True, packed[1:] != packed[:-1]])
    counts = np.diff(np.r_[starts, packed.size])
    hits = packed[starts[counts >= MIN_SHARED]]
    return (
        (hits >> np.uint64(32)).astype(np.int64),
        (hits & np.uint64(0xFFFFFFFF)).astype(np.int64),
        counts[counts >= MIN_SHARED],
    )


def pod_pairs(comments: pl.DataFrame, universe: int | None = None) -> pl.DataFrame:
    """Pairs of accounts whose commenter overlap is far beyond chance.

    ``universe`` is the number of distinct commenters in the whole population (default: in ``comments``);
    pass it when ``comments`` holds only the neighbourhood of a few accounts. Commenters on more than
    ``MAX_ACCOUNTS_PER_COMMENTER`` accounts are left out.
    """
    if comments.is_empty():
        return _pair_details(comments, pl.DataFrame(), _measure(_EMPTY_PAIRS, 1)).select(PAIR_COLUMNS)
    ids, index = _account_index(comments["account_id"].to_numpy())
    key, keys, accounts = _links(comments["author_handle"], index)
    comments = comments.with_columns(key.alias("_key"))
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    reach = np.diff(np.r_[starts, keys.size])
    kept = reach <= MAX_ACCOUNTS_PER_COMMENTER
    universe = max(universe or int(kept.sum()), 1)
    keys, accounts, reach = (
        keys[np.repeat(kept, reach)],
        accounts[np.repeat(kept, reach)],
        np.repeat(reach[kept], reach[kept]),
    )
    sizes = np.bincount(accounts, minlength=ids.size)
    a, b, shared = _pair_counts(keys[reach >= 2], accounts[reach >= 2])
    candidates = pl.DataFrame(
        {"a": ids[a], "b": ids[b], "shared": shared, "na": sizes[a], "nb": sizes[b]}, schema=_EMPTY_PAIRS.schema
    )
    measured = _measure(candidates, universe)
    members = np.isin(accounts, np.union1d(a, b))
    linked = pl.DataFrame(
        {"account_id": ids[accounts[members]], "_key": keys[members]},
        schema={"account_id": pl.Int64, "_key": pl.UInt64},
    )
    return (
        _pair_details(comments, linked, measured)
        .filter(_OVERLAP | (_COORDINATED & (pl.col("quick_share") >= COORDINATED_QUICK)))
        .select(PAIR_COLUMNS)
    )


def _measure(candidates: pl.DataFrame, universe: int) -> pl.DataFrame:
    """Jaccard and lift over chance; keep the pairs that can pass before the quick share is known."""
    expected = pl.col("na") * pl.col("nb") / universe
    return candidates.with_columns(
        (pl.col("shared") / (pl.col("na") + pl.col("nb") - pl.col("shared"))).alias("jaccard"),
        (pl.col("shared") / pl.max_horizontal(expected, pl.lit(1e-9))).alias("lift"),
    ).filter(_OVERLAP | _COORDINATED)


def _pair_details(comments: pl.DataFrame, linked: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Add each pair's quick-comment share and first ten shared handles (only for the few candidate pairs)."""
    if pairs.is_empty():
        return pairs.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("quick_share"),
            pl.lit(None, dtype=pl.List(pl.String)).alias("shared_examples"),
        )
    minutes = (pl.col("posted_at") - pl.col("post_posted_at")).dt.total_minutes()
    sets = (
        comments.join(linked, on=["account_id", "_key"], how="semi")
        .group_by("account_id", "author_handle", "_key")
        .agg((minutes <= QUICK_MINUTES).mean().alias("quick_share"))
    )
    left = sets.select("_key", "author_handle", pl.col("account_id").alias("a"), pl.col("quick_share").alias("qa"))
    right = sets.select("_key", pl.col("account_id").alias("b"), pl.col("quick_share").alias("qb"))
    details = (
        left.join(right, on="_key")
        .join(pairs.select("a", "b"), on=["a", "b"], how="semi")
        .group_by("a", "b")
        .agg(
            ((pl.col("qa") + pl.col("qb")) / 2).mean().alias("quick_share"),
            pl.col("author_handle").sort().head(10).alias("shared_examples"),
        )
    )
    return pairs.join(details, on=["a", "b"], how="left")


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
    # Reciprocity only matters for the pairs found, so only their accounts' comments are looked at.
    members = pl.concat([pairs["a"], pairs["b"]]).unique().implode()
    recip = reciprocal_pairs(
        comments.filter(pl.col("account_id").is_in(members)), accounts.filter(pl.col("account_id").is_in(members))
    ).with_columns(pl.lit(True).alias("reciprocal"))
    pairs = pairs.join(recip, on=["a", "b"], how="left").with_columns(pl.col("reciprocal").fill_null(False))
    edges = [(int(a), int(b)) for a, b in pairs.select("a", "b").iter_rows()]
    component = _components(edges)
    if not component:
        return pl.DataFrame(schema=POD_SCHEMA)
    membership = pl.DataFrame(
        {"account_id": list(component), "pod_id": list(component.values())},
        schema={"account_id": pl.Int64, "pod_id": pl.Int64},
    )
    columns = ("shared_examples", "quick_share", "reciprocal")
    both = pl.concat(
        [
            pairs.select(pl.col("a").alias("account_id"), pl.col("b").alias("partner"), *columns),
            pairs.select(pl.col("b").alias("account_id"), pl.col("a").alias("partner"), *columns),
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
        .select(*POD_SCHEMA)
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
