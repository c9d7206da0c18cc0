"""Budget optimiser: the roster and offers that maximise the campaign goal's expected outcome within a budget.

A 0/1 integer programme solved by HiGHS through ``scipy.optimize.milp`` (docs/forecast.md): one binary per
(creator, offer) pair; at most one offer per creator; total expected cost within the budget; a cap per creator,
credibility and fit minimums as filters; at most a share of the budget in one tier and in one
niche. Every pick says why it is in, and the best creators left out say what they would add and what kept them
out. Candidates come as the forecast's roster frame plus ``suggested_fee`` (compensation), ``niche`` and ``fit``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from grassroots.judgments.campaigns.assumptions import Assumptions
from grassroots.judgments.campaigns.forecast import OFFERS, expected_outcomes, offer_terms

GOAL_METRIC = {"sales": "expected_sales", "awareness": "expected_reach", "launch": "expected_reach",
               "ugc": "expected_posts", "community": "expected_posts"}  # fmt: skip
METRIC_UNIT = {"expected_sales": "sales", "expected_reach": "people reached", "expected_posts": "posts"}
OFFER_NAMES = {"gift": "gift", "affiliate": "affiliate code", "fee": "paid post"}
# Seconds for the plan and for the +10 % budget question: the issue allows 5 s for 5,000 candidates in all.
TIME_LIMIT, MARGINAL_TIME_LIMIT = 2.5, 1.5
# Stop once the plan is proven within 0.5 % of the best possible: the forecast behind the values is uncertain by tens
# of percent, and proving the last fraction of a percent on a knapsack of thousands of near-equal items takes minutes.
GAP = 0.005


@dataclass(frozen=True)
class Constraints:
    """The brand's limits: budget and goal, cap per creator, minimums, diversity (shares are 0–1)."""

    budget: float
    goal: str = "sales"
    currency: str = "EUR"
    max_per_creator: float | None = None
    min_credibility: int = 0
    include_unvetted: bool = True
    min_fit: float = 0.0
    max_tier_share: float = 1.0
    max_niche_share: float = 1.0
    max_creators: int | None = None
    offers: tuple[str, ...] = OFFERS


@dataclass(frozen=True)
class Marginal:
    """What a larger budget would buy: re-solved at ``budget``; ``proven`` False when the solve hit its time limit
    (then ``value`` is at least what it says)."""

    budget: float
    value: float
    added: float
    proven: bool = True


@dataclass(frozen=True, eq=False)
class Plan:
    """The chosen roster with reasons, the best left out, and what the limits cost."""

    goal: str
    metric: str
    unit: str
    budget: float
    spent: float
    value: float
    picks: pl.DataFrame
    left_out: pl.DataFrame
    excluded: dict[str, int]
    groups: pl.DataFrame
    status: str
    optimal: bool
    seconds: float
    candidates: int
    marginal: Marginal | None = None
    notes: list[str] = field(default_factory=list)


