"""Create the demo workspace, its owner login and its synthetic world, once."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.creators.models import Creator
from grassroots.db.session import analyze
from grassroots.demo.texts import DEMO_BRAND
from grassroots.workspaces import service as workspaces
from grassroots.workspaces.models import Role, User

DEMO_WORKSPACE = "Demo (synthetic)"
DEMO_EMAIL = "demo@grassroots.local"
STAGE_TABLES = {
    "creators": "creator",
    "accounts": "social_account",
    "posts": "post",
    "comments": "comment",
    "snapshots": "follower_snapshot",
    "truth": "demo_truth",
    "store": "sales_order",
}


@dataclass
class DemoLogin:
    """What the demo prints: where to sign in and with what."""

    email: str
    password: str
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def _password(data_dir: Path) -> str:
    path = data_dir / "demo-login.txt"
    if path.exists():
        return path.read_text().split()[-1]
    password = secrets.token_urlsafe(9)
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{DEMO_EMAIL} {password}\n")
    path.chmod(0o600)
    return password


def ensure_demo(
    session: Session,
    data_dir: Path,
    *,
    creators: int = 2000,
    seed: int = 7,
    today: date | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> DemoLogin:
    """Make sure the demo workspace, owner and world exist; load the world only if it is empty."""
    from grassroots.demo.generator import generate_world
    from grassroots.demo.loader import load_world

    workspace = workspaces.get_or_create_workspace(session, DEMO_WORKSPACE, synthetic=True)
    workspace.is_synthetic = True
    workspace.niche = workspace.niche or "clean skincare"
    workspace.brand_handles = workspace.brand_handles or [DEMO_BRAND]  # its mentions find natural advocates
    password = _password(data_dir)
    user = session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        workspaces.create_user(session, workspace, DEMO_EMAIL, password, Role.owner)
    elif not workspaces.verify_password(user.password_hash, password):
        user.password_hash = workspaces.hash_password(password)
    existing = session.scalar(select(func.count()).select_from(Creator).where(Creator.workspace_id == workspace.id))
    if existing:
        return DemoLogin(DEMO_EMAIL, password, created=False, counts={"creator": existing or 0})
    world = generate_world(seed=seed, creators=creators, today=today)
    totals = world.counts()

    def report(stage: str, done: int) -> None:
        if progress is not None:
            progress(stage, done, totals.get(STAGE_TABLES.get(stage, stage)))

    counts = load_world(session, workspace.id, world, progress=report)
    analyze(session)
    return DemoLogin(DEMO_EMAIL, password, created=True, counts=counts)


def vet_demo_if_needed(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Vet the demo workspace once, so a newcomer sees credibility and reasons; returns accounts vetted."""
    from grassroots.vetting.models import VettingReport
    from grassroots.vetting.service import vet_accounts

    workspace = workspaces.get_or_create_workspace(session, DEMO_WORKSPACE, synthetic=True)
    done = session.scalar(
        select(func.count()).select_from(VettingReport).where(VettingReport.workspace_id == workspace.id)
    )
    if done:
        return 0
    return vet_accounts(session, workspace.id, progress=progress).accounts


def analyze_demo_if_needed(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Create the demo campaigns and label every demo comment not labelled yet; returns comments labelled."""
    from grassroots.comments.service import Scope, analyze_comments
    from grassroots.demo.campaigns import create_demo_campaigns
    from grassroots.demo.tracking import add_demo_tracking

    workspace = workspaces.get_or_create_workspace(session, DEMO_WORKSPACE, synthetic=True)
    if not workspace.values:  # the demo brand's profile, so brand fit has something to compare with
        workspace.values = "cruelty-free, fragrance-free, honest reviews of what works on sensitive skin"
        workspace.tone = "calm, knowledgeable, no filters"
        workspace.banned_categories = ["alcohol", "gambling", "diet pills and detox", "tobacco and vaping"]
    create_demo_campaigns(session, workspace.id)
    add_demo_tracking(session, workspace.id)  # codes, links, clicks and orders for the rosters (synthetic)
    session.commit()
    return analyze_comments(session, Scope(workspace.id), progress=progress).comments
