"""Campaign planning: the Monte-Carlo forecast, the budget optimiser and fair compensation of one campaign.

Service glue: reads the roster and the candidates into frames, runs the pure judgments of
``judgments/campaigns`` and returns what the pages and the API show (docs/forecast.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.campaigns.planning_frames import Actual, actual_sales, candidates_frame, roster_frame, set_aside
from grassroots.campaigns.planning_schemas import (
    ActualOut,
    CompensationIn,
    CompensationOut,
    ForecastOut,
    IntervalOut,
    MarginalOut,
    OptimiseIn,
    PlanOut,
    PlanRowOut,
)
from grassroots.campaigns.service import require_campaign
from grassroots.errors import InvalidInput
from grassroots.judgments.campaigns.assumptions import FIELDS, Assumptions, assumptions_from_form, assumptions_from_json
from grassroots.judgments.campaigns.assumptions import shown as shown_value
from grassroots.judgments.campaigns.compensation import Terms, suggest_compensation
from grassroots.judgments.campaigns.forecast import (
    DRAWS,
    Forecast,
    Naive,
    collaboration_terms,
    expected_outcomes,
    forecast,
    histograms,
    macro_creator,
    naive_forecast,
    share_ahead,
)
from grassroots.judgments.campaigns.optimiser import Constraints, Plan, optimise

METRICS = (("reach", "People reached", "count"), ("clicks", "Clicks", "count"), ("sales", "Sales", "count"),
           ("revenue", "Revenue", "money"), ("cost", "Cost", "money"), ("cost_per_sale", "Cost per sale", "money"))  # fmt: skip


@dataclass(frozen=True)
class AssumptionRow:
    """One assumption as the page shows it: value and default in the shown unit, and its source."""

    name: str
    label: str
    unit: str
    value: float
    default: float
    changed: bool
    source: str
    low: float
    high: float


@dataclass(frozen=True, eq=False)
class ForecastView:
    """What the forecast page shows: the roster's intervals, the seeds' naive product, one macro creator, actuals."""

    campaign_id: int
    name: str
    currency: str
    assumptions: Assumptions
    rows: list[AssumptionRow]
    creators: int
    set_aside: int
    roster: Forecast | None
    macro: Forecast | None
    macro_budget: float | None
    macro_basis: str
    ahead: float | None
    naive: Naive
    actual: Actual | None
    top: list[dict[str, Any]]
    charts: dict[str, Any]
    metrics: tuple[tuple[str, str, str], ...] = METRICS


def assumptions_of(campaign: Campaign) -> Assumptions:
    """The campaign's assumptions: its stored changes over the defaults."""
    return assumptions_from_json(campaign.assumptions)


def assumption_rows(a: Assumptions) -> list[AssumptionRow]:
    """Every editable assumption with its value, default and source, in the units a form shows."""
    base = Assumptions()
    rows = []
    for f in FIELDS:
        changed = getattr(a, f.name) != getattr(base, f.name)
        value, default = shown_value(a, f.name), shown_value(base, f.name)
        rows.append(AssumptionRow(f.name, f.label, f.unit, value, default, changed, f.source, f.low, f.high))
    return rows


def save_assumptions(
    session: Session, workspace_id: int, campaign_id: int, values: Mapping[str, Any], *, reset: bool = False
) -> Assumptions:
    """Store edited assumptions (only those that differ from the defaults); InvalidInput changes nothing."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    base = Assumptions() if reset else assumptions_of(campaign)
    edited = assumptions_from_form({k: str(v) for k, v in values.items()}, base)
    campaign.assumptions = edited.changed() or None
    session.flush()
    return edited


def _charts(roster: Forecast, macro: Forecast | None, naive: Naive) -> dict[str, Any]:
    """Sales draws of the roster and the macro creator on shared bins, and their P10/P50/P90 beside the seeds'."""
    series = {"roster": roster.totals["sales"]} | ({"macro": macro.totals["sales"]} if macro else {})
    bands = []
    for name, result in (("your roster", roster), ("one macro creator", macro)):
        if result is not None:
            sales = result["sales"]
            bands.append({"name": name, "p10": sales.p10, "p50": sales.p50, "p90": sales.p90})
    return {"sales": histograms(series), "bands": bands, "naive": naive.sales}


