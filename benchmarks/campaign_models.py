"""Campaign forecast and optimiser benchmark: the issue's campaign of 500 collaborations and 5,000 candidates.

Times, on a synthetic population (seeded; tiers from micro-micro to macro, a spread of engagement and credibility):
  * the Monte-Carlo forecast, 10,000 draws of 500 creators, for each kind of offer (gift, affiliate, paid, mixed),
    and the one-macro-creator comparison;
  * the optimiser over 5,000 candidates × 3 offers (two HiGHS solves: the plan and +10 % budget), for each goal,
    with and without limits (credibility and fit minimums, a cap per creator, tier and niche shares);
  * with --db, the same through the services on a fresh SQLite file: `planning.forecast_view` for a campaign of
    500 collaborations (queries, frames, forecast, macro, actuals) and `planning.optimise_campaign` over 5,000
    candidates of the workspace.
Each figure is the median (and the best) of --repeat runs after one warm-up. Not a test: it prints figures.
Run: .venv/bin/python benchmarks/campaign_models.py [--repeat 5] [--db]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

from grassroots.judgments.campaigns.assumptions import Assumptions
from grassroots.judgments.campaigns.compensation import suggest_compensation
from grassroots.judgments.campaigns.forecast import forecast, macro_creator, offer_terms
from grassroots.judgments.campaigns.optimiser import Constraints, optimise
from grassroots.judgments.vetting.engagement import tier_expr

NICHES = ["beauty", "food", "fitness", "pets", "home", "outdoors"]


def population(n: int, seed: int) -> pl.DataFrame:
    """``n`` creators: followers log-uniform from 300 to 250k, engagement falling with size, credibility -1..100."""
    rng = np.random.default_rng(seed)
    followers = np.exp(rng.uniform(np.log(300), np.log(250_000), n)).astype(np.int64)
    engagement = np.clip(rng.lognormal(np.log(0.12) - 0.18 * np.log(followers / 1_000), 0.5), 0.002, 0.6)
    frame = pl.DataFrame(
        {
            "creator_id": np.arange(1, n + 1),
            "followers": followers,
            "engagement_rate": engagement,
            "credibility": rng.integers(-1, 101, n),
            "platform": rng.choice(["instagram", "instagram", "tiktok", "youtube"], n),
            "niche": rng.choice(NICHES, n),
            "fit": rng.uniform(0, 1, n),
        }
    ).with_columns(tier_expr(pl.col("followers")).alias("tier"))
    fees = suggest_compensation(frame).select("creator_id", "suggested_fee")
    return frame.join(fees, on="creator_id")


def timed(fn: Callable[[], Any], repeat: int) -> tuple[tuple[float, float], Any]:
    """Median and best seconds of ``repeat`` runs after a warm-up, and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return (statistics.median(times), min(times)), result


def forecast_rows(repeat: int) -> list[tuple[str, tuple[float, float], str]]:
    """The forecast of 500 creators, 10,000 draws, per offer."""
    a = Assumptions()
    roster = population(500, 1)
    mixed = pl.concat([offer_terms(roster[i::3], o, a) for i, o in enumerate(("gift", "affiliate", "fee"))])
    rows = []
    for name, frame in (
        ("gift", offer_terms(roster, "gift", a)),
        ("affiliate", offer_terms(roster, "affiliate", a)),
        ("paid", offer_terms(roster, "fee", a)),
        ("mixed", mixed),
    ):
        seconds, result = timed(lambda f=frame: forecast(f, a, draws=10_000), repeat)
        s = result["sales"]
        rows.append(
            (
                f"forecast, 500 creators, {name}",
                seconds,
                f"sales P10/P50/P90 {s.p10:,.0f} / {s.p50:,.0f} / {s.p90:,.0f}",
            )
        )
    seconds, result = timed(lambda: forecast(macro_creator(20_000, a), a, draws=10_000), repeat)
    rows.append(("forecast, one macro creator", seconds, f"sales P50 {result['sales'].p50:,.0f}"))
    return rows


