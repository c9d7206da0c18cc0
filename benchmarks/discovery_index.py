"""Discovery vector index benchmark: build, size, memory, upsert, filtered search latency and recall@10.

The data imitates MiniLM embeddings of creators. Every distinct text of the shared data sets that hold
social posts or comments (TweetEval sentiment + emotion, YouTube comments, suggestion mining: 18,791 texts)
is embedded once with the project's embedder (cached under .cache/bench/). 1,000 of them, drawn at random,
are held out as queries. Each synthetic vector is normalise(a * e_i + (1 - a) * e_j + noise), with e_i, e_j
two random embeddings of the other texts, a ~ U(0.55, 1) and isotropic Gaussian noise whose norm is
~U(0.15, 0.6) — a creator looks like a mixture of two things they post about, plus their own style. The
matrix is cached under .cache/bench/ (gitignored), so reruns skip it. Ids are 1..n, shuffled over rows.

Recall@k (k = 10 unless --k) is measured against exact float32 search over the same allowed set. `allowed` is a random
subset of 100 %, 50 %, 10 % or 1 % of the ids (one fixed subset per share), as the other filters would give.

    .venv/bin/python benchmarks/discovery_index.py                        # 1M vectors, the chosen variant
    .venv/bin/python benchmarks/discovery_index.py --quick                # 50k smoke run
    .venv/bin/python benchmarks/discovery_index.py --n 200000 --variants sq8 flat exact sq8:nprobe=16
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np
from language import real_texts  # the same real texts the language benchmark embeds

from grassroots.discovery.vectors import IndexSettings, VectorIndex

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench"
HELD_OUT = 1_000
CHUNK = 100_000
SHARES = (1.0, 0.5, 0.1, 0.01)
VARIANTS: dict[str, IndexSettings] = {
    "sq8": IndexSettings(),
    "flat": IndexSettings(factory="Flat"),
    "exact": IndexSettings(ivf_min_vectors=1 << 62),
}


def text_embeddings() -> np.ndarray:
    """MiniLM embeddings of the real texts, computed once (~1-2 min) and cached."""
    path = CACHE / "text_embeddings.npy"
    if not path.exists():
        from grassroots.judgments.language.embeddings import Embedder

        texts = real_texts()
        print(f"embedding {len(texts):,} real texts with MiniLM (once) ...", flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, Embedder().embed(texts))
    return np.load(path)


def split(embeddings: np.ndarray, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """(pool the synthetic vectors are made of, held-out query embeddings)."""
    order = np.random.default_rng(seed).permutation(len(embeddings))
    return embeddings[order[HELD_OUT:]], embeddings[order[:HELD_OUT]]


def synthesise(pool: np.ndarray, n: int) -> np.ndarray:
    """n normalised noisy two-text mixtures; chunk c uses seed c, so a smaller n is a prefix of a larger one."""
    path = CACHE / f"creators-{n}-v1.npy"
    bigger = sorted(CACHE.glob("creators-*-v1.npy"), key=lambda p: int(p.stem.split("-")[1]))
    for candidate in bigger:
        if int(candidate.stem.split("-")[1]) >= n:
            return np.load(candidate, mmap_mode="r")[:n]
    print(f"synthesising {n:,} x {pool.shape[1]} vectors (once) ...", flush=True)
    out = np.lib.format.open_memmap(path.with_suffix(".tmp"), mode="w+", dtype=np.float32, shape=(n, pool.shape[1]))
    for chunk, start in enumerate(range(0, n, CHUNK)):
        rng = np.random.default_rng(chunk)
        size = min(CHUNK, n - start)
        a = rng.uniform(0.55, 1.0, size=(size, 1)).astype(np.float32)
        mix = a * pool[rng.integers(len(pool), size=size)] + (1 - a) * pool[rng.integers(len(pool), size=size)]
        noise = rng.standard_normal((size, pool.shape[1]), dtype=np.float32)
        noise *= rng.uniform(0.15, 0.6, size=(size, 1)).astype(np.float32) / np.linalg.norm(
            noise, axis=1, keepdims=True
        )
        mix += noise
        out[start : start + size] = mix / np.linalg.norm(mix, axis=1, keepdims=True)
    out.flush()
    del out
    path.with_suffix(".tmp").rename(path)
    return np.load(path, mmap_mode="r")


def allowed_sets(ids: np.ndarray, seed: int = 11) -> dict[float, np.ndarray | None]:
    """One sorted random subset of the ids per share (None = unfiltered)."""
    rng = np.random.default_rng(seed)
    return {s: None if s >= 1 else np.sort(rng.choice(ids, round(s * len(ids)), replace=False)) for s in SHARES}


def exact_top(
    k: int, vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray, allowed: dict[float, Any]
) -> dict[float, np.ndarray]:
    """Exact float32 top-k ids per query and share, by blocked matrix products."""
    best = {s: (np.full((len(queries), k), -np.inf, np.float32), np.full((len(queries), k), -1)) for s in allowed}
    masks = {s: None if a is None else np.isin(ids, a) for s, a in allowed.items()}
    for start in range(0, len(vectors), CHUNK):
        scores = queries @ np.asarray(vectors[start : start + CHUNK]).T
        for share, mask in masks.items():
            block = scores if mask is None else np.where(mask[start : start + CHUNK], scores, -np.inf)
            top_scores, top_ids = best[share]
            merged_scores = np.concatenate([top_scores, block], axis=1)
            merged_ids = np.concatenate([top_ids, np.broadcast_to(ids[start : start + CHUNK], block.shape)], axis=1)
            pick = np.argpartition(-merged_scores, k - 1, axis=1)[:, :k]
            best[share] = (np.take_along_axis(merged_scores, pick, 1), np.take_along_axis(merged_ids, pick, 1))
    return {s: best[s][1] for s in best}


def cached_truth(data: dict[str, Any]) -> dict[float, np.ndarray]:
    """exact_top, cached per (n, queries): it reads the whole matrix once per 100k block."""
    path = CACHE / f"truth-{len(data['ids'])}-{len(data['queries'])}-k{data['k']}-v1.npz"
    if path.exists():
        with np.load(path) as saved:
            return {share: saved[f"s{share}"] for share in SHARES}
    truth = exact_top(data["k"], data["vectors"], data["ids"], data["queries"], data["allowed"])
    arrays: dict[str, Any] = {f"s{share}": top for share, top in truth.items()}
    np.savez(path, **arrays)
    return truth


def rss_mb() -> float:
    """Resident memory of this process, MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ms(samples: list[float], q: float) -> float:
    """Percentile q of samples in seconds, as ms."""
    return float(np.percentile(samples, q)) * 1000