def _top(frame: pl.DataFrame, a: Assumptions, n: int = 10) -> list[dict[str, Any]]:
    means = expected_outcomes(frame, a).sort("expected_sales", descending=True, maintain_order=True).head(n)
    keep = ("creator_id", "name", "handle", "tier", "offer", "expected_reach", "expected_sales", "expected_cost")
    return means.select(keep).to_dicts()


def forecast_view(session: Session, workspace_id: int, campaign_id: int, *, draws: int = DRAWS) -> ForecastView:
    """The campaign's forecast with its assumptions, the seeds' naive product, a macro creator and the actuals."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    a = assumptions_of(campaign)
    frame = roster_frame(session, campaign)
    naive = naive_forecast(frame["followers"].to_numpy())
    empty = ForecastView(campaign.id, campaign.name, campaign.currency, a, assumption_rows(a), 0,
                         set_aside(session, campaign), None, None, None, "", None, naive, None, [], {})  # fmt: skip
    if frame.is_empty():
        return empty
    terms = collaboration_terms(frame, a)
    roster = forecast(terms, a, draws=draws)
    budget, basis = float(campaign.budget or 0), "the campaign's budget"
    if not budget:
        budget, basis = roster["cost"].mean, "the roster's expected cost (the campaign has no budget)"
    macro = forecast(macro_creator(budget, a), a, draws=draws) if budget > 0 else None
    ahead = share_ahead(roster, macro) if macro else None
    actual = actual_sales(session, campaign, frame["creator_id"].to_list())
    return ForecastView(campaign.id, campaign.name, campaign.currency, a, empty.rows, len(frame), empty.set_aside,
                        roster, macro, budget if macro else None, basis, ahead, naive, actual, _top(terms, a),
                        _charts(roster, macro, naive))  # fmt: skip


def optimise_campaign(session: Session, workspace_id: int, campaign_id: int, params: OptimiseIn) -> PlanOut:
    """Choose the roster and offers that maximise the campaign's goal within the budget, with reasons."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    budget = params.budget or campaign.budget
    if not budget:
        raise InvalidInput("Set a budget.", {"budget": "the campaign has no budget: enter one here"})
    a = assumptions_of(campaign)
    limits = Constraints(
        budget=float(budget), goal=(params.goal or campaign.goal).value, currency=campaign.currency,
        max_per_creator=float(params.max_per_creator) if params.max_per_creator else None,
        min_credibility=params.min_credibility, include_unvetted=params.include_unvetted, min_fit=params.min_fit / 100,
        max_tier_share=params.max_tier_share / 100, max_niche_share=params.max_niche_share / 100,
        max_creators=params.max_creators,
    )  # fmt: skip
    frame, declined = candidates_frame(session, workspace_id, campaign, params)
    plan = optimise(frame, limits, replace(a, gift_value=_gift(campaign, a)))
    names = {r[0]: (r[1], r[2]) for r in frame.select("creator_id", "name", "handle").iter_rows()}
    roster = set(session.scalars(select(Collaboration.creator_id).where(Collaboration.campaign_id == campaign.id)))
    out = plan_out(plan, campaign.currency, names, roster)
    if declined:
        out.excluded["declined or paused in this campaign"] = declined
    return out


def _rows(frame: pl.DataFrame, names: dict[int, tuple[str, str]], roster: set[int]) -> list[PlanRowOut]:
    out = []
    for r in frame.iter_rows(named=True):
        name, handle = names.get(r["creator_id"], ("", ""))
        values = {k: r[k] for k in PlanRowOut.model_fields if k in r}
        out.append(PlanRowOut(**values, name=name, handle=handle, on_roster=r["creator_id"] in roster))
    return out


