"""Monte-Carlo forecast of a roster: reach, clicks, sales, revenue and cost per sale, with P10/P50/P90.

The seeds' compounding model (creators × followers × 10 % view rate × 1 % conversion) made honest: each
creator's own followers, engagement and credibility (a fake audience is discounted), a chance that a gifted
creator does not post at all, and uncertainty at every step. Pure numpy over a Polars frame (docs/forecast.md).

A roster frame has one row per creator: ``creator_id``, ``followers``, ``engagement_rate`` (a fraction; 0 or
null = unknown), ``credibility`` (0–100, -1 = not vetted), ``tier``, ``platform`` and the offer's terms
(``gift_cost``, ``fee``, ``commission_rate``, ``post_probability``, ``posts``; see :func:`offer_terms`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy.special import ndtri

from grassroots.judgments.campaigns.assumptions import Assumptions
from grassroots.judgments.vetting.engagement import TIER_EXPECTED

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
DRAWS = 10_000
SEED = 20_260_101
CHUNK = 1_000  # draws simulated at once: bounded memory and cache-sized arrays; fixed, so results are reproducible
THREADS = min(os.cpu_count() or 1, 4)
QUANTILES = 4_096  # levels of the per-cell lognormal noise
# How many of an account's followers a platform shows a post to, relative to Instagram's feed: TikTok's For You
# page shows small accounts' videos beyond their followers, YouTube subscribers see fewer uploads. Assumptions.
PLATFORM_REACH = {"instagram": 1.0, "tiktok": 1.5, "youtube": 0.8, "other": 1.0}
TIER_MEDIAN_ER = {tier: (low + high) / 2 for tier, (low, high) in TIER_EXPECTED.items()}
AOV_SPREAD = 0.15  # log sigma of the campaign's mean basket: the order value is the brand's own, well-known figure
MIN_AUTHENTIC = 0.05
OFFERS = ("gift", "affiliate", "fee")
# Unpaid offers (a gift, an affiliate code) work on small creators: the seeds' 30 posts from 50 gifted micro-micro
# creators. Larger creators receive many gifts and are paid to post, so most unsolicited gifts go unposted: the
# post probability of a gift or a code is scaled by tier. An assumption (docs/forecast.md).
UNPAID_RESPONSE = {"micro-micro": 1.0, "nano": 0.7, "micro": 0.35, "macro": 0.1, "mega": 0.05}
METRICS = ("reach", "clicks", "sales", "revenue", "cost", "cost_per_sale")


@dataclass(frozen=True)
class Interval:
    """P10, P50, P90 and mean of a total over the draws (cost per sale is infinite in draws without a sale)."""

    p10: float
    p50: float
    p90: float
    mean: float


@dataclass(frozen=True, eq=False)
class Forecast:
    """The totals of every draw and their intervals."""

    draws: int
    creators: int
    totals: dict[str, F64] = field(repr=False)
    intervals: dict[str, Interval]

    def __getitem__(self, metric: str) -> Interval:
        return self.intervals[metric]


@dataclass(frozen=True)
class Naive:
    """The seeds' arithmetic: creators × followers × view rate × conversion, with no uncertainty."""

    creators: int
    followers: int
    reach: float
    sales: float
    view_rate: float = 0.10
    conversion: float = 0.01


def naive_forecast(
    followers: Sequence[int] | npt.ArrayLike, view_rate: float = 0.10, conversion: float = 0.01
) -> Naive:
    """The seeds' product: 100 creators × 800 followers × 10 % × 1 % = 80 sales."""
    counts = np.asarray(followers, dtype=np.float64)
    total = float(counts.sum())
    return Naive(len(counts), int(total), total * view_rate, total * view_rate * conversion, view_rate, conversion)


def authentic_share(credibility: pl.Expr, prior: float) -> pl.Expr:
    """The real, reachable share of an audience: credibility / 100 when vetted, the prior when not (-1)."""
    vetted = (credibility.cast(pl.Float64) / 100).clip(MIN_AUTHENTIC, 1.0)
    return pl.when(credibility.is_null() | (credibility < 0)).then(pl.lit(prior)).otherwise(vetted)


