"""Discovery search over HTTP at scale: the whole `GET /api/v1/discovery/search` call from a loopback client.

Loads N synthetic creators with search profiles into a fresh SQLite database (content vectors are the
realistic mixtures of real MiniLM text embeddings that benchmarks/discovery_index.py makes and caches;
stems, niches, hashtags, places and counts are drawn at random: SYNTHETIC, for timing only), then:

- builds the catalog in this process (the cold cost a server pays on its first search) and times an
  in-place update after one creator changes (what adding a creator costs a running catalog);
- starts `grassroots serve` in its own process and sends mixed searches one after another: words, meaning,
  words + filters, filters only at several selectivities, lookalikes; prints p50/p95/p99 per kind and overall.

Run: .venv/bin/python benchmarks/discovery.py --creators 1000000 --queries 400
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import insert, update

sys.path.insert(0, str(Path(__file__).resolve().parent))
import discovery_index
from webhooks import server

console = Console()
CHUNK = 20_000
COUNTRIES = ["US", "GB", "DE", "FR", "CA", "AU", "NL", "ES", "IT", "SE", "IE", "NZ", "PT", "DK", "BR", "MX", "IN", "JP",
             "PL", "BE"]  # fmt: skip
QUERIES = ["sourdough", "cozy baking at home", "vegan dinner ideas", "strength training for beginners", "skincare for "
           "sensitive skin", "dog training", "budget travel in europe", "houseplants", "marathon training", "book "
           "reviews", "thrifted outfits", "pc gaming setup", "zero waste kitchen", "latte art", "yoga for back pain",
           "toddler activities", "hiking trails", "knitting patterns", "personal finance tips", "makeup tutorial"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load(n: int, data_dir: Path) -> tuple[str, int]:
    """Create the database with n synthetic creators and profiles; returns (API token, workspace id)."""
    os.environ["GRASSROOTS_DATA_DIR"] = str(data_dir)
    from grassroots.config import get_settings
    from grassroots.creators.models import Creator, Platform
    from grassroots.db import migrate
    from grassroots.db.session import get_engine, session_scope
    from grassroots.discovery.models import SearchProfile
    from grassroots.discovery.profiles import to_blob
    from grassroots.judgments.discovery.niches import TAXONOMY
    from grassroots.judgments.discovery.text import stems
    from grassroots.workspaces import service as workspaces
    from grassroots.workspaces.models import Role

    get_settings.cache_clear()
    engine = get_engine()
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        ws = workspaces.get_or_create_workspace(s, "Benchmark (synthetic)", synthetic=True)
        ws.niche, ws.values = "sourdough baking kits", "real bread, slow food, honest reviews"
        user = workspaces.create_user(s, ws, "bench@grassroots.local", "benchmark password 1", Role.owner)
        _, token = workspaces.create_token(s, user, "bench")
        workspace_id = ws.id
    vectors = discovery_index.synthesise(discovery_index.text_embeddings(), n)
    words = [stems([n.description]) for n in TAXONOMY]
    rng = random.Random(5)
    now = datetime.now(UTC) - timedelta(days=1)  # loaded yesterday: a change today is newer
    with Progress(console=console) as bar, engine.begin() as conn:
        task = bar.add_task(f"loading {n:,} synthetic creators", total=n)
        for start in range(0, n, CHUNK):
            creators, profiles = [], []
            for i in range(start, min(n, start + CHUNK)):
                niche = rng.randrange(len(TAXONOMY))
                followers = int(min(2_000_000, rng.lognormvariate(8.5, 1.6)))
                creators.append({"id": i + 1, "workspace_id": workspace_id, "display_name": f"Creator {i + 1}",
                                 "primary_handle": f"creator{i + 1}", "primary_platform": Platform.instagram,
                                 "platforms": "instagram", "followers": followers,
                                 "engagement_rate": rng.uniform(0.005, 0.12), "credibility": rng.randint(30, 100),
                                 "language": "en", "location_key": "", "search_text": "", "created_at": now,
                                 "updated_at": now})  # fmt: skip
                own = rng.sample(words[niche], min(8, len(words[niche]))) + rng.sample(
                    words[rng.randrange(len(TAXONOMY))], 3
                )
                profiles.append({"creator_id": i + 1, "workspace_id": workspace_id, "country": rng.choice(COUNTRIES),
                                 "city": "", "niches": [TAXONOMY[niche].key], "niche_scores": [0.5],
                                 "hashtags": list(TAXONOMY[niche].hashtags[:3]), "stems": " ".join(dict.fromkeys(own)),
                                 "last_post_at": now - timedelta(days=rng.randint(0, 120)),
                                 "sponsored_share": rng.uniform(0, 0.5), "posts": 30, "growth_30d": rng.uniform(-0.02, 0.1),
                                 "vector": to_blob(np.asarray(vectors[i])), "text_key": None, "updated_at": now})  # fmt: skip
            conn.execute(insert(Creator), creators)
            conn.execute(insert(SearchProfile), profiles)
            bar.update(task, completed=min(n, start + CHUNK))
    return token, workspace_id


def in_process(workspace_id: int) -> dict[str, float]:
    """Cold catalog build, then an in-place update after one creator changed."""
    from grassroots.creators.models import Creator
    from grassroots.db.session import get_engine, session_scope
    from grassroots.discovery import catalog

    engine = get_engine()
    with session_scope(engine) as s:
        started = time.perf_counter()
        built = catalog.catalog_for(s, workspace_id)
        build = time.perf_counter() - started
        s.execute(update(Creator).where(Creator.id == 7).values(followers=1234, updated_at=datetime.now(UTC)))
    with session_scope(engine) as s:
        built.checked_at = -catalog.STAMP_TTL
        started = time.perf_counter()
        served = catalog.catalog_for(s, workspace_id)  # large: answers from the current catalog at once ...
        answered = time.perf_counter() - started
        while catalog._UPDATING:  # ... and swaps in the updated one when the background update is done
            time.sleep(0.01)
        change = time.perf_counter() - started
        built.checked_at = time.monotonic()
        after = catalog.catalog_for(s, workspace_id)
    assert served is built
    assert after.vectors is built.vectors and int(after.frame.filter(after.frame["id"] == 7)["followers"][0]) == 1234
    return {"catalog build (s)": build, "search while a change is applied, catalog wait (ms)": answered * 1000,
            "one creator changed, update in the background (ms)": change * 1000}  # fmt: skip


def requests(n: int, count: int) -> list[tuple[str, dict[str, object]]]:
    """Mixed searches: words, words + filters, filters only (several selectivities), lookalikes."""
    rng = random.Random(9)
    out: list[tuple[str, dict[str, object]]] = []
    for _ in range(count):
        kind = rng.choice(["words", "words+filters", "filters", "filters", "lookalike"])
        if kind == "words":
            params: dict[str, object] = {"q": rng.choice(QUERIES)}
        elif kind == "words+filters":
            params = {"q": rng.choice(QUERIES), "tier": ["micro-micro", "nano"], "country": rng.choice(COUNTRIES)}
        elif kind == "filters":
            params = rng.choice([{"tier": "nano"}, {"country": "GB", "tier": ["micro-micro", "nano"]},
                                 {"niche": "food", "credibility_min": 70}, {"er_min": 5, "sort": "engagement"},
                                 {"country": "BR", "niche": "food/baking", "tier": "micro"}])  # fmt: skip
        else:
            params = {"like": [rng.randint(1, n) for _ in range(rng.randint(1, 3))], "tier": "nano"}
        out.append((kind, params))
    return out


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    p50, p95, p99 = np.percentile(np.array(samples) * 1000, [50, 95, 99])
    return float(p50), float(p95), float(p99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--keep", type=Path, help="Use this data dir and keep it (the server log is serve.log there).")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="grassroots-discovery-") as tmp:
        data_dir = args.keep or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        token, workspace_id = load(args.creators, data_dir)
        console.print(f"loaded {args.creators:,} creators in {time.perf_counter() - started:.0f} s")
        figures = in_process(workspace_id)
        for name, value in figures.items():
            console.print(f"{name}: {value:,.2f}")
        env = {**os.environ, "GRASSROOTS_DATA_DIR": str(data_dir)}
        with server(env, free_port()) as base, httpx.Client(base_url=base, timeout=600,
                                                            headers={"Authorization": f"Bearer {token}"}) as client:  # fmt: skip
            started = time.perf_counter()
            first = client.get("/api/v1/discovery/search", params={"q": "sourdough"})
            first.raise_for_status()
            figures["first search, cold server (s)"] = time.perf_counter() - started
            for q in QUERIES:  # each query's embedding once, as a running server would have met them
                client.get("/api/v1/discovery/search", params={"q": q}).raise_for_status()
            times: dict[str, list[float]] = {}
            for kind, params in requests(args.creators, args.queries):
                started = time.perf_counter()
                response = client.get("/api/v1/discovery/search", params=params)  # type: ignore[arg-type]
                elapsed = time.perf_counter() - started
                response.raise_for_status()
                times.setdefault(kind, []).append(elapsed)
                times.setdefault("all", []).append(elapsed)
    table = Table(title=f"GET /api/v1/discovery/search, {args.creators:,} creators, loopback, one client (ms)")
    for column in ("kind", "n", "p50", "p95", "p99"):
        table.add_column(column, justify="right")
    for kind, samples in times.items():
        table.add_row(kind, str(len(samples)), *(f"{v:.1f}" for v in percentiles(samples)))
    console.print(table)
    for name, value in figures.items():
        console.print(f"{name}: {value:,.2f}")


if __name__ == "__main__":
    main()