def plan_out(plan: Plan, currency: str, names: dict[int, tuple[str, str]], roster: set[int]) -> PlanOut:
    """A plan as the page and the API show it: names beside ids, and who is on the roster already."""
    marginal = MarginalOut(**vars(plan.marginal)) if plan.marginal else None
    return PlanOut(goal=plan.goal, unit=plan.unit, currency=currency, budget=plan.budget, spent=plan.spent,
                   value=plan.value, status=plan.status, optimal=plan.optimal, seconds=round(plan.seconds, 3),
                   candidates=plan.candidates, excluded=plan.excluded, notes=plan.notes,
                   picks=_rows(plan.picks, names, roster), left_out=_rows(plan.left_out, names, roster),
                   marginal=marginal)  # fmt: skip


def forecast_out(view: ForecastView) -> ForecastOut:
    """The forecast as /api/v1 answers it (infinite cost per sale as null)."""

    def intervals(result: Forecast | None) -> dict[str, IntervalOut] | None:
        return {m: IntervalOut.of(i) for m, i in result.intervals.items()} if result else None

    actual = None
    if view.actual and view.roster:
        a = view.actual
        actual = ActualOut(orders=a.orders, revenue=a.revenue, currency=a.currency, since=a.since, until=a.until,
                           other_currency_orders=a.other_currency_orders, position=a.position(view.roster["sales"]))  # fmt: skip
    return ForecastOut(campaign_id=view.campaign_id, currency=view.currency, draws=view.roster.draws if view.roster else 0,
                       creators=view.creators, assumptions=view.assumptions.as_json(),
                       changed=list(view.assumptions.changed()), roster=intervals(view.roster),
                       macro=intervals(view.macro), macro_budget=view.macro_budget, roster_ahead_of_macro=view.ahead,
                       naive_reach=view.naive.reach, naive_sales=view.naive.sales, actual=actual)  # fmt: skip


def optimise_boxes(session: Session, workspace_id: int, campaign_id: int) -> dict[str, Any]:
    """The optimiser form's first values: the campaign's budget and goal, no limits, the small tiers."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    budget = f"{campaign.budget:,.2f}" if campaign.budget else ""
    return {"budget": budget, "goal": campaign.goal.value, "min_credibility": "0", "include_unvetted": "1",
            "min_fit": "0", "max_tier_share": "100", "max_niche_share": "100",
            "tiers": [t.value for t in OptimiseIn().tiers]}  # fmt: skip


def shortlist_choices(session: Session, workspace_id: int) -> list[tuple[int, str, int]]:
    """The workspace's shortlists (id, name, size), for the optimiser's candidate choice."""
    from grassroots.discovery.repository import shortlists

    return [(s.id, s.name, n) for s, n in shortlists(session, workspace_id)]


def _gift(campaign: Campaign, a: Assumptions) -> float:
    return float(campaign.gift_value) if campaign.gift_value else a.gift_value


def compensation_rows(
    session: Session, workspace_id: int, campaign_id: int, terms: CompensationIn
) -> list[CompensationOut]:
    """A suggested range with reasons for every roster member (by name), and the fee agreed where there is one."""
    campaign = require_campaign(session, workspace_id, campaign_id)
    frame = roster_frame(session, campaign)
    gift = _gift(campaign, assumptions_of(campaign))
    asked = Terms(
        terms.deliverables, terms.usage, terms.usage_months, terms.exclusivity_months, gift, campaign.currency
    )
    suggested = suggest_compensation(frame, asked).join(
        frame.select("creator_id", "name", "handle", "platform", "followers", "fee"), on="creator_id"
    )
    keep = ("creator_id", "name", "handle", "tier", "platform", "followers", "kind", "fee_low", "fee_high", "gift")
    return [
        CompensationOut(
            **{k: r[k] for k in keep},
            reasons=r["reasons"],
            currency=campaign.currency,
            agreed_fee=None if r["fee"] is None else Decimal(str(r["fee"])),
        )
        for r in suggested.sort("name").iter_rows(named=True)
    ]