def optimiser_rows(repeat: int) -> list[tuple[str, tuple[float, float], str]]:
    """The optimiser over 5,000 candidates, per goal, with and without limits."""
    a = Assumptions()
    candidates = population(5_000, 2)
    rows = []
    for goal in ("sales", "awareness", "ugc"):
        for limited in (False, True):
            limits = Constraints(budget=25_000, goal=goal)
            if limited:
                limits = Constraints(budget=25_000, goal=goal, max_per_creator=1_500, min_credibility=40, min_fit=0.2,
                                     max_tier_share=0.5, max_niche_share=0.3)  # fmt: skip
            seconds, plan = timed(lambda c=limits: optimise(candidates, c, a), repeat)
            label = f"optimiser, 5,000 candidates, {goal}{', limits' if limited else ''}"
            rows.append((label, seconds, f"{len(plan.picks)} picks, {plan.value:,.1f} {plan.unit}; {plan.status}"))
    # The hard case: a small budget, at most 50 creators and tight shares (the solver's root work grows).
    tight = Constraints(budget=3_000, goal="sales", max_tier_share=0.4, max_niche_share=0.2, max_creators=50)
    seconds, plan = timed(lambda: optimise(candidates, tight, a), repeat)
    rows.append(("optimiser, 5,000 candidates, 3,000 budget, ≤ 50 creators, tight shares", seconds,
                 f"{len(plan.picks)} picks, {plan.value:,.1f} {plan.unit}; {plan.status}"))  # fmt: skip
    return rows


def service_rows(repeat: int) -> list[tuple[str, tuple[float, float], str]]:
    """The services on a fresh SQLite file: a campaign of 500 collaborations among 5,000 creators."""
    from grassroots.campaigns import planning
    from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration
    from grassroots.campaigns.planning_schemas import OptimiseIn
    from grassroots.creators.models import Creator, Platform
    from grassroots.db.migrate import upgrade
    from grassroots.db.session import make_engine, session_scope
    from grassroots.workspaces import service as workspaces

    folder = Path(tempfile.mkdtemp(prefix="grassroots-campaign-bench-"))
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade(engine)
    people = population(5_000, 3)
    with session_scope(engine) as s:
        ws = workspaces.get_or_create_workspace(s, "Bench").id
        s.add_all(
            Creator(
                workspace_id=ws,
                display_name=f"Creator {r['creator_id']}",
                primary_handle=f"c{r['creator_id']}",
                followers=r["followers"],
                engagement_rate=r["engagement_rate"],
                credibility=r["credibility"],
                primary_platform=Platform(r["platform"]),
            )
            for r in people.iter_rows(named=True)
        )
        s.flush()
        ids = list(
            s.scalars(Creator.__table__.select().with_only_columns(Creator.id).where(Creator.workspace_id == ws))
        )
        campaign = Campaign(
            workspace_id=ws, name="Bench", goal=CampaignGoal.sales, budget=Decimal(20_000), currency="EUR"
        )
        s.add(campaign)
        s.flush()
        s.add_all(Collaboration(workspace_id=ws, campaign_id=campaign.id, creator_id=c) for c in ids[:500])
        campaign_id = campaign.id
    rows = []
    with session_scope(engine) as s:
        seconds, view = timed(lambda: planning.forecast_view(s, ws, campaign_id), repeat)
        rows.append(
            ("forecast_view, 500 collaborations (SQLite)", seconds, f"sales P50 {view.roster['sales'].p50:,.0f}")
        )
        params = OptimiseIn(budget=Decimal(25_000), tiers=[], creator_ids=ids)
        seconds, plan = timed(lambda: planning.optimise_campaign(s, ws, campaign_id, params), repeat)
        rows.append(
            ("optimise_campaign, 5,000 candidates (SQLite)", seconds, f"{len(plan.picks)} picks; {plan.status}")
        )
    engine.dispose()
    return rows


def main() -> None:
    """Run the benchmarks and print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure (median shown)")
    parser.add_argument("--db", action="store_true", help="also time the services on a SQLite file")
    args = parser.parse_args()
    # Other work on the machine slows every figure: the load average is printed with them.
    before = os.getloadavg()[0]
    rows = forecast_rows(args.repeat) + optimiser_rows(args.repeat)
    if args.db:
        rows += service_rows(args.repeat)
    table = Table(title="Campaign forecast and optimiser (seconds)")
    for column in ("what", "median", "best", "result"):
        table.add_column(column, justify="right" if column in ("median", "best") else "left")
    for what, (median, best), result in rows:
        table.add_row(what, f"{median:.3f}", f"{best:.3f}", result)
    console = Console(width=200)
    console.print(table)
    console.print(f"{os.cpu_count()} CPUs; 1-minute load average {before:.1f} before, {os.getloadavg()[0]:.1f} after")


if __name__ == "__main__":
    main()
