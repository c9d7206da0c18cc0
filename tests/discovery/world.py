"""A small world for discovery tests: bakers (one never writes "sourdough"), a skincare creator, a gamer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from grassroots.creators import service as creators
from grassroots.creators.models import Platform
from grassroots.creators.schemas import AccountIn, CreatorIn, PostIn
from grassroots.db.session import session_scope
from grassroots.discovery.catalog import forget_catalog
from tests.support import workspace_id

NOW = datetime.now(UTC)
PEOPLE = {
    # name: (handle, followers, location, bio, captions)
    "Hana": ("hana.bakes", 1500, "Leeds, UK", "Sourdough nerd, my starter is called Clint",
             ["Sourdough boule with an open crumb #sourdough #realbread", "Fed the starter, shaped two loaves",
              "Bake day: a focaccia for the neighbours"]),
    "Ivy": ("ivy.crumb", 4200, "Bristol, United Kingdom", "Home baker, weekend loaves",
            ["Crackly crust and an open crumb on this weekend's country loaf #breadbaking",
             "Slow Sunday: cinnamon buns proving by the radiator", "Three-layer lemon cake for a birthday"]),
    "Omar": ("omar.cakes", 8000, "Austin, US", "Cakes, buns and the odd disaster",
             ["Laminated pastry: croissants with butter everywhere #baking", "Baked a rye sandwich loaf"]),
    "Sofia": ("sofia.glow", 3000, "London, GB", "Sensitive skin, honest reviews",
              ["Morning routine: vitamin C serum then SPF #skincare", "My barrier repair routine this winter"]),
    "Kai": ("kai.plays", 60000, "Berlin, Germany", "Streaming RPGs every night",
            ["New keyboard for the PC setup #gaming", "Boss fight took 40 tries, chat was wild"]),
}  # fmt: skip


def seed(engine: Engine, workspace: str = "Brand") -> dict[str, int]:
    """Create the creators of PEOPLE with their posts in a workspace; returns name -> creator id."""
    ws = workspace_id(engine, workspace)
    ids: dict[str, int] = {}
    with session_scope(engine) as s:
        for name, (handle, followers, location, bio, captions) in PEOPLE.items():
            account = AccountIn(platform=Platform.instagram, handle=handle, followers=followers, bio=bio)
            creator = creators.create_creator(
                s, ws, CreatorIn(display_name=name, location=location, accounts=[account])
            )
            for i, caption in enumerate(captions):
                when = NOW - timedelta(days=3 + i)
                creators.add_post(
                    s, ws, creator.accounts[0].id, PostIn(caption=caption, likes=80, comments=6, posted_at=when)
                )
            ids[name] = creator.id
    forget_catalog()
    return ids
