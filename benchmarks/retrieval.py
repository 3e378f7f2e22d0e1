"""Retrieval benchmark: build throughput and query latency, exact vs approximate FAISS.

Two parts:

- **shop**: builds the shop's knowledge base from scratch (passages/s, vectors/s), then asks
  every question of ``evaluation/knowledge_questions.csv`` ``--repeats`` times and reports
  latency p50/p95/p99 for the whole retrieval (embedding included), for embedding alone and
  for the FAISS search alone; questions embedded through ONNX Runtime (the default when
  serving) and through PyTorch, in turn within one run.
- **synthetic**: ``--size`` (default 100,000) normalised random 384-d vectors near a random
  32-dimensional subspace (like sentence embeddings: low intrinsic dimension; nearest
  neighbours at cosine ~0.6, as for MiniLM),
  exact ``IndexFlatIP`` vs HNSW (``efSearch`` sweep) vs IVF (``nprobe`` sweep): search-only
  latency per single query and recall@10 against exact search.

Figures are the median (and p95) over the repeated runs. Run it on an otherwise idle machine:

    nice -n 10 .venv/bin/python benchmarks/retrieval.py --json-out results/retrieval.json
    .venv/bin/python benchmarks/retrieval.py --skip-shop --size 20000    # quicker
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99 of one run, in milliseconds."""
    values = np.percentile(samples_ms, [50, 95, 99])
    return {"p50": float(values[0]), "p95": float(values[1]), "p99": float(values[2])}


def over_runs(runs: list[dict[str, float]]) -> dict[str, float]:
    """Median and p95 of each figure over repeated runs."""
    out = {}
    for key in runs[0]:
        values = [run[key] for run in runs]
        out[f"{key}_median"] = round(float(np.median(values)), 3)
        out[f"{key}_p95"] = round(float(np.percentile(values, 95)), 3)
    return out


def timed(function, items) -> list[float]:
    samples = []
    for item in items:
        started = time.perf_counter()
        function(item)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench_shop(repeats: int, threads: int, runtimes: list[str]) -> dict:
    """Build throughput, then query latency on the shop's knowledge base for each embedding runtime
    (measured in turn in one run, so their ratio is fair on a noisy machine)."""
    import faiss
    import torch

    from bot.knowledge.build import build_index
    from bot.knowledge.evaluate import read_questions
    from bot.knowledge.service import build_options, load_retriever
    from bot.settings import get_settings

    questions = [
        q.question for q in read_questions(ROOT / "evaluation" / "knowledge_questions.csv")
    ]
    latency: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        report = build_index(
            [ROOT / "knowledge_base"], Path(folder) / "index", build_options(), force=True
        )
        build_seconds = time.perf_counter() - started
        retrievers = {}
        for runtime in runtimes:
            settings = get_settings().model_copy(
                update={
                    "embedding_runtime": runtime,
                    "embedding_threads": threads,
                    "faiss_threads": threads,
                }
            )
            retrievers[runtime] = load_retriever(Path(folder) / "index", settings)
    faiss.omp_set_num_threads(threads)
    torch.set_num_threads(threads)
    runs: dict[str, dict[str, list]] = {runtime: {"whole": [], "embed": []} for runtime in runtimes}
    search: list[dict[str, float]] = []
    for retriever in retrievers.values():
        for question in questions[:20]:
            retriever.retrieve(question)  # warm-up
    any_retriever = next(iter(retrievers.values()))
    vectors = any_retriever.embedder.encode(questions)
    index = any_retriever.stored.faiss_index
    for _ in range(repeats):
        for runtime, retriever in retrievers.items():
            runs[runtime]["whole"].append(percentiles(timed(retriever.retrieve, questions)))
            runs[runtime]["embed"].append(
                percentiles(timed(lambda q, r=retriever: r.embedder.encode([q]), questions))
            )
        search.append(percentiles(timed(lambda v: index.search(v[None, :], 150), vectors)))
    for runtime, retriever in retrievers.items():
        active = runtime != "onnx" or getattr(retriever.embedder, "onnx_active", False)
        latency[runtime] = {
            "active": active,
            "query_with_embedding_ms": over_runs(runs[runtime]["whole"]),
            "embedding_only_ms": over_runs(runs[runtime]["embed"]),
        }
    return {
        "passages": report.passages,
        "vectors": report.vectors,
        "build_seconds": round(build_seconds, 2),
        "build_passages_per_s": round(report.passages / build_seconds, 1),
        "build_vectors_per_s": round(report.vectors / build_seconds, 1),
        "threads": threads,
        "queries_per_run": len(questions),
        "runs": repeats,
        "runtimes": latency,
        "search_only_ms": over_runs(search),
    }


