"""Vetting engine benchmark: a synthetic Parquet population, comment authenticity and account-level vetting.

Generates N accounts (12 posts and 30 daily follower snapshots each) and M comments as the folder the batch
engines read (accounts, posts, snapshots, comments, with the shipped models' columns added as the product
does), then times: comment authenticity (model annotation of the distinct texts + join, then the
per-account aggregation) and account-level vetting with the local engine (run_local: pods over the whole
population, judging part by part with Polars' threads, peer percentiles), in a fresh process so its peak
RSS can be reported; with --spark, the Spark engine on local[2] over the same folder.
The data is reused when the folder's manifest matches the sizes and seed. Not a test: it prints figures.
Run: .venv/bin/python benchmarks/vetting.py --help
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import string
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

from grassroots.demo import texts as demo
from grassroots.engine import local as engine
from grassroots.engine.local import TABLES, run_local
from grassroots.judgments.vetting.annotate import annotate
from grassroots.judgments.vetting.authenticity import comment_authenticity
from grassroots.vetting.repository import ACCOUNT_SCHEMA, COMMENT_SCHEMA, POST_SCHEMA, SNAPSHOT_SCHEMA

TARGET_COMMENTS_PER_S, TARGET_LOCAL_S, SPARK_FACTOR = 50_000, 60.0, 3.0
POSTS, DAYS, FAKE_SHARE, BOT_SHARE, GENUINE_TEXTS = 12, 30, 0.05, 0.05, 4_000
DATA_VERSION = 1  # bump when the generator changes, so old folders are regenerated
END_US = int(np.datetime64("2026-11-24T00:00:00", "us").astype(np.int64))
END_DAY, DAY_US, MINUTE_US = int(np.datetime64("2026-11-24", "D").astype(np.int64)), 86_400_000_000, 60_000_000
PLATFORMS, KINDS = ("instagram", "tiktok", "youtube"), ("image", "carousel", "video", "reel", "short")
SPAM = (
    "check out my channel", "Check out my channel for daily vlogs 🎥", "subscribe to my channel, new video every day",
    "Follow me for more!", "follow for follow? 🙏", "DM us to collab 📩", "Promote your page with us, DM for prices",
    "I made $500 today working from home, message me", "free followers at www.fastfans.com",
    "want more views? visit www.boostgram.net", "win a free iPhone, link in my bio", "like this comment if you see this",
    "please like and share my new music video", "call +1 555 203 4411 for cheap followers",
)  # fmt: skip
GENERIC = ("Nice pic", "Great post", "Amazing", "Beautiful", "Love this", "so cute", "wow", "Nice", "Cool pic", "Goals")
PHASES = {  # engine.local functions run_local calls, timed in place (pool workers are not timed)
    "read_inputs": "read Parquet", "find_pods": "pods (whole population)", "judge": "judging (all parts)",
    "gather": "gather + peer percentiles", "_partition": "partition files (pool only)",
}  # fmt: skip
REST = "the rest (collecting frames, pool workers)"
EMOJI = ("", " 🔥", " ❤️", "!!", " 👏", " 😍", " 💯", "!", " 🔥🔥🔥", " ✨")


@dataclass
class Step:
    name: str
    rows: int
    seconds: float
    target: str = "—"
    passed: bool | None = None


def _pick(rng: np.random.Generator, pool: tuple[str, ...] | list[str], n: int) -> pl.Series:
    return pl.Series(list(pool)).gather(rng.integers(0, len(pool), n))


def _col(expr: pl.Expr) -> pl.Series:
    return pl.select(expr).to_series()


def text_pool(rng: np.random.Generator) -> tuple[pl.Series, int, int]:
    """Distinct comment texts: genuine fan texts, then generic praise, then bot spam; (texts, n_genuine, n_generic)."""
    base = [t for x in demo.NICHES.values() for t in (*x.reactions, *x.questions, *x.intent, *x.objections)]
    base += [*demo.GENERIC_REACTIONS, *demo.GENERIC_QUESTIONS, *demo.PURCHASE_INTENT, *demo.OBJECTIONS]
    said = {o + t + c for t in base for o in demo.OPENERS for c in demo.CLOSERS}
    variants = sorted(said | {v.lower() for v in said})
    genuine = rng.choice(np.array(variants, dtype=object), min(GENUINE_TEXTS, len(variants)), replace=False).tolist()
    generic = sorted({g + e for g in (*GENERIC, *demo.BOT_COMMENTS, *demo.POD_COMMENTS) for e in EMOJI})
    brands = [b for x in demo.NICHES.values() for b in x.brands]
    spam = sorted({s + e for s in SPAM for e in EMOJI} | {f"{s} @{b}" for s in SPAM for b in brands})
    return pl.Series("text", genuine + generic + spam), len(genuine), len(generic)


def caption_pool(rng: np.random.Generator) -> tuple[pl.Series, int]:
    """Organic captions with hashtags, then sponsored ones (half with a disclosure tag); (captions, n_organic)."""
    organic, paid = [], []
    for x in demo.NICHES.values():
        for product in x.products:
            fill = {"product": product, "n": int(rng.integers(2, 12)), "place": str(rng.choice(demo.PLACES)),
                    "pet": str(rng.choice(demo.PET_NAMES)), "book": str(rng.choice(demo.BOOKS))}  # fmt: skip
            tags = " " + " ".join("#" + t for t in x.hashtags[: int(rng.integers(2, 5))])
            organic += [c.format(**fill) + tags for c in x.captions]
            paid += [lead + c.format(brand=b, **fill) + tags for c in demo.SPONSORED_CAPTIONS for b in x.brands
                     for lead in ("", "#ad ", f"Paid partnership with @{b}. ")]  # fmt: skip
    return pl.Series("caption", organic + paid), len(organic)


def handle_pool(rng: np.random.Generator, size: int) -> tuple[pl.Series, np.ndarray, int]:
    """Commenter handles: fans (names/words, at most 3 digits) then ~5 % bots (stem + 5-8 digits); avatars."""
    n_bot = max(1, int(size * BOT_SHARE))
    draw = int((size - n_bot) * 1.4)
    digits = pl.Series(rng.integers(0, 1000, draw)).cast(pl.String)
    words = _pick(rng, demo.LAST_NAMES + demo.FAN_WORDS, draw)
    suffix = pl.when(digits != "0").then(digits).otherwise(pl.lit(""))
    fans = _col(pl.concat_str(_pick(rng, demo.FIRST_NAMES, draw), _pick(rng, (".", "_", ""), draw), words, suffix))
    fans = fans.unique(maintain_order=True).head(size - n_bot)
    letters = np.array(list(string.ascii_lowercase))
    stems = list(demo.FIRST_NAMES) + ["".join(rng.choice(letters, int(rng.integers(4, 8)))) for _ in range(400)]
    bots = _col(pl.concat_str(_pick(rng, stems, n_bot), pl.Series(rng.integers(10**4, 10**8, n_bot)).cast(pl.String)))
    avatar = np.concatenate([rng.random(fans.len()) < 0.96, rng.random(n_bot) < 0.08])
    return pl.concat([fans, bots]), avatar, fans.len()


def _utc(us: np.ndarray) -> pl.Series:
    return pl.Series(us).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def generate(n: int, m: int, seed: int, folder: Path) -> dict[str, float]:
    """Write the four tables into folder; return row counts and the seconds the model annotation took."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n + 1, dtype=np.int64)
    fake = rng.random(n) < FAKE_SHARE
    followers = np.clip(rng.lognormal(np.log(4_000), 1.6, n), 30, 8e6).astype(np.int64)
    plat = rng.choice(3, n, p=[0.5, 0.35, 0.15])
    code = pl.Series(
        np.char.decode(((ids[:, None] // 26 ** np.arange(5)) % 26 + 97).astype(np.uint8).view("S5").ravel())
    )
    dot = pl.lit(".")
    ratio = np.where(fake, rng.uniform(1.5, 8, n), rng.lognormal(-1.2, 1.0, n))
    first, last = _pick(rng, demo.FIRST_NAMES, n), _pick(rng, demo.LAST_NAMES, n)
    bought = pl.concat_str(first, last, pl.Series(ids).cast(pl.String).str.zfill(7))  # fakes: digit-heavy handles
    handle = _col(pl.when(pl.Series(fake)).then(bought).otherwise(pl.concat_str(first, dot, last, dot, code)))
    accounts = pl.DataFrame({
        "account_id": ids, "creator_id": ids, "platform": pl.Series(PLATFORMS).gather(plat), "handle": handle,
        "display_name": _col(pl.concat_str(first, pl.lit(" "), last).str.to_titlecase()),
        "bio": _pick(rng, [b for x in demo.NICHES.values() for b in x.bios], n),
        "url": _col(pl.when(pl.Series(rng.random(n) < 0.7)).then(pl.lit("https://linktr.ee/") + handle)),
        "followers": followers, "following": (followers * ratio + rng.integers(20, 400, n)).astype(np.int64),
        "posts_count": np.where(fake, rng.integers(12, 40, n), rng.integers(12, 2_000, n)),
        "has_profile_picture": np.where(fake, rng.random(n) < 0.5, rng.random(n) < 0.99),
    }).cast(ACCOUNT_SCHEMA)  # fmt: skip
    # Posts: every ~5 days; engagement falls with size, fakes get ~12 % of it; video ER is over views.
    rows, fol = n * POSTS, np.repeat(followers, POSTS).astype(np.float64)
    posted = (END_US - np.cumsum(rng.exponential(5 * DAY_US, (n, POSTS)) + DAY_US / 24, axis=1)).astype(np.int64)
    posted = posted.ravel()
    p, u = np.repeat(plat, POSTS), rng.random(rows)
    kind = np.select([(p == 0) & (u < 0.45), (p == 0) & (u < 0.7), p == 0, p == 1, u < 0.6], [0, 1, 3, 2, 2], 4)
    base_er = 0.10 * (followers / 1_000) ** -0.22 * rng.lognormal(0, 0.35, n) * np.where(fake, 0.12, 1.0)
    views = fol * rng.lognormal(0.2, 0.7, rows)
    interactions = np.repeat(base_er, POSTS) * rng.lognormal(0, 0.4, rows) * np.where(kind >= 2, views, fol)
    n_comments = np.round(interactions * 0.04)
    sponsored = rng.random(rows) < np.repeat(np.where(rng.random(n) < 0.05, 0.45, 0.06), POSTS)
    captions, n_organic = caption_pool(rng)
    cap = np.where(sponsored, rng.integers(n_organic, captions.len(), rows), rng.integers(0, n_organic, rows))
    posts = pl.DataFrame({
        "account_id": np.repeat(ids, POSTS), "post_id": np.arange(1, rows + 1), "kind": pl.Series(KINDS).gather(kind),
        "caption": captions.gather(cap), "sponsored": sponsored & (rng.random(rows) < 0.7),
        "likes": np.round(interactions) - n_comments, "comments": n_comments,
        "views": _col(pl.when(pl.Series(kind >= 2)).then(pl.Series(views.round()))),
        "posted_at": _utc(posted),
    }).cast(POST_SCHEMA)  # fmt: skip
    # Snapshots: steady daily growth with noise; fakes get 1-3 bought steps and, some, a purge drop.
    inc = followers[:, None] * rng.lognormal(np.log(0.0015), 0.6, n)[:, None] * rng.normal(1.0, 0.5, (n, DAYS))
    inc[:, 0] = 0
    fi = np.flatnonzero(fake)
    steps = rng.integers(1, 4, fi.size)
    for j in range(3):
        hit = fi[steps > j]
        inc[hit, rng.integers(1, DAYS, hit.size)] += followers[hit] * rng.uniform(0.06, 0.25, hit.size)
    purge = fi[rng.random(fi.size) < 0.3]
    inc[purge, rng.integers(1, DAYS, purge.size)] -= followers[purge] * rng.uniform(0.03, 0.08, purge.size)
    cs = np.cumsum(inc, axis=1)
    series = np.maximum(followers[:, None] - (cs[:, -1:] - cs), 0).round().astype(np.int64)
    snapshots = pl.DataFrame({
        "account_id": np.repeat(ids, DAYS), "followers": series.ravel(),
        "day": pl.Series(np.tile(END_DAY - DAYS + 1 + np.arange(DAYS), n)).cast(pl.Int32),
    }).cast(SNAPSHOT_SCHEMA)  # fmt: skip
    del inc, cs, series
    # Comments: handles from a ~2M pool, bots mostly under fakes; pods = members + shared fans within minutes.
    texts, n_gen, n_generic = text_pool(rng)
    pool, avatar, n_fan = handle_pool(rng, min(2_000_000, max(5_000, m // 5)))
    n_pods = max(1, min(400, n // 2_500, m // 2_000))  # ~200 comments each, so at most ~10 % of all comments
    size = rng.integers(3, 9, n_pods)
    members = rng.choice(np.flatnonzero(~fake), int(size.sum()), replace=False)
    pod_of = np.repeat(np.arange(n_pods), size)
    base, pod_acc, pod_auth = pool.len(), [], []
    for pod in range(n_pods):  # a few hundred pods, each a handful of vectorised arrays
        pos = np.flatnonzero(pod_of == pod)
        who = np.concatenate([rng.integers(0, n_fan, int(rng.integers(10, 17))), base + pos])
        acc, auth = np.repeat(members[pos], who.size), np.tile(who, pos.size)
        keep = auth != np.repeat(base + pos, who.size)
        pod_acc.append(np.repeat(acc[keep], 2))
        pod_auth.append(np.repeat(auth[keep], 2))
    pool = pl.concat([pool, handle.gather(members)])
    avatar = np.concatenate([avatar, np.ones(members.size, dtype=bool)])
    n_pod_rows = sum(a.size for a in pod_acc)
    k = m - n_pod_rows
    weight = np.sqrt(followers) * np.where(fake, 0.5, 1.0)
    acc = np.concatenate([rng.choice(n, k, p=weight / weight.sum()), *pod_acc])
    bot = np.concatenate([rng.random(k) < np.where(fake[acc[:k]], 0.6, 0.03), np.zeros(n_pod_rows, dtype=bool)])
    fan = (n_fan * rng.random(k) ** 1.5).astype(np.int64)  # superfans comment more often
    author = np.concatenate([np.where(bot[:k], n_fan + rng.integers(0, base - n_fan, k), fan), *pod_auth])
    u = rng.random(m)
    kind_of_text = np.where(bot, np.where(u < 0.5, 1, 2), np.select([u < 0.85, u < 0.97], [0, 1], 2))
    kind_of_text[k:] = 1
    offsets = np.array([0, n_gen, n_gen + n_generic])
    sizes = np.array([n_gen, n_generic, texts.len() - n_gen - n_generic])
    text = offsets[kind_of_text] + (rng.random(m) * sizes[kind_of_text]).astype(np.int64)
    post = acc * POSTS + rng.integers(0, POSTS, m)
    delay = np.where(bot, rng.lognormal(np.log(30), 1.0, m), rng.lognormal(np.log(180), 1.3, m)) * MINUTE_US
    delay[k:] = rng.uniform(1, 12, n_pod_rows) * MINUTE_US
    comments = pl.DataFrame({
        "account_id": acc + 1, "post_id": post + 1, "author_handle": pool.gather(author),
        "author_has_avatar": avatar[author], "text": texts.gather(text),
        "posted_at": _utc(posted[post] + delay.astype(np.int64)), "post_posted_at": _utc(posted[post]),
    }).cast(COMMENT_SCHEMA)  # fmt: skip
    started = time.perf_counter()
    frames = annotate({"accounts": accounts, "comments": comments})
    annotate_s = time.perf_counter() - started
    frames.update(posts=posts, snapshots=snapshots)
    for name in TABLES:
        frames[name].write_parquet(folder / f"{name}.parquet")
    return {name: frames[name].height for name in TABLES} | {"annotate_seconds": annotate_s, "pods": n_pods}


def measure_comments(folder: Path) -> list[Step]:
    """(a) spam/generic annotation of distinct texts + join, (b) comment_authenticity, (c) both."""
    comments = pl.read_parquet(folder / "comments.parquet").drop("spam_prob", "generic")
    no_accounts = pl.DataFrame(schema=ACCOUNT_SCHEMA)
    annotate({"accounts": no_accounts, "comments": comments.head(1_000)})  # loads the models
    started = time.perf_counter()
    annotated = annotate({"accounts": no_accounts, "comments": comments})["comments"]
    a = time.perf_counter() - started
    started = time.perf_counter()
    comment_authenticity(annotated)
    b = time.perf_counter() - started
    m, target = comments.height, f"≥ {TARGET_COMMENTS_PER_S:,}/s"
    return [Step("comment authenticity annotate (distinct texts + join)", m, a),
            Step("comment authenticity aggregate", m, b),
            Step("comment authenticity (both)", m, a + b, target, m / (a + b) >= TARGET_COMMENTS_PER_S)]  # fmt: skip


def _clocked(laps: dict[str, float], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def clocked(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        laps[name] = laps.get(name, 0.0) + time.perf_counter() - started
        return result

    return clocked


def _peak_mib(pid: int | str = "self") -> float:
    """Peak RSS (VmHWM); unlike ru_maxrss it does not count the parent's pages a spawned child had before exec."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _watch_children(peaks: dict[str, float], stop: threading.Event) -> None:
    """Sample the peak RSS of this process's children (the pool workers) until stopped."""
    while not stop.wait(0.2):
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{os.getpid()}/task").iterdir():
                for pid in (task / "children").read_text().split():
                    peaks[pid] = max(peaks.get(pid, 0.0), _peak_mib(pid))


def _local_child(folder: Path, workers: int | None, conn: Connection) -> None:
    """In a fresh process: run_local end to end with a clock around its driver-side phases; send figures."""
    laps: dict[str, float] = {}
    for attr, name in PHASES.items():  # run_local looks these up in its module at call time
        if hasattr(engine, attr):
            setattr(engine, attr, _clocked(laps, name, getattr(engine, attr)))
    peaks: dict[str, float] = {}
    stop = threading.Event()
    threading.Thread(target=_watch_children, args=(peaks, stop), daemon=True).start()
    started = time.perf_counter()
    run = run_local(folder, folder / "out", workers=workers)
    seconds = time.perf_counter() - started
    stop.set()
    laps[REST] = seconds - sum(laps.values())
    conn.send({"seconds": seconds, "partitions": run.partitions, "phases": {k: laps.get(k) for k in [*PHASES.values(), REST]},
               "rss_mib": _peak_mib(), "worker_rss_mib": max(peaks.values(), default=float("nan"))})  # fmt: skip


def measure_local(folder: Path, workers: int | None) -> dict[str, Any]:
    """run_local in a spawned process, so its peak RSS is its own (and its workers')."""
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=_local_child, args=(folder, workers, theirs))
    child.start()
    figures: dict[str, Any] = ours.recv()
    child.join()
    return figures


def run_spark_step(folder: Path, out: Path, master: str = "local[2]") -> tuple[float, bool]:
    """Vet ``folder`` with the Spark engine on ``master`` (session start included); seconds, and whether its
    reports equal the local engine's (``folder/out``)."""
    import sys

    from grassroots.engine.spark import run_spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    started = time.perf_counter()
    run_spark(folder, out, master=master)
    seconds = time.perf_counter() - started
    local = pl.read_parquet(folder / "out" / "reports.parquet").sort("account_id")
    spark = pl.read_parquet(out / "reports.parquet").sort("account_id")
    return seconds, local.equals(spark)


def spark_status(wanted: bool) -> str:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "spark: not installed"
    return "spark: installed" if wanted else "spark: installed, not run (pass --spark)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=1_000_000, help="accounts (default 1,000,000)")
    parser.add_argument("--comments", type=int, default=10_000_000, help="comments (default 10,000,000)")
    parser.add_argument("--data-dir", type=Path, help="Parquet folder (default: <tmp>/grassroots-bench-vetting-N-M)")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the synthetic data (default 7)")
    parser.add_argument("--workers", type=int, help="run_local worker processes (default: none, in process)")
    parser.add_argument("--spark", action="store_true", help="also run the Spark engine on local[2] (needs pyspark)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    if args.accounts < 100 or args.comments < 1_000:
        parser.error("use at least 100 accounts and 1,000 comments")
    console = Console(width=140, stderr=args.json)  # with --json, stdout carries only the JSON
    n, m, load = args.accounts, args.comments, [os.getloadavg()[0]]
    folder = args.data_dir or Path(tempfile.gettempdir()) / f"grassroots-bench-vetting-{n}-{m}"
    folder.mkdir(parents=True, exist_ok=True)
    key = {"version": DATA_VERSION, "accounts": n, "comments": m, "seed": args.seed}
    manifest = json.loads((folder / "manifest.json").read_text()) if (folder / "manifest.json").exists() else {}
    steps: list[Step] = []
    if {k: manifest.get(k) for k in key} == key and all((folder / f"{t}.parquet").exists() for t in TABLES):
        console.print(f"reusing {folder} (generated in {manifest['seconds']:.1f} s)")
    else:
        console.print(f"generating {n:,} accounts and {m:,} comments into {folder} …")
        started = time.perf_counter()
        counts = generate(n, m, args.seed, folder)
        manifest = key | {"rows": counts, "seconds": time.perf_counter() - started}
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
        steps.append(
            Step("generate + annotate + write Parquet", sum(int(counts[t]) for t in TABLES), manifest["seconds"])
        )
        console.print(f"generated in {manifest['seconds']:.1f} s (model annotation {counts['annotate_seconds']:.1f} s)")
    rows, sizes = manifest["rows"], {t: (folder / f"{t}.parquet").stat().st_size for t in TABLES}
    for t in TABLES:
        console.print(f"{t}: {int(rows[t]):,} rows, {sizes[t] / 2**20:,.0f} MiB Parquet")
    console.print("measuring comment authenticity …")
    steps += measure_comments(folder)
    console.print("measuring account-level vetting, local (run_local in a fresh process) …")
    local = measure_local(folder, args.workers)
    name, ok = f"account-level vetting, local ({local['partitions']} parts)", local["seconds"] < TARGET_LOCAL_S
    steps.append(Step(name, n, local["seconds"], f"< {TARGET_LOCAL_S:.0f} s", ok))
    spark = spark_status(args.spark)
    if spark == "spark: installed":
        seconds, same = run_spark_step(folder, folder / "out-spark")
        limit = SPARK_FACTOR * local["seconds"]
        target = f"≤ {limit:.0f} s (3× local)"
        steps.append(Step("account-level vetting, Spark local[2]", n, seconds, target, seconds <= limit))
        spark = f"spark: reports {'equal' if same else 'DIFFER from'} the local engine's"
    load.append(os.getloadavg()[0])
    table = Table(title=f"vetting, {n:,} accounts, {m:,} comments")
    for col in ("step", "rows", "seconds", "rows/s", "target", "result"):
        table.add_column(col, justify="left" if col in ("step", "target") else "right", no_wrap=True)
    for s in steps:
        verdict = "" if s.passed is None else "[green]PASS[/]" if s.passed else "[red]MISS[/]"
        table.add_row(s.name, f"{s.rows:,}", f"{s.seconds:.2f}", f"{s.rows / s.seconds:,.0f}", s.target, verdict)
    console.print(table)
    for phase, seconds in local["phases"].items():
        console.print(f"run_local phase: {phase.strip()} {seconds or float('nan'):.1f} s")
    console.print(
        f"run_local peak RSS: driver {local['rss_mib']:,.0f} MiB, largest worker {local['worker_rss_mib']:,.0f} MiB"
    )
    console.print(f"{spark}; 1-min load average {load[0]:.1f} at start, {load[1]:.1f} at end ({os.cpu_count()} cores)")
    if args.json:
        out = {"accounts": n, "comments": m, "data_dir": str(folder), "rows": rows, "parquet_bytes": sizes,
               "steps": [asdict(s) | {"rows_per_s": s.rows / s.seconds} for s in steps], "local": local,
               "spark": spark, "load_average": load}  # fmt: skip
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
