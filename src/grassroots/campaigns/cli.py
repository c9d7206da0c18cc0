"""`grassroots campaigns …`: create, list, show, archive, add creators and move them along the pipeline."""

from __future__ import annotations

import getpass
import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from grassroots.campaigns import health, pipeline, service
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import CampaignGoal, CampaignKind, Compensation, Stage
from grassroots.campaigns.repository import BoardFilters
from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors
from grassroots.db.session import session_scope
from grassroots.errors import InvalidInput
from grassroots.workspaces.service import get_or_create_workspace

console = Console()
app = typer.Typer(help="Plan campaigns and run their rosters.", no_args_is_help=True)
CampaignRef = Annotated[str, typer.Argument(help="Campaign id or exact name.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _money(amount: object, currency: str) -> str:
    return "–" if amount is None else f"{amount:,.2f} {currency}"


def _actor() -> Actor:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        who = "unknown user"
    return Actor(f"command line ({who})")


def _kpis(pairs: list[str]) -> list[dict[str, str]]:
    out = []
    for pair in pairs:
        metric, sep, target = pair.partition("=")
        if not sep:
            raise InvalidInput(f"--kpi {pair!r}: write it as METRIC=TARGET, e.g. sales=80", {"kpis": "METRIC=TARGET"})
        out.append({"metric": metric.strip(), "target": target.strip().replace(",", "")})
    return out


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The campaign's name.")],
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    kind: Annotated[CampaignKind, typer.Option(help="seeding gifts with no strings attached.")] = CampaignKind.seeding,
    goal: Annotated[CampaignGoal, typer.Option()] = CampaignGoal.awareness,
    budget: Annotated[str | None, typer.Option(help="Amount, e.g. 2500 or 1,250.50.")] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code.")] = "EUR",
    starts_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    ends_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    brief: Annotated[str | None, typer.Option()] = None,
    product: Annotated[list[str] | None, typer.Option(help="A product (repeat the option).")] = None,
    kpi: Annotated[list[str] | None, typer.Option(help="METRIC=TARGET, e.g. sales=80 (repeatable).")] = None,
    compensation: Annotated[Compensation, typer.Option()] = Compensation.gift,
    fee: Annotated[str | None, typer.Option()] = None,
    commission_pct: Annotated[str | None, typer.Option()] = None,
    gift_value: Annotated[str | None, typer.Option()] = None,
    handle: Annotated[list[str] | None, typer.Option(help="Brand handle its posts mention (repeatable).")] = None,
    hashtag: Annotated[list[str] | None, typer.Option(help="Campaign hashtag (repeatable).")] = None,
    code: Annotated[list[str] | None, typer.Option(help="Promo code (repeatable).")] = None,
) -> None:
    """Create a campaign; every bad field is named and nothing is written."""
    values: dict[str, Any] = {
        "name": name, "kind": kind, "goal": goal, "budget": budget and budget.replace(",", ""), "currency": currency,
        "starts_on": starts_on, "ends_on": ends_on, "brief": brief, "products": product or [],
        "compensation": compensation, "fee": fee, "commission_pct": commission_pct, "gift_value": gift_value,
        "handles": handle or [], "hashtags": hashtag or [], "promo_codes": code or [],
    }  # fmt: skip
    with fail_on_errors(), session_scope() as session:
        try:
            values["kpis"] = _kpis(kpi or [])
            data = service.validate_campaign({k: v for k, v in values.items() if v is not None})
        except InvalidInput as exc:
            for field, message in exc.errors.items():
                console.print(f"[red]{field}[/]: {message}", highlight=False)
            raise
        ws = get_or_create_workspace(session, workspace)
        campaign = service.create_campaign(session, ws.id, data)
        console.print(f"[green]Created[/] campaign {campaign.id}: {campaign.name} ({campaign.kind.label})")


@app.command("list")
def list_campaigns(
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    archived: Annotated[bool, typer.Option("--archived", help="Only archived campaigns.")] = False,
    as_json: AsJson = False,
) -> None:
    """The workspace's campaigns with their roster size."""
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        rows = [service.campaign_out(session, c) for c in service.list_campaigns(session, ws.id, archived=archived)]
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    table = Table(title=f"{len(rows)} {'archived ' if archived else ''}campaigns in {ws.name}")
    for column in ("id", "name", "kind", "goal", "dates", "creators", "budget"):
        table.add_column(column, justify="right" if column in {"id", "creators", "budget"} else "left")
    for r in rows:
        dates = f"{r.starts_on or '–'} → {r.ends_on or '–'}"
        table.add_row(str(r.id), r.name, r.kind.value, r.goal.value, dates, str(sum(r.stages.values())),
                      _money(r.budget, r.currency))  # fmt: skip
    console.print(table)


@app.command("show")
def show(campaign: CampaignRef, workspace: WorkspaceOption = DEMO_WORKSPACE, as_json: AsJson = False) -> None:
    """One campaign: plan, roster by stage, who is waiting on you."""
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        found = service.find_campaign(session, ws.id, campaign)
        out = service.campaign_out(session, found)
        care = health.campaign_health(session, ws.id, found.id)
    if as_json:
        typer.echo(json.dumps(out.model_dump(mode="json") | {"health": care.model_dump(mode="json")}, indent=2))
        return
    console.print(f"[bold]{out.name}[/] (id {out.id}){' [dim]archived[/]' if out.archived else ''}", highlight=False)
    console.print(f"{out.kind.value} · goal {out.goal.value} · {out.starts_on or '–'} → {out.ends_on or '–'} · "
                  f"budget {_money(out.budget, out.currency)} · {out.compensation.label}", highlight=False)  # fmt: skip
    for k in out.kpis:
        console.print(f"  KPI {k.metric.label}: {k.target}", highlight=False)
    console.print("Roster: " + (", ".join(f"{Stage(s).label} {n}" for s, n in out.stages.items()) or "empty"))
    for o in care.overdue:
        console.print(f"  [yellow]waiting on you[/] {o.display_name}: {o.stage.label} for {o.days} days ({o.action})")


@app.command("archive")
def archive(
    campaign: CampaignRef,
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    restore: Annotated[bool, typer.Option("--restore", help="Bring an archived campaign back.")] = False,
) -> None:
    """Archive a campaign (nothing is deleted) or restore it."""
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        found = service.set_archived(session, ws.id, service.find_campaign(session, ws.id, campaign).id, not restore)
        console.print(f"[green]{'Restored' if restore else 'Archived'}[/] {found.name}")


@app.command("add")
def add(
    campaign: CampaignRef,
    handles: Annotated[list[str], typer.Argument(help="Creators' handles (with or without @).")],
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Add creators to a campaign's roster as prospects."""
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        found = service.find_campaign(session, ws.id, campaign)
        ids = service.creator_ids_for_handles(session, ws.id, " ".join(handles))
        result = service.add_creators(session, ws.id, found.id, ids, _actor())
        console.print(f"[green]Added[/] {result.added} to {found.name} ({result.already} already on it)")


@app.command("move")
def move(
    campaign: CampaignRef,
    handles: Annotated[list[str], typer.Argument(help="Creators' handles on the roster.")],
    stage: Annotated[Stage, typer.Option(help="The stage to move them to.")],
    note: Annotated[str | None, typer.Option(help="Kept in the audit trail.")] = None,
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Move roster creators to a pipeline stage (each move is kept in the audit trail)."""
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        found = service.find_campaign(session, ws.id, campaign)
        creator_ids = set(service.creator_ids_for_handles(session, ws.id, " ".join(handles)))
        rows = pipeline.collaborations(session, ws.id, found.id, BoardFilters())
        ids = [r.id for r in rows if r.creator_id in creator_ids]
        if len(ids) < len(creator_ids):
            raise InvalidInput("Some of these creators are not on the roster; add them first.")
        result = pipeline.move(session, ws.id, found.id, ids, stage, _actor(), note=note)
        console.print(f"[green]Moved[/] {result.moved} to {stage.label} ({result.unchanged} were there already)")