def _count(value: float) -> str:
    """An expected count as people read it: 12,340 people, 12.3 posts, 0.57 sales."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}" if abs(amount) < 100 else f"{amount:,.0f} {currency}"


def _filter(candidates: pl.DataFrame, c: Constraints) -> tuple[pl.DataFrame, dict[str, int]]:
    """Candidates that pass the minimums, and how many each minimum left out."""
    cred = pl.col("credibility").fill_null(-1)
    unvetted = cred < 0
    low_cred = (~unvetted & (cred < c.min_credibility)) if c.min_credibility > 0 else pl.lit(False)
    fit = pl.col("fit").cast(pl.Float64) if "fit" in candidates.columns else pl.lit(None, pl.Float64)
    low_fit = (fit < c.min_fit).fill_null(False) if c.min_fit > 0 else pl.lit(False)
    flags = candidates.with_columns(
        low_cred.alias("_low_cred"), (unvetted & (not c.include_unvetted)).alias("_unvetted"), low_fit.alias("_low_fit")
    )
    excluded = {
        f"credibility below {c.min_credibility}": int(flags["_low_cred"].sum()),
        "not vetted yet": int(flags["_unvetted"].sum()),
        f"brand fit below {c.min_fit * 100:.0f} %": int(flags["_low_fit"].sum()),
    }
    kept = flags.filter(~(pl.col("_low_cred") | pl.col("_unvetted") | pl.col("_low_fit")))
    return kept.drop("_low_cred", "_unvetted", "_low_fit"), {k: v for k, v in excluded.items() if v}


def candidate_offers(candidates: pl.DataFrame, c: Constraints, a: Assumptions) -> pl.DataFrame:
    """One row per (creator, offer) with its expected outcome and cost; micro-micro creators get gifts, not fees."""
    base = candidates
    for col, default in (("niche", pl.lit(None, pl.String)), ("fit", pl.lit(None, pl.Float64)),
                         ("suggested_fee", pl.lit(None, pl.Float64))):  # fmt: skip
        if col not in base.columns:
            base = base.with_columns(default.alias(col))
    parts = []
    for offer in c.offers:
        rows = base
        if offer == "fee":  # the seeds: micro-micro creators are fans, invited with a gift rather than hired
            rows = base.filter((pl.col("tier") != "micro-micro") & pl.col("suggested_fee").is_not_null())
        parts.append(offer_terms(rows, offer, a))
    pairs = expected_outcomes(pl.concat(parts, how="vertical_relaxed"), a)
    metric = GOAL_METRIC.get(c.goal, "expected_sales")
    pairs = pairs.with_columns(pl.col(metric).alias("value"), pl.col("expected_cost").alias("cost"))
    pairs = pairs.filter(pl.col("value") > 0).with_columns((pl.col("value") / pl.col("cost").clip(1e-9)).alias("vpc"))
    # An offer that costs more than another offer to the same creator and brings no more is never worth choosing.
    ordered = pairs.sort("creator_id", "cost", pl.col("value"), descending=[False, False, True], maintain_order=True)
    best_so_far = pl.col("value").cum_max().shift(1).over("creator_id")
    return ordered.filter(best_so_far.is_null() | (pl.col("value") > best_so_far))


def _group_rows(pairs: pl.DataFrame, c: Constraints) -> tuple[list[tuple[str, str, float]], list[str]]:
    """(dimension, group, share) for every diversity limit that applies; a dimension with one group is skipped."""
    limits, notes = [], []
    for dim, share in (("tier", c.max_tier_share), ("niche", c.max_niche_share)):
        if share >= 1:
            continue
        groups = pairs[dim].drop_nulls().unique().sort().to_list()
        if len(groups) < 2:
            notes.append(f"Every candidate shares one {dim}: the {dim} limit was not applied.")
            continue
        limits += [(dim, str(g), share) for g in groups]
    return limits, notes


def _matrix(pairs: pl.DataFrame, c: Constraints, budget: float) -> tuple[sparse.csr_array, list[float], list[str]]:
    """The constraint rows (A x <= ub) and notes on limits that were not applied."""
    n = len(pairs)
    cost = pairs["cost"].to_numpy()
    rows: list[np.ndarray] = [cost]
    ub: list[float] = [budget]
    limits, notes = _group_rows(pairs, c)
    for dim, group, share in limits:
        member = (pairs[dim] == group).fill_null(False).to_numpy().astype(np.float64)
        rows.append(member * cost)
        ub.append(share * budget)
    if c.max_creators is not None:
        rows.append(np.ones(n))
        ub.append(float(c.max_creators))
    dense = sparse.csr_array(np.vstack(rows))
    creator = pairs["creator_id"].to_numpy()
    codes, index = np.unique(creator, return_inverse=True)
    one_each = sparse.csr_array((np.ones(n), (index.reshape(-1), np.arange(n))), shape=(len(codes), n))
    return sparse.vstack([dense, one_each]).tocsr(), ub + [1.0] * len(codes), notes


def _solve(
    pairs: pl.DataFrame, c: Constraints, budget: float, limit: float = TIME_LIMIT
) -> tuple[np.ndarray, bool, str, list[str]]:
    """Solve the programme; returns the chosen mask, whether it is proven optimal, a status sentence and notes."""
    if pairs.is_empty() or budget <= 0:
        return np.zeros(len(pairs), dtype=bool), True, "Nothing to choose from within these limits.", []
    value = pairs["value"].to_numpy()
    scale = float(value.max())
    # A tiny cost term breaks ties towards the cheaper plan without trading away any value.
    objective = -(value / scale) + 1e-7 * pairs["cost"].to_numpy() / max(budget, 1.0)
    a_ub, ub, notes = _matrix(pairs, c, budget)
    res = milp(
        objective,
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(a_ub, -np.inf, np.asarray(ub)),
        # HiGHS's presolve took 70-80 % of the time on these knapsacks (1.4 s of 1.8 s at 13,571 pairs) and found
        # nothing to remove: the same plans come out without it (benchmarks/campaign_models.py).
        options={"time_limit": limit, "mip_rel_gap": GAP, "presolve": False},
    )
    if res.x is None:
        return np.zeros(len(pairs), dtype=bool), False, f"The solver found no plan ({res.message}).", notes
    chosen = res.x > 0.5
    gap = getattr(res, "mip_gap", None)
    within = f"within {max(gap, 0.0) * 100:.1f} % of the best possible plan" if gap is not None else "feasible"
    if res.status == 0:
        if gap is None or gap < 5e-4:
            return chosen, True, "Solved: the best possible plan under these limits.", notes
        return chosen, True, f"Solved: proven {within} under these limits.", notes
    return chosen, False, f"Stopped at the {limit:g} s time limit: {within}.", notes


def _why_picked(
    picks: pl.DataFrame, pairs: pl.DataFrame, c: Constraints, unit: str, ranks: dict[int, int]
) -> list[str]:
    # Each pick's cheapest other offer, to say what the chosen offer adds over it.
    cheapest = pairs.sort("cost", maintain_order=True).select(
        "creator_id", pl.col("offer").alias("alt_offer"), pl.col("cost").alias("alt_cost"),
        pl.col("value").alias("alt_value"),
    ).unique("creator_id", keep="first", maintain_order=True)  # fmt: skip
    rows = picks.join(cheapest, on="creator_id", how="left", maintain_order="left")
    total = len(ranks)
    out = []
    for row in rows.iter_rows(named=True):
        text = f"Ranks {ranks[row['creator_id']]:,} of {total:,} by {unit} per money spent. "
        if row["offer"] == "gift" and row["tier"] == "micro-micro":
            text += "A gift with an invitation to share: micro-micro creators are fans, not staff."
        elif row["alt_cost"] is not None and row["alt_cost"] < row["cost"]:
            text += (
                f"The {OFFER_NAMES[row['offer']]} over the {OFFER_NAMES[row['alt_offer']]}: +"
                f"{_count(row['value'] - row['alt_value'])} {unit} for {_money(row['cost'] - row['alt_cost'], c.currency)} more."
            )
        else:
            text += f"The {OFFER_NAMES[row['offer']]} is the cheapest offer that gets a post."
        out.append(text)
    return out


def _why_left_out(best: pl.DataFrame, picks: pl.DataFrame, c: Constraints, budget: float, unit: str) -> list[str]:
    spent = float(picks["cost"].sum())
    used = {dim: dict(picks.group_by(dim).agg(pl.col("cost").sum()).iter_rows()) for dim in ("tier", "niche")}
    total_picks = len(picks)
    out = []
    for row in best.iter_rows(named=True):
        reasons = []
        if row["cost"] > budget - spent:
            reasons.append(f"the budget: it costs {_money(row['cost'], c.currency)}, "
                           f"{_money(max(budget - spent, 0), c.currency)} is left")  # fmt: skip
        for dim, share in (("tier", c.max_tier_share), ("niche", c.max_niche_share)):
            group = row[dim]
            if share >= 1 or group is None or group not in used[dim]:
                continue
            if used[dim][group] + row["cost"] > share * budget:
                reasons.append(f"the {dim} limit: {group} would pass {share * 100:.0f} % of the budget")
        if c.max_creators is not None and total_picks >= c.max_creators:
            reasons.append(f"the limit of {c.max_creators} creators")
        if not reasons:
            reasons.append("the picks give more for the same money")
        out.append(f"Would add {_count(row['value'])} {unit} for {_money(row['cost'], c.currency)}; left out by "
                   + " and ".join(reasons) + ".")  # fmt: skip
    return out


def _eligible_pairs(candidates: pl.DataFrame, c: Constraints, a: Assumptions, limit: int
                    ) -> tuple[pl.DataFrame, dict[str, int], list[str]]:  # fmt: skip
    """(creator, offer) pairs that pass every filter, at most ``limit`` creators; what each filter left out."""
    eligible, excluded = _filter(candidates, c)
    pairs = candidate_offers(eligible, c, a)
    if nothing := eligible.height - pairs["creator_id"].n_unique():
        excluded["no audience to reach"] = nothing
    if c.max_per_creator is not None:
        within = pairs.filter(pl.col("cost") <= c.max_per_creator)
        if capped := pairs["creator_id"].n_unique() - within["creator_id"].n_unique():
            excluded[f"every offer over the {_money(c.max_per_creator, c.currency)} cap"] = capped
        pairs = within
    notes = []
    if pairs["creator_id"].n_unique() > limit:
        # The solver's time grows with the candidates; the best by value per cost are the ones a budget reaches.
        best_vpc = pairs.group_by("creator_id").agg(pl.col("vpc").max()).sort("creator_id")
        top = best_vpc.sort("vpc", descending=True, maintain_order=True).head(limit)
        notes.append(f"Only the best {limit:,} of {pairs['creator_id'].n_unique():,} candidates by value per cost "
                     "were considered.")  # fmt: skip
        pairs = pairs.filter(pl.col("creator_id").is_in(top["creator_id"].implode()))
    return pairs, excluded, notes


def _ranked(frame: pl.DataFrame, ranks: dict[int, int], why: list[str]) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("creator_id").replace_strict(ranks, return_dtype=pl.Int64).alias("rank"),
        pl.Series("why", why, dtype=pl.String),
    )


def optimise(candidates: pl.DataFrame, c: Constraints, a: Assumptions | None = None, *, left_out: int = 10,
             marginal: bool = True, max_candidates: int = 5_000) -> Plan:  # fmt: skip
    """Choose creators and offers that maximise the goal's expected outcome within the budget, with reasons."""
    started = time.perf_counter()
    a = a or Assumptions()
    metric = GOAL_METRIC.get(c.goal, "expected_sales")
    unit = METRIC_UNIT[metric]
    pairs, excluded, notes = _eligible_pairs(candidates, c, a, max_candidates)
    chosen, optimal, status, limit_notes = _solve(pairs, c, c.budget)
    # Stable sorts from creator order: ties rank the same way on every run.
    best = (
        pairs.sort("creator_id", "cost")
        .sort("vpc", descending=True, maintain_order=True)
        .unique("creator_id", keep="first", maintain_order=True)
    )
    ranks = {cid: i + 1 for i, cid in enumerate(best["creator_id"].to_list())}
    keep = ["creator_id", "tier", "niche", "offer", "cost", "value", "vpc", "expected_sales", "expected_reach",
            "expected_posts", "expected_revenue"]  # fmt: skip
    picks = pairs.filter(pl.Series(chosen, dtype=pl.Boolean)).select(keep).sort("vpc", descending=True)
    picks = _ranked(picks, ranks, _why_picked(picks, pairs, c, unit, ranks)).sort("rank")
    outside = best.filter(~pl.col("creator_id").is_in(picks["creator_id"].implode())).head(left_out).select(keep)
    outside = _ranked(outside, ranks, _why_left_out(outside, picks, c, c.budget, unit))
    plus = None
    if marginal and not pairs.is_empty():
        bigger = replace(c, budget=c.budget * 1.1)
        extra, proven, _, _ = _solve(pairs, bigger, bigger.budget, MARGINAL_TIME_LIMIT)
        # Today's plan fits the larger budget too: a solve cut short never reports less than it.
        current = float(picks["value"].sum())
        more = max(float(pairs.filter(pl.Series(extra, dtype=pl.Boolean))["value"].sum()), current)
        plus = Marginal(bigger.budget, more, more - current, proven)
    groups = picks.group_by("tier").agg(pl.len().alias("picks"), pl.col("cost").sum().alias("spent")).sort("tier")
    return Plan(c.goal, metric, unit, c.budget, float(picks["cost"].sum()), float(picks["value"].sum()), picks,
                outside, excluded, groups, status, optimal, time.perf_counter() - started,
                best.height, plus, notes + limit_notes)  # fmt: skip
