"""The demo workspace loads once on either database, and normal writes work after it."""

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from grassroots.creators import service
from grassroots.creators.models import Creator
from grassroots.creators.schemas import AccountIn, CreatorIn
from grassroots.db.session import session_scope
from grassroots.demo.additions import MIN_BAKERS
from grassroots.demo.bought import MIN_BOUGHT
from grassroots.demo.models import DemoTruth
from grassroots.demo.service import DEMO_WORKSPACE, ensure_demo
from grassroots.demo.strong import MIN_STRONG
from grassroots.demo.texts import DEMO_BRAND
from grassroots.workspaces.models import Workspace


def test_demo_loads_once_and_ids_keep_working(engine: Engine, tmp_path: Path) -> None:
    stages: dict[str, tuple[int, int | None]] = {}
    with session_scope(engine) as s:
        first = ensure_demo(
            s,
            tmp_path,
            creators=40,
            seed=11,
            today=date(2026, 11, 1),
            progress=lambda stage, done, total: stages.__setitem__(stage, (done, total)),
        )
    creators = 40 + MIN_BAKERS + MIN_STRONG + MIN_BOUGHT  # bakers, strong creators and buyers come on top
    assert first.created and first.counts["creator"] == creators
    assert stages["creators"] == (creators, creators)
    assert stages["store"][0] == first.counts["sales_order"] > 0
    with session_scope(engine) as s:
        again = ensure_demo(s, tmp_path, creators=40, seed=11)
        ws = s.scalar(select(Workspace).where(Workspace.name == DEMO_WORKSPACE))
        assert ws is not None and ws.is_synthetic
        assert ws.brand_handles == [DEMO_BRAND]
        assert s.scalar(select(func.count()).select_from(Creator)) == creators
        labels = set(s.scalars(select(DemoTruth.label).distinct()))
        assert {"customer_creator", "brand_fan", "fake", "undisclosed", "strong"} <= labels
        # After explicit ids, sequences (PostgreSQL) must hand out fresh ids.
        extra = service.create_creator(
            s,
            ws.id,
            CreatorIn(
                display_name="Real person",
                accounts=[AccountIn(platform="instagram", handle="brand.new.handle", followers=800)],
            ),
        )
        assert extra.id > creators
    assert not again.created and again.password == first.password