def parse_variant(spec: str) -> IndexSettings:
    """`sq8`, `flat`, `exact` or one of them with overrides: `sq8:nprobe=16,nlist=1024`."""
    name, _, overrides = spec.partition(":")
    settings = VARIANTS[name]
    types = {f.name: f.type for f in fields(IndexSettings)}
    for item in filter(None, overrides.split(",")):
        key, value = item.split("=")
        typed: Any = value if types[key] == "str" else float(value) if "." in value else int(value)
        settings = replace(settings, **{key: typed})
    return settings


def build_once(
    settings: IndexSettings, vectors: np.ndarray, ids: np.ndarray, built: dict[Any, Any], tmp: Path
) -> dict[str, Any]:
    """Build and save an index for these build settings, or reuse the one built earlier in this run."""
    key = (settings.factory, settings.nlist, settings.ivf_min_vectors, settings.train_per_list)
    if key not in built:
        before = rss_mb()
        started = time.perf_counter()
        index = VectorIndex.build(ids, vectors, settings=settings)
        figures: dict[str, Any] = {"build_s": time.perf_counter() - started, "rss_growth_mb": rss_mb() - before}
        folder = tmp / f"index-{len(built)}"
        started = time.perf_counter()
        index.save(folder)
        figures["save_s"] = time.perf_counter() - started
        figures["disk_mb"] = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        built[key] = (folder, figures)
    folder, figures = built[key]
    return {"folder": folder, **figures}


def measure_search(index: VectorIndex, data: dict[str, Any]) -> dict[str, float]:
    """Latency (wall and CPU) and recall@k per share of allowed ids."""
    row: dict[str, float] = {}
    queries, truth = data["queries"], data["truth"]
    for share, subset in data["allowed"].items():
        latencies, cpu, hits = [], [], 0
        for query in queries[:5]:  # warm-up
            index.search(query, data["k"], subset)
        for i, query in enumerate(queries):
            started, started_cpu = time.perf_counter(), time.process_time()
            found, _ = index.search(query, data["k"], subset)
            latencies.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            hits += len(np.intersect1d(found, truth[share][i]))
        label = f"{share:.0%}"
        row[f"p50_{label}"], row[f"p95_{label}"], row[f"p99_{label}"] = (ms(latencies, q) for q in (50, 95, 99))
        row[f"cpu_mean_{label}"] = float(np.mean(cpu)) * 1000
        row[f"recall_{label}"] = hits / (data["k"] * len(queries))
    return row


