"""Plan: campaigns created, edited, archived and restored from the web form, the API and the CLI."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from grassroots.cli import app
from tests.campaigns.factory import field_errors, make_campaign
from tests.support import api_headers, csrf_from

VALID = {
    "name": "Spring serum",
    "kind": "paid",
    "goal": "sales",
    "budget": "1,500",
    "currency": "usd",
    "starts_on": "2026-04-01",
    "ends_on": "2026-04-30",
    "products": "Serum 30 ml\nToner",
    "brief": "Show us your routine.",
    "compensation": "hybrid",
    "fee": "150",
    "commission_pct": "12.5",
    "kpi_metric": ["sales", "posts", ""],
    "kpi_target": ["80", "20", ""],
    "handles": "@DewDrop.Skin",
    "hashtags": "#GlowWithDew",
    "promo_codes": "dew10",
}


def _post(client: TestClient, url: str, data: dict[str, object]) -> object:
    token = csrf_from(client.get("/campaigns/new").text)
    return client.post(url, data={"csrf_token": token, **data})


def test_a_campaign_is_planned_in_the_form_and_shown_with_its_terms(owner_client: TestClient) -> None:
    form = owner_client.get("/campaigns/new")
    assert form.status_code == 200 and 'name="kpi_metric"' in form.text and "Seeding (gifts, no strings)" in form.text
    created = _post(owner_client, "/campaigns/new", VALID)
    assert created.status_code == 303  # type: ignore[attr-defined]
    page = owner_client.get(created.headers["location"])  # type: ignore[attr-defined]
    text = page.text
    assert "Spring serum" in text and "Paid collaboration" in text and "$1,500.00" in text
    assert "Created “Spring serum”" in text and "Sales</strong>: 80" in text and "Serum 30 ml, Toner" in text
    assert "Fee + commission" in text and "12.50 % commission" in text and "@dewdrop.skin" in text
    data = owner_client.get("/api/v1/campaigns").json()[0]
    assert data["currency"] == "USD" and data["budget"] == "1500.00" and data["promo_codes"] == ["DEW10"]
    assert data["kpis"] == [{"metric": "sales", "target": "80"}, {"metric": "posts", "target": "20"}]
    assert data["hashtags"] == ["glowwithdew"] and data["handles"] == ["dewdrop.skin"]


def test_a_bad_form_names_each_field_and_saves_nothing(owner_client: TestClient) -> None:
    bad = {**VALID, "name": "", "budget": "lots", "currency": "EURO", "commission_pct": "120", "ask_cap": "x"}
    response = _post(owner_client, "/campaigns/new", bad)
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert "nothing was saved" in html and 'value="lots"' in html  # the form keeps what was typed
    assert set(field_errors(html)) == {
        "is required", "must be a number like 250 or 49.90", "EURO is not an ISO 4217 currency code (EUR, USD, GBP…)",
        "Input should be less than or equal to 100", "must be a whole number",
    }  # fmt: skip
    assert "Traceback" not in html and "ValidationError" not in html and "Decimal(" not in html
    assert owner_client.get("/api/v1/campaigns").json() == []


def test_rules_across_fields_are_explained(owner_client: TestClient) -> None:
    cases = [
        ({"ends_on": "2026-03-01"}, "the end date is before the start date"),
        ({"kind": "seeding"}, "seeding gifts with no strings attached: choose Gift only"),
        ({"compensation": "flat_fee", "fee": ""}, "Flat fee needs the fee"),
        ({"kpi_metric": ["sales", "sales"], "kpi_target": ["1", "2"]}, "name each KPI metric once"),
        ({"hashtags": "#no spaces-allowed"}, "#spaces-allowed is not a hashtag"),
    ]
    for change, message in cases:
        response = _post(owner_client, "/campaigns/new", {**VALID, **change})
        assert response.status_code == 400, change  # type: ignore[attr-defined]
        assert any(message in e for e in field_errors(response.text)), (change, field_errors(response.text))  # type: ignore[attr-defined]
    assert owner_client.get("/api/v1/campaigns").json() == []


def test_edit_archive_and_restore_from_the_web(owner_client: TestClient, engine: Engine) -> None:
    campaign_id = make_campaign(engine)
    edit = owner_client.get(f"/campaigns/{campaign_id}/edit")
    assert edit.status_code == 200 and 'value="Serum seeding"' in edit.text
    token = csrf_from(edit.text)
    bad = owner_client.post(f"/campaigns/{campaign_id}/edit", data={"csrf_token": token, "name": "Renamed",
                                                                   "ends_on": "2026-10-01", "starts_on": "2026-11-01"})  # fmt: skip
    assert bad.status_code == 400 and "the end date is before the start date" in field_errors(bad.text)
    assert owner_client.get(f"/api/v1/campaigns/{campaign_id}").json()["name"] == "Serum seeding"
    good = owner_client.post(f"/campaigns/{campaign_id}/edit",
                             data={"csrf_token": token, "name": "Renamed", "goal": "community", "kind": "seeding"})  # fmt: skip
    assert good.status_code == 303
    assert owner_client.get(f"/api/v1/campaigns/{campaign_id}").json()["goal"] == "community"
    owner_client.post(f"/campaigns/{campaign_id}/archive", data={"csrf_token": token})
    assert "No campaigns yet" in owner_client.get("/campaigns").text
    assert f'href="/campaigns/{campaign_id}">Renamed' in owner_client.get("/campaigns?archived=1").text
    owner_client.post(f"/campaigns/{campaign_id}/archive", data={"csrf_token": token, "restore": "1"})
    assert f'href="/campaigns/{campaign_id}">Renamed' in owner_client.get("/campaigns").text


def test_the_api_creates_patches_and_archives(owner_client: TestClient) -> None:
    headers = api_headers(owner_client)
    made = owner_client.post("/api/v1/campaigns", headers=headers,
                             json={"name": "Affiliates", "kind": "affiliate", "compensation": "commission",
                                   "commission_pct": "10", "budget": "900.50", "currency": "GBP",
                                   "kpis": [{"metric": "revenue", "target": "5000"}]})  # fmt: skip
    assert made.status_code == 201, made.text
    campaign = made.json()
    assert campaign["budget"] == "900.50" and campaign["stages"] == {} and campaign["commission_hold_days"] == 30
    url = f"/api/v1/campaigns/{campaign['id']}"
    patched = owner_client.patch(url, headers=headers, json={"budget": "1000", "ask_cap": 3})
    assert patched.status_code == 200 and patched.json()["budget"] == "1000.00" and patched.json()["ask_cap"] == 3
    for body, field in (({"currency": "XYZ"}, "currency"), ({"starts_on": "2026-05-02", "ends_on": "2026-05-01"},
                        "ends_on"), ({"kind": "seeding"}, "compensation"), ({"budget": "-5"}, "budget")):  # fmt: skip
        rejected = owner_client.patch(url, headers=headers, json=body)
        assert rejected.status_code == 422 and rejected.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in rejected.json()["errors"]] == [field], rejected.json()
    unknown = owner_client.patch(url, headers=headers, json={"colour": "red"})
    assert unknown.status_code == 422
    assert owner_client.get(url).json()["budget"] == "1000.00"
    bad_create = owner_client.post("/api/v1/campaigns", headers=headers, json={"name": "x", "budget": 12.345})
    assert bad_create.status_code == 422 and bad_create.json()["errors"][0]["field"] == "budget"
    assert owner_client.post(f"{url}/archive", headers=headers).json()["archived"] is True
    assert owner_client.get("/api/v1/campaigns").json() == []
    assert [c["id"] for c in owner_client.get("/api/v1/campaigns?archived=true").json()] == [campaign["id"]]
    assert owner_client.post(f"{url}/restore", headers=headers).json()["archived"] is False


def test_the_cli_plans_lists_shows_archives_adds_and_moves(cli_home: Path) -> None:
    from grassroots.creators import service as creators
    from grassroots.creators.models import Platform
    from grassroots.creators.schemas import AccountIn, CreatorIn
    from grassroots.db.session import session_scope
    from grassroots.workspaces.service import get_or_create_workspace

    runner = CliRunner()
    with session_scope() as s:
        ws = get_or_create_workspace(s, "Brand")
        for handle in ("ana.glow", "vegan_mo"):
            account = AccountIn(platform=Platform.instagram, handle=handle, followers=1500)
            creators.create_creator(s, ws.id, CreatorIn(display_name=handle, accounts=[account]))
    base = ["--workspace", "Brand"]
    bad = runner.invoke(app, ["campaigns", "create", "Oops", *base, "--currency", "EURO", "--ends-on", "2026-13-01"])
    assert bad.exit_code == 1 and "not an ISO 4217 currency code" in bad.output and "Traceback" not in bad.output
    assert "ends_on: must be a date like 2026-05-01" in bad.output
    no_target = runner.invoke(app, ["campaigns", "create", "Oops", *base, "--kpi", "sales"])
    assert no_target.exit_code == 1 and "write it as METRIC=TARGET" in no_target.output
    made = runner.invoke(app, ["campaigns", "create", "Launch", *base, "--kind", "paid", "--compensation",
                               "flat_fee", "--fee", "120", "--budget", "2,000", "--kpi", "sales=40"])  # fmt: skip
    assert made.exit_code == 0, made.output
    added = runner.invoke(app, ["campaigns", "add", "Launch", "@ana.glow", "vegan_mo", *base])
    assert added.exit_code == 0 and "Added 2" in added.output, added.output
    moved = runner.invoke(app, ["campaigns", "move", "Launch", "ana.glow", "--stage", "contacted", *base])
    assert moved.exit_code == 0 and "Moved 1 to Contacted" in moved.output, moved.output
    listed = runner.invoke(app, ["campaigns", "list", *base])
    assert "Launch" in listed.output and "2,000.00 EUR" in listed.output
    shown = runner.invoke(app, ["campaigns", "show", "Launch", *base, "--json"])
    assert shown.exit_code == 0 and '"contacted": 1' in shown.output and '"prospect": 1' in shown.output
    missing = runner.invoke(app, ["campaigns", "show", "Nope", *base])
    assert missing.exit_code == 1 and "no campaign named 'Nope'" in missing.output
    assert runner.invoke(app, ["campaigns", "archive", "Launch", *base]).exit_code == 0
    assert "Launch" not in runner.invoke(app, ["campaigns", "list", *base]).output