def offer_terms(frame: pl.DataFrame, offer: str, a: Assumptions, *, posts: int = 1) -> pl.DataFrame:
    """Add the terms of an offer: a gift, an affiliate code (gift + commission) or a fee (``suggested_fee`` + gift)."""
    if offer not in OFFERS:
        raise ValueError(f"unknown offer {offer!r}")
    fee = pl.col("suggested_fee").cast(pl.Float64) if offer == "fee" else pl.lit(0.0)
    base = {"gift": a.post_probability_gift, "affiliate": a.post_probability_affiliate, "fee": a.post_probability_paid}
    response = pl.col("tier").replace_strict(UNPAID_RESPONSE, default=UNPAID_RESPONSE["micro"], return_dtype=pl.Float64)
    chance = pl.lit(base[offer]) if offer == "fee" else base[offer] * response
    return frame.with_columns(
        pl.lit(offer).alias("offer"),
        pl.lit(a.gift_value).alias("gift_cost"),
        fee.alias("fee"),
        pl.lit(a.commission_rate if offer == "affiliate" else 0.0).alias("commission_rate"),
        chance.alias("post_probability"),
        pl.lit(posts if offer == "fee" else 1).alias("posts"),
    )


def collaboration_terms(frame: pl.DataFrame, a: Assumptions) -> pl.DataFrame:
    """Terms of a roster's agreed compensation: ``compensation`` (gift, commission, flat_fee, hybrid), and the
    ``gift_value``, ``fee`` and ``commission_pct`` agreed (null = the assumption, or ``suggested_fee``)."""
    kind = pl.col("compensation").cast(pl.String).fill_null("gift")
    paid = kind.is_in(["flat_fee", "hybrid"])
    earns = kind.is_in(["commission", "hybrid"])
    response = pl.col("tier").replace_strict(UNPAID_RESPONSE, default=UNPAID_RESPONSE["micro"], return_dtype=pl.Float64)
    unpaid_chance = pl.when(earns).then(a.post_probability_affiliate).otherwise(a.post_probability_gift) * response
    agreed_fee = pl.col("fee").cast(pl.Float64).fill_null(pl.col("suggested_fee").cast(pl.Float64)).fill_null(0.0)
    rate = (pl.col("commission_pct").cast(pl.Float64) / 100).fill_null(a.commission_rate)
    return frame.with_columns(
        kind.replace({"gift": "gift", "commission": "affiliate", "flat_fee": "fee", "hybrid": "fee"}).alias("offer"),
        pl.col("gift_value").cast(pl.Float64).fill_null(a.gift_value).alias("gift_cost"),
        pl.when(paid).then(agreed_fee).otherwise(0.0).alias("fee"),
        pl.when(earns).then(rate).otherwise(0.0).alias("commission_rate"),
        pl.when(paid).then(pl.lit(a.post_probability_paid)).otherwise(unpaid_chance).alias("post_probability"),
        pl.lit(1).alias("posts"),
    )


def macro_creator(budget: float, a: Assumptions, platform: str = "instagram") -> pl.DataFrame:
    """One synthetic macro creator paid the whole budget, run through the same model for comparison."""
    return pl.DataFrame(
        {
            "creator_id": [0],
            "followers": [a.macro_followers],
            "engagement_rate": [a.macro_engagement],
            "credibility": [-1],
            "authentic_share": [a.macro_authentic_share],
            "tier": ["macro" if a.macro_followers < 1_000_000 else "mega"],
            "platform": [platform],
            "gift_cost": [0.0],
            "fee": [float(budget)],
            "commission_rate": [0.0],
            "post_probability": [1.0],
            "posts": [1],
        }
    )


def _rates(frame: pl.DataFrame, a: Assumptions) -> pl.DataFrame:
    """Per-creator parameters: audience reached by one post, view rate, click-through, offer terms."""
    tier = pl.col("tier")
    median = tier.replace_strict(TIER_MEDIAN_ER, default=TIER_MEDIAN_ER["micro"], return_dtype=pl.Float64)
    er = pl.col("engagement_rate").cast(pl.Float64).fill_null(0.0)
    lift = pl.when(er > 0).then((er / median).clip(0.25, 4.0).pow(a.engagement_elasticity)).otherwise(1.0)
    views = {t: a.view_rate(t) for t in TIER_MEDIAN_ER}
    platform = pl.col("platform").cast(pl.String).fill_null("other")
    multiplier = platform.replace_strict(PLATFORM_REACH, default=1.0, return_dtype=pl.Float64)
    authentic = authentic_share(pl.col("credibility"), a.unvetted_authentic_share)
    if "authentic_share" in frame.columns:
        authentic = pl.col("authentic_share").cast(pl.Float64).fill_null(authentic)
    return frame.select(
        (pl.col("followers").cast(pl.Float64).clip(0) * authentic).alias("audience"),
        (tier.replace_strict(views, default=a.view_rate_micro, return_dtype=pl.Float64) * multiplier)
        .clip(0.0, 1.0)
        .alias("view_rate"),
        (a.click_through * lift).clip(0.0, 1.0).alias("ctr"),
        pl.col("post_probability").cast(pl.Float64).clip(0.0, 1.0),
        pl.col("posts").cast(pl.Float64).clip(1),
        pl.col("gift_cost").cast(pl.Float64),
        pl.col("fee").cast(pl.Float64),
        pl.col("commission_rate").cast(pl.Float64),
    )