def measure_upserts(index: VectorIndex, ids: np.ndarray, folder: Path) -> dict[str, float]:
    """100 single-vector upserts (half replace, half new), then a delta save; the index is restored after."""
    rng = np.random.default_rng(3)
    replaced = np.unique(ids[rng.integers(len(ids), size=50)])
    originals = index.vectors_of(replaced)
    targets = np.concatenate([replaced, np.arange(50) + int(ids.max()) + 1])
    rng.shuffle(targets)
    latencies, cpu = [], []
    for target in targets:
        vector = rng.standard_normal((1, index.dim)).astype(np.float32)
        started, started_cpu = time.perf_counter(), time.process_time()
        index.upsert(np.array([target]), vector)
        latencies.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    row = {
        "upsert_p50_ms": ms(latencies, 50),
        "upsert_p95_ms": ms(latencies, 95),
        "upsert_max_ms": max(latencies) * 1000,
    }
    row["upsert_cpu_mean_ms"] = float(np.mean(cpu)) * 1000
    index.remove(targets[targets > ids.max()])
    index.upsert(replaced, originals)
    started = time.perf_counter()
    index.save(folder)  # a delta: the replaced ids (now back to their vectors) and the removed new ones
    row["delta_save_ms"] = (time.perf_counter() - started) * 1000
    return row


def run_variant(spec: str, data: dict[str, Any], built: dict[Any, Any], tmp: Path) -> dict[str, Any]:
    """Build (or reuse), save, load, search and upsert one variant; its figures."""
    settings = parse_variant(spec)
    row: dict[str, Any] = {"variant": spec, "n": len(data["ids"])}
    row |= build_once(settings, data["vectors"], data["ids"], built, tmp)
    folder = row.pop("folder")
    started = time.perf_counter()
    row["mmap_load_s"] = len(VectorIndex.load(folder, settings=settings, mmap=True)) and time.perf_counter() - started
    started = time.perf_counter()
    index = VectorIndex.load(folder, settings=settings)
    row["load_s"] = time.perf_counter() - started
    row |= measure_search(index, data)
    row |= measure_upserts(index, data["ids"], folder)
    return row


def print_table(rows: list[dict[str, Any]]) -> None:
    """One plain-text table, one line per variant."""
    labels = [f"{s:.0%}" for s in SHARES]
    head = ["variant", "n", "build s", "disk MB", "RSS+ MB", "load s", "upsert p50/p95 ms"]
    head += [f"{label} allowed" for label in labels]
    lines = []
    for r in rows:
        cells = [r["variant"], f"{r['n']:,}", f"{r['build_s']:.1f}", f"{r['disk_mb']:.0f}"]
        cells += [
            f"{r['rss_growth_mb']:.0f}",
            f"{r['load_s']:.2f}",
            f"{r['upsert_p50_ms']:.1f}/{r['upsert_p95_ms']:.1f}",
        ]
        cells += [
            f"{r[f'p50_{x}']:.1f}/{r[f'p95_{x}']:.1f}/{r[f'p99_{x}']:.1f}, {r[f'cpu_mean_{x}']:.1f}, {r[f'recall_{x}']:.3f}"
            for x in labels
        ]
        lines.append(cells)
    print("(search figures: wall-clock p50/p95/p99 ms, mean CPU ms, recall@k)")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for cells in lines:
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    """Parse arguments, make or load the data, run each variant, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="vectors in the index")
    parser.add_argument("--queries", type=int, default=200, help="held-out real-text queries per share")
    parser.add_argument("--variants", nargs="+", default=["sq8"], help="sq8, flat, exact, or e.g. sq8:nprobe=16")
    parser.add_argument("--k", type=int, default=10, help="results per search; recall@k (discovery search asks 1000)")
    parser.add_argument("--quick", action="store_true", help="50k vectors, 100 queries: a smoke run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    n, n_queries = (50_000, 100) if args.quick else (args.n, args.queries)
    pool, held_out = split(text_embeddings())
    data: dict[str, Any] = {
        "queries": held_out[:n_queries],
        "vectors": np.array(synthesise(pool, n)),
    }  # in RAM: RSS is the index's
    data["ids"] = np.random.default_rng(5).permutation(n).astype(np.int64) + 1
    data["k"] = args.k
    data["allowed"] = allowed_sets(data["ids"])
    started = time.perf_counter()
    data["truth"] = cached_truth(data)
    print(
        f"data: {n:,} synthetic vectors from {len(pool):,} real texts; {n_queries} held-out queries; "
        f"exact ground truth in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    rows = []
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        built: dict[Any, Any] = {}
        for spec in args.variants:
            rows.append(run_variant(spec, data, built, Path(tmp)))
            print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in rows[-1].items()}), flush=True)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