def synthetic_vectors(
    size: int, dimension: int, queries: int, seed: int = 7
) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors near a random 32-dimensional subspace (sentence embeddings have a low
    intrinsic dimension and no clean clusters), and queries drawn the same way: new points,
    not copies of stored vectors, so their ten nearest neighbours have close scores."""
    rng = np.random.default_rng(seed)
    basis = rng.normal(size=(32, dimension)).astype(np.float32)

    def sample(count: int) -> np.ndarray:
        points = rng.normal(size=(count, 32)).astype(np.float32) @ basis
        points += rng.normal(scale=0.3, size=(count, dimension)).astype(np.float32)
        return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)

    return sample(size), sample(queries)


def search_run(index, probes: np.ndarray, truth: np.ndarray, k: int) -> dict[str, float]:
    found = np.zeros_like(truth)
    samples = []
    for row, probe in enumerate(probes):
        started = time.perf_counter()
        _, ids = index.search(probe[None, :], k)
        samples.append((time.perf_counter() - started) * 1000)
        found[row] = ids[0]
    recall = np.mean([len(set(t) & set(f)) / k for t, f in zip(truth.tolist(), found.tolist())])
    return {**percentiles(samples), "recall_at_10": float(recall)}


def bench_synthetic(
    size: int, queries: int, repeats: int, threads: int, build_threads: int
) -> dict:
    """Exact vs HNSW vs IVF on ``size`` synthetic vectors, search only."""
    import faiss

    from bot.knowledge.index import IndexSpec, build_faiss_index

    k, dimension = 10, 384
    data, probes = synthetic_vectors(size, dimension, queries)
    faiss.omp_set_num_threads(build_threads)
    exact = faiss.IndexFlatIP(dimension)
    exact.add(data)
    _, truth = exact.search(probes, k)
    results: dict[str, dict] = {}
    builds: dict[str, float] = {}
    started = time.perf_counter()
    hnsw = build_faiss_index(data, IndexSpec(kind="hnsw", hnsw_m=32, ef_construction=100))
    builds["hnsw"] = time.perf_counter() - started
    started = time.perf_counter()
    ivf = build_faiss_index(data, IndexSpec(kind="ivf", nlist=int(4 * np.sqrt(size))))
    builds["ivf"] = time.perf_counter() - started
    faiss.omp_set_num_threads(threads)
    configs = [("flat", exact, None)]
    configs += [(f"hnsw_ef{ef}", hnsw, ("efSearch", ef)) for ef in (32, 64, 128, 256)]
    configs += [(f"ivf_nprobe{n}", ivf, ("nprobe", n)) for n in (8, 16, 32, 64, 128, 256)]
    for name, index, parameter in configs:
        if parameter and parameter[0] == "efSearch":
            index.hnsw.efSearch = parameter[1]
        elif parameter:
            index.nprobe = parameter[1]
        search_run(index, probes[:20], truth[:20], k)  # warm-up
        runs = [search_run(index, probes, truth, k) for _ in range(repeats)]
        results[name] = over_runs(runs)
    return {
        "size": size,
        "dimension": dimension,
        "queries_per_run": queries,
        "runs": repeats,
        "search_threads": threads,
        "build_seconds": {k2: round(v, 1) for k2, v in builds.items()},
        "search_only_ms": results,
    }


def print_report(report: dict) -> None:
    shop = report.get("shop")
    if shop:
        print(
            f"shop: {shop['passages']} passages / {shop['vectors']} vectors built in {shop['build_seconds']} s "
            f"({shop['build_passages_per_s']} passages/s, {shop['build_vectors_per_s']} vectors/s)"
        )

        def line(label: str, f: dict) -> None:
            print(
                f"  {label:32} p50 {f['p50_median']:7.2f}  p95 {f['p95_median']:7.2f}  p99 {f['p99_median']:7.2f}"
                f"   (p95 over runs: p95 {f['p95_p95']:.2f})"
            )

        for runtime, figures in shop["runtimes"].items():
            note = "" if figures["active"] else " (ONNX unavailable: PyTorch was used)"
            line(f"{runtime}: query with embedding ms{note}", figures["query_with_embedding_ms"])
            line(f"{runtime}: embedding only ms", figures["embedding_only_ms"])
        line("search only ms", shop["search_only_ms"])
    synthetic = report.get("synthetic")
    if synthetic:
        print(
            f"synthetic: {synthetic['size']} x {synthetic['dimension']} vectors, search only, "
            f"{synthetic['search_threads']} thread(s); build {synthetic['build_seconds']}"
        )
        for name, f in synthetic["search_only_ms"].items():
            print(
                f"  {name:14} p50 {f['p50_median']:7.3f}  p95 {f['p95_median']:7.3f}  p99 {f['p99_median']:7.3f}"
                f"  recall@10 {f['recall_at_10_median']:.4f}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=5, help="runs over the query set")
    parser.add_argument("--size", type=int, default=100_000, help="synthetic index size")
    parser.add_argument("--queries", type=int, default=500, help="synthetic queries per run")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per query (FAISS and the embedder)"
    )
    parser.add_argument(
        "--runtime",
        choices=["onnx", "torch", "both"],
        default="both",
        help="how questions are embedded (both: each in turn, in one run)",
    )
    parser.add_argument(
        "--build-threads", type=int, default=0, help="threads for building (0: all)"
    )
    parser.add_argument("--skip-shop", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--json-out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    import os

    build_threads = args.build_threads or os.cpu_count() or 1
    report: dict = {"cpu_count": os.cpu_count()}
    if not args.skip_shop:
        runtimes = ["onnx", "torch"] if args.runtime == "both" else [args.runtime]
        report["shop"] = bench_shop(args.repeats, args.threads, runtimes)
    if not args.skip_synthetic:
        report["synthetic"] = bench_synthetic(
            args.size, args.queries, args.repeats, args.threads, build_threads
        )
    print_report(report)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=2))
        print(f"written: {args.json_out}")


if __name__ == "__main__":
    main()