def expected_outcomes(frame: pl.DataFrame, a: Assumptions) -> pl.DataFrame:
    """Closed-form means per row (the model evaluated at its means): reach, clicks, sales, revenue, cost, posts."""
    r = _rates(frame, a)
    seen = 1 - (1 - pl.col("view_rate")).pow(pl.col("posts"))
    reach = pl.col("audience") * seen * pl.col("post_probability")
    sales = reach * pl.col("ctr") * a.conversion
    revenue = sales * a.average_order_value
    cost = pl.col("gift_cost") + pl.col("fee") * pl.col("post_probability") + pl.col("commission_rate") * revenue
    out = r.select(
        reach.alias("expected_reach"),
        (reach * pl.col("ctr")).alias("expected_clicks"),
        sales.alias("expected_sales"),
        revenue.alias("expected_revenue"),
        cost.alias("expected_cost"),
        (pl.col("post_probability") * pl.col("posts")).alias("expected_posts"),
    )
    return pl.concat([frame, out], how="horizontal")


def _noise(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> npt.NDArray[np.float32]:
    """Mean-one lognormal factors: exp(sigma·z − sigma²/2)."""
    if sigma == 0:
        return np.ones(shape, dtype=np.float32)
    z = rng.standard_normal(shape, dtype=np.float32)
    factors: npt.NDArray[np.float32] = np.exp(z * np.float32(sigma) - np.float32(sigma * sigma / 2))
    return factors


@lru_cache(maxsize=32)
def _lognormal_table(sigma: float) -> npt.NDArray[np.float32]:
    """Mean-one lognormal factors at 4,096 evenly spaced quantiles (tails cut at ±3.7 sigma), scaled to mean 1."""
    z = ndtri((np.arange(QUANTILES) + 0.5) / QUANTILES)
    factors = np.exp(sigma * z - sigma * sigma / 2)
    table: npt.NDArray[np.float32] = (factors / factors.mean()).astype(np.float32)
    return table


def _cell_noise(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> npt.NDArray[np.float32]:
    """Mean-one lognormal factors per creator and draw, by table look-up: 2.7× faster than normal draws and exp,
    which were two thirds of the forecast's time."""
    if sigma == 0:
        return np.ones(shape, dtype=np.float32)
    factors: npt.NDArray[np.float32] = _lognormal_table(sigma).take(rng.integers(0, QUANTILES, shape, dtype=np.uint16))
    return factors


def _interval(values: F64) -> Interval:
    p10, p50, p90 = np.quantile(values, [0.1, 0.5, 0.9], method="nearest")
    finite = values[np.isfinite(values)]
    mean = float(finite.mean()) if len(finite) == len(values) else float("inf")
    return Interval(float(p10), float(p50), float(p90), mean)


def _columns(r: pl.DataFrame, name: str) -> npt.NDArray[np.float32]:
    return r[name].to_numpy().astype(np.float32)


@dataclass(frozen=True, eq=False)
class _Arrays:
    """A roster's per-creator parameters as arrays, creators sorted by commission rate so each rate's group is a
    contiguous run of columns (``starts``)."""

    audience: npt.NDArray[np.float32]
    view: npt.NDArray[np.float32]
    ctr: npt.NDArray[np.float32]
    chance: npt.NDArray[np.float32]
    posts: npt.NDArray[np.float32]
    fee: npt.NDArray[np.float32]
    levels: F64
    starts: npt.NDArray[np.intp]

    @classmethod
    def of(cls, r: pl.DataFrame) -> _Arrays:
        """From the frame of :func:`_rates`."""
        # Grouped by commission rate: a sum of Poisson counts is Poisson of the summed rates, and binomial sales of
        # clicks sharing one conversion sum the same way, so counts are drawn per group and draw, not per creator.
        r = r.sort("commission_rate", maintain_order=True)  # stable: the same roster draws the same numbers
        rates = r["commission_rate"].to_numpy()
        levels, starts = np.unique(rates, return_index=True)
        names = ("audience", "view_rate", "ctr", "post_probability", "posts", "fee")
        audience, view, ctr, chance, posts, fee = (_columns(r, c) for c in names)
        return cls(audience, view, ctr, chance, posts, fee, levels.astype(np.float64), starts.astype(np.intp))


def _simulate(x: _Arrays, a: Assumptions, seed: np.random.SeedSequence, conversion: F64) -> dict[str, F64]:
    """Per-draw totals of one chunk of draws (``conversion`` holds the chunk's campaign-wide conversions)."""
    # Sums are elementwise products and reductions, not matrix products: BLAS's matrix-vector path took 15-20 ms
    # per chunk here against 1 ms for the reduction (benchmarks/campaign_models.py).
    rng = np.random.default_rng(seed)
    shape = (len(conversion), len(x.audience))
    posted = rng.random(shape, dtype=np.float32) < x.chance
    rate = np.minimum(x.view * _cell_noise(rng, shape, a.view_rate_spread), np.float32(1.0))
    seen = rate if np.all(x.posts == 1) else 1 - (1 - rate) ** x.posts
    reach = seen * x.audience * posted
    expected_clicks = reach * np.minimum(x.ctr * _cell_noise(rng, shape, a.click_spread), np.float32(1.0))
    clicks = rng.poisson(np.add.reduceat(expected_clicks, x.starts, axis=1, dtype=np.float64))
    sales = rng.binomial(clicks, conversion[:, None])
    fees = (posted * x.fee).sum(axis=1, dtype=np.float64) if np.any(x.fee > 0) else np.zeros(len(conversion))
    return {"reach": reach.sum(axis=1, dtype=np.float64), "clicks": clicks.sum(axis=1).astype(np.float64),
            "sales": sales.sum(axis=1).astype(np.float64), "commission_sales": (sales * x.levels).sum(axis=1),
            "fees": fees}  # fmt: skip


def forecast(frame: pl.DataFrame, a: Assumptions, *, draws: int = DRAWS, seed: int = SEED) -> Forecast:
    """Simulate ``draws`` campaigns of the roster; the same seed gives the same result, and shares campaign-wide
    draws (conversion, order value) with any other forecast of that seed, so two rosters compare fairly."""
    if draws < 1:
        raise ValueError("draws must be positive")
    r = _rates(frame, a)
    root = np.random.SeedSequence(seed)
    rng = np.random.default_rng(root)
    # Campaign-wide factors first, so every forecast with this seed sees the same ones (common random numbers).
    conversion = np.clip(a.conversion * _noise(rng, (draws,), a.conversion_spread).astype(np.float64), 0.0, 1.0)
    aov = a.average_order_value * _noise(rng, (draws,), AOV_SPREAD).astype(np.float64)
    arrays = _Arrays.of(r)
    starts = range(0, draws, CHUNK)
    # Chunks run on threads (numpy draws and ufuncs release the GIL), each from its own child seed: the result
    # does not depend on which thread ran which chunk.
    seeds = root.spawn(len(starts))
    with ThreadPoolExecutor(max_workers=min(THREADS, len(starts))) as pool:
        parts = list(pool.map(lambda i: _simulate(arrays, a, seeds[i], conversion[starts[i] : starts[i] + CHUNK]),
                              range(len(starts))))  # fmt: skip
    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    revenue = out["sales"] * aov
    cost = float(r["gift_cost"].sum()) + out["fees"] + out["commission_sales"] * aov
    with np.errstate(divide="ignore", invalid="ignore"):
        per_sale = np.where(out["sales"] > 0, cost / np.maximum(out["sales"], 1), np.inf)
    totals = {"reach": out["reach"], "clicks": out["clicks"], "sales": out["sales"], "revenue": revenue,
              "cost": cost, "cost_per_sale": per_sale}  # fmt: skip
    return Forecast(draws, len(r), totals, {m: _interval(v) for m, v in totals.items()})


def share_ahead(first: Forecast, second: Forecast, metric: str = "sales") -> float:
    """Share of paired draws in which ``first`` beats ``second`` (ties count half): forecasts of one seed pair up."""
    x, y = first.totals[metric], second.totals[metric]
    n = min(len(x), len(y))
    return float(np.mean((x[:n] > y[:n]) + 0.5 * (x[:n] == y[:n])))


def histograms(series: dict[str, F64], bins: int = 30) -> dict[str, list[float]]:
    """Counts of several metrics' draws on shared bins (``x`` = bin centres), small enough to embed in a page."""
    finite = {k: v[np.isfinite(v)] for k, v in series.items()}
    everything = np.concatenate(list(finite.values())) if finite else np.zeros(0)
    if len(everything) == 0:
        return {"x": [], **{k: [] for k in series}}
    # The far tail (the top 0.5 %) goes into the last bin: one lucky draw would otherwise squash the chart.
    low, high = float(everything.min()), float(np.quantile(everything, 0.995))
    finite = {k: np.minimum(v, high) for k, v in finite.items()}
    if high - low < bins:  # integer counts: one bin per value reads better than fractional edges
        edges = np.arange(np.floor(low) - 0.5, np.ceil(high) + 1.5)
    else:
        edges = np.linspace(low, high, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    out: dict[str, list[float]] = {"x": [round(float(c), 2) for c in centres]}
    for name, values in finite.items():
        out[name] = [int(c) for c in np.histogram(values, bins=edges)[0]]
    return out
