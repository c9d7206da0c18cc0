"""The demo's tracking (synthetic): every roster creator has a code and a link; clicks and orders point at them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from grassroots.campaigns.models import Collaboration
from grassroots.db.session import session_scope
from grassroots.demo.campaigns import create_demo_campaigns
from grassroots.demo.service import ensure_demo
from grassroots.demo.tracking import add_demo_tracking
from grassroots.judgments.tracking.attribution import METHODS, AttributionRules
from grassroots.tracking import attribution
from grassroots.tracking.link_models import Click, ShortLink
from grassroots.tracking.models import Order, PromoCode, Referral


def test_each_roster_creator_gets_a_code_and_a_link_and_orders_follow_them(sqlite_engine: Engine,
                                                                             tmp_path: Path) -> None:  # fmt: skip
    with session_scope(sqlite_engine) as s:
        ensure_demo(s, tmp_path, creators=150, seed=3, today=date(2026, 11, 20))
    with session_scope(sqlite_engine) as s:
        ws = s.scalars(select(Collaboration.workspace_id)).first() or s.scalar(select(func.min(Order.workspace_id)))
        assert ws is not None
        create_demo_campaigns(s, ws)
        made = add_demo_tracking(s, ws)
        assert add_demo_tracking(s, ws) == {}  # once
    with session_scope(sqlite_engine) as s:
        roster = set(s.scalars(select(Collaboration.id).where(Collaboration.workspace_id == ws)))
        coded = set(s.scalars(select(PromoCode.collaboration_id).where(PromoCode.workspace_id == ws))) - {None}
        linked = set(s.scalars(select(ShortLink.collaboration_id).where(ShortLink.workspace_id == ws)))
        assert roster and roster == coded == linked
        clicks = s.scalar(select(func.count()).select_from(Click).where(Click.workspace_id == ws))
        bots = s.scalar(select(func.count()).select_from(Click).where(Click.workspace_id == ws, Click.is_bot))
        assert clicks == made["clicks"] > 0 and 0 < (bots or 0) < clicks
        tracked = list(
            s.scalars(select(Order).where(Order.workspace_id == ws, Order.external_id.like("synthetic-tracked-%")))
        )
        assert len(tracked) == made["orders"] > 0
        with_click = [o for o in tracked if o.landing_site and "gr_click=" in o.landing_site]
        with_code = [o for o in tracked if o.discount_codes]
        assert with_click and with_code
        stored = set(s.scalars(select(Click.click_id).where(Click.workspace_id == ws)))
        assert all(o.landing_site.split("gr_click=")[1].split("&")[0] in stored for o in with_click if o.landing_site)
        assert all(o.promo_code_id is not None for o in with_code)  # linked to the creator's code
    with session_scope(sqlite_engine) as s:
        rules = AttributionRules()
        found = attribution.report(s, ws, METHODS[0], rules)
        roster_creators = set(s.scalars(select(Collaboration.creator_id).where(Collaboration.workspace_id == ws)))
        for method in METHODS:
            credited = {r.id: r.by_method[method] for r in found.creators if r.by_method[method].orders > 0}
            assert credited and set(credited) <= roster_creators, method
            assert sum(f.orders for f in credited.values()) <= made["orders"] + 1e-9  # never more than there are
            top = max(credited, key=lambda cid: credited[cid].revenue)
            drill = attribution.drilldown(s, ws, "creator", top, method, rules)
            assert drill.credited and drill.figures is not None  # every number leads to its orders
        # Code-first credits the typed-in code orders that click methods cannot see.
        code_first = sum(r.by_method["code_then_click"].orders for r in found.creators)
        last_click = sum(r.by_method["last_click"].orders for r in found.creators)
        assert code_first > last_click
    with session_scope(sqlite_engine) as s:
        # The invite-only referral programme: three invited customers, two friends, one self-referral flagged.
        found = list(s.scalars(select(Referral).where(Referral.workspace_id == ws).order_by(Referral.id)))
        assert len(found) == 3
        checks = [{f["check"] for f in r.flags} for r in found]
        assert checks.count(set()) == 2 and "self_referral" in checks[2]
