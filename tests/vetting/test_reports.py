"""Vetting over the store: every creator gets a score with reasons, stored per day, shown on pages and the API."""

import json
import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.creators.models import Creator, Post
from grassroots.db.session import session_scope
from grassroots.demo.models import DemoTruth
from grassroots.demo.service import ensure_demo
from grassroots.vetting import service
from grassroots.vetting.models import VettingReport
from tests.support import csrf_from, login

DAY = date(2026, 11, 20)


def _demo(engine: Engine, tmp_path: Path) -> tuple[int, str, str]:
    with session_scope(engine) as s:
        login_ = ensure_demo(s, tmp_path, creators=120, seed=5, today=DAY)
        ws = s.scalar(select(Creator.workspace_id).limit(1))
    assert ws is not None
    return ws, login_.email, login_.password


def test_every_account_gets_a_stored_report_and_rerun_replaces_it(engine: Engine, tmp_path: Path) -> None:
    ws, _, _ = _demo(engine, tmp_path)
    with session_scope(engine) as s:
        run = service.vet_accounts(s, ws, day=DAY)
    with session_scope(engine) as s:
        accounts = run.accounts
        assert s.scalar(select(func.count()).select_from(VettingReport)) == accounts
        assert s.scalar(select(func.count()).select_from(Creator).where(Creator.credibility < 0)) == 0
        service.vet_accounts(s, ws, day=DAY)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(VettingReport)) == accounts
        low = s.scalars(select(VettingReport).order_by(VettingReport.credibility).limit(1)).one()
        assert low.reasons and low.reasons[0]["text"] and low.reasons[0]["penalty"] > 0


def test_planted_fakes_score_lower_than_the_rest(engine: Engine, tmp_path: Path) -> None:
    # A behaviour check on synthetic data (fakes must look worse), not an accuracy claim.
    ws, _, _ = _demo(engine, tmp_path)
    with session_scope(engine) as s:
        service.vet_accounts(s, ws, day=DAY)
        fake_ids = set(s.scalars(select(DemoTruth.account_id).where(DemoTruth.label == "fake")))
        scores = {a: c for a, c in s.execute(select(VettingReport.account_id, VettingReport.credibility))}
    assert fake_ids
    fakes = [v for k, v in scores.items() if k in fake_ids]
    others = [v for k, v in scores.items() if k not in fake_ids]
    assert max(fakes) < sorted(others)[len(others) // 2]


def test_pages_and_api_show_the_reasons(client: TestClient, engine: Engine, tmp_path: Path) -> None:
    _ws, email, password = _demo(engine, tmp_path)
    with session_scope(engine) as s:
        fake = s.scalar(select(DemoTruth.account_id).where(DemoTruth.label == "fake"))
        creator_id = s.scalar(select(Creator.id).join(Creator.accounts).where(Creator.accounts.any(id=fake)))
    login(client, email, password)
    page = client.get(f"/creators/{creator_id}/vetting")
    assert "Not vetted yet" in page.text
    vetted = client.post(f"/creators/{creator_id}/vetting", data={"csrf_token": csrf_from(page.text)})
    assert vetted.status_code == 303
    report_page = client.get(f"/creators/{creator_id}/vetting").text
    assert "Why" in report_page and "follower jump" in report_page
    # The profile's follower chart marks the same jumps as the vetting page.
    profile = client.get(f"/creators/{creator_id}").text
    data = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', profile, re.S)
    assert data is not None
    jumps = [a for line in json.loads(data.group(1)) for a in line["anomalies"]]
    assert jumps and {"day", "kind", "change"} <= set(jumps[0])
    listing = client.get("/creators?sort=credibility").text
    assert "cred-low" in listing
    api = client.get(f"/api/v1/creators/{creator_id}/vetting").json()
    assert api and api[0]["credibility"] < 50 and api[0]["reasons"]


def test_revetting_one_pod_member_keeps_its_pod(engine: Engine, tmp_path: Path) -> None:
    ws, _, _ = _demo(engine, tmp_path)
    with session_scope(engine) as s:
        service.vet_accounts(s, ws, day=DAY)
        member = s.scalar(select(VettingReport).where(VettingReport.pod_id.is_not(None)).limit(1))
        assert member is not None
        account_id, pod_id = member.account_id, member.pod_id
    with session_scope(engine) as s:
        service.vet_accounts(s, ws, [account_id], day=date(2026, 11, 21))
        again = s.scalar(
            select(VettingReport).where(VettingReport.account_id == account_id, VettingReport.day == date(2026, 11, 21))
        )
        assert again is not None and again.pod_id == pod_id
        assert any(r["code"] == "engagement_pod" for r in again.reasons)


def test_report_shows_confidence_and_counted_evidence(client: TestClient, engine: Engine, tmp_path: Path) -> None:
    _ws, email, password = _demo(engine, tmp_path)
    with session_scope(engine) as s:
        fake = s.scalar(select(DemoTruth.account_id).where(DemoTruth.label == "fake"))
        creator_id = s.scalar(select(Creator.id).join(Creator.accounts).where(Creator.accounts.any(id=fake)))
        service.vet_accounts(s, _ws, day=DAY)
    with session_scope(engine) as s:
        report = s.scalars(select(VettingReport).where(VettingReport.account_id == fake)).one()
        assert 0 <= report.details["confidence"] <= 100 and report.details["enough_data"] is True
        assert any("×" in line for line in report.details["hollow_examples"])  # bots repeat themselves
    login(client, email, password)
    page = client.get(f"/creators/{creator_id}/vetting").text
    assert "Confidence" in page and "weakest post: 20" in page and "×" in page
    # Evidence names posts as links to them (on the platform, else their row on the profile), not as bare ids.
    with session_scope(engine) as s:
        ids = set(s.scalars(select(Post.id).where(Post.account_id == fake)))
    linked = {int(m) for m in re.findall(r'<a href="[^"]+" rel="noopener noreferrer">post (\d+)</a>', page)}
    assert linked and linked <= ids
    assert re.findall(r"\(post \d+\)", page) == []  # every "(post N)" is a link
