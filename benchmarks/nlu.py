"""NLU benchmark: Rasa's default pipeline vs the project's (config.yml) on public intent data.

Trains a Rasa NLU model per (dataset, pipeline) with Rasa's Python API, parses a fixed test
sample message by message through ``Agent.parse_message`` and reports intent accuracy, macro
F1, (CLINC150) in-scope accuracy and out-of-scope recall, fallback rate, train time and parse
latency p50/p95.

Default regime is few-shot, like the shop's own intents (25-40 examples each): 30 training
examples per intent and 10 test messages per intent, sampled with a fixed seed. ``--full``
trains on all training data and tests on the whole test set.

    PYTHONPATH=. nice -n 10 .venv-rasa/bin/python benchmarks/nlu.py            # 2 x 2, few-shot
    PYTHONPATH=. .venv-rasa/bin/python benchmarks/nlu.py --datasets clinc150 \
        --pipelines project project:-MiniLMFeaturizer --fallback-sweep --json-out results/nlu.json

Pipeline specs: ``default`` (Rasa's default for English), ``project`` (the pipeline in
config.yml) or a path to a Rasa config file, optionally followed by ``:``-separated
modifiers: ``-Name`` drops the components whose name ends with Name, ``Name.key=value`` sets
an option (value read as YAML) on them, e.g.
``project:DIETClassifier.model_confidence=linear_norm:FallbackClassifier.threshold=0.6``.

The public data (see /work/shared/datasets/README.md) is only read; the temporary Rasa files
live in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.nlu_data import DEFAULT_DATA_DIR, load_dataset, write_rasa_nlu_yaml
from benchmarks.nlu_metrics import FALLBACK_INTENT, percentile, score, sweep
from benchmarks.nlu_pipelines import fallback_settings, resolve_pipeline, yaml_io

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------- rasa runs
def _quiet_rasa(verbose: bool) -> None:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    if not verbose:
        # Rasa reads these: WARNING also turns off DIET's progress bar and the per-message
        # structlog debug lines
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        os.environ.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")
        os.environ.setdefault("TQDM_DISABLE", "1")
        warnings.filterwarnings("ignore")
    import logging

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    for name in ("rasa", "tensorflow", "absl", "matplotlib"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.ERROR)


def run_one(
    dataset: dict[str, Any], pipe: dict[str, Any], workdir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    import asyncio

    import rasa.model_training
    from rasa.core.agent import Agent

    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{dataset['name']}-{pipe['name']}")[:80]
    run_dir = workdir / slug
    run_dir.mkdir(parents=True, exist_ok=True)
    data_path = run_dir / "nlu.yml"
    config_path = run_dir / "config.yml"
    write_rasa_nlu_yaml(dataset["train"], data_path)
    config = {
        "recipe": "default.v1",
        "language": "en",
        "assistant_id": "nlu-benchmark",
        "pipeline": pipe["pipeline"],
        "policies": [],
    }
    with open(config_path, "w", encoding="utf-8") as f:
        yaml_io().dump(config, f)

    t0 = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # keep stdout for the result table
        model_path = rasa.model_training.train_nlu(
            config=str(config_path),
            nlu_data=str(data_path),
            output=str(run_dir / "models"),
            fixed_model_name="nlu",
        )
    train_s = time.perf_counter() - t0
    if not model_path:
        raise RuntimeError(f"training failed for {slug}")

    loop = asyncio.new_event_loop()
    try:
        t0 = time.perf_counter()
        agent = Agent.load(model_path)
        load_s = time.perf_counter() - t0
        # warm-up (lazy loads) and robustness: none of these may crash the pipeline
        for text in ("hello there", "", "   ", "\U0001f642", "\x00\x07", "order " * 2000):
            loop.run_until_complete(agent.parse_message(text))
        preds, latencies = [], []
        for text, label in dataset["test"]:
            t0 = time.perf_counter()
            parsed = loop.run_until_complete(agent.parse_message(text))
            latencies.append((time.perf_counter() - t0) * 1000.0)
            ranking = [
                r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT
            ]
            intent = (parsed.get("intent") or {}).get("name")
            preds.append(
                {
                    "text": text,
                    "label": label,
                    "intent": intent,
                    "top1": ranking[0]["name"] if ranking else intent,
                    "conf1": float(ranking[0]["confidence"]) if ranking else 0.0,
                    "top2": ranking[1]["name"] if len(ranking) > 1 else None,
                    "conf2": float(ranking[1]["confidence"]) if len(ranking) > 1 else None,
                }
            )
    finally:
        loop.close()

    fb = fallback_settings(pipe["pipeline"])
    result = {
        "dataset": dataset["name"],
        "pipeline": pipe["name"],
        "n_train": len(dataset["train"]),
        "n_test": len(dataset["test"]),
        "n_intents": len({label for _, label in dataset["train"]}),
        "train_s": train_s,
        "load_s": load_s,
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
        "fallback": fb,
        **score(preds, dataset["has_oos"], None),
    }
    if args.fallback_sweep:
        result["sweep"] = sweep(preds, dataset["has_oos"])
    result["_preds"] = preds
    return result


# --------------------------------------------------------------------------- output
def _pct(x: Any) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}"


def print_table(results: Sequence[dict[str, Any]]) -> None:
    head = [
        "dataset",
        "pipeline",
        "train",
        "test",
        "acc",
        "macroF1",
        "in-scope",
        "oos rec",
        "fallbk%",
        "top1 acc",
        "train s",
        "p50 ms",
        "p95 ms",
    ]
    rows = []
    for r in results:
        rows.append(
            [
                r["dataset"],
                r["pipeline"],
                str(r["n_train"]),
                str(r["n_test"]),
                _pct(r["accuracy"]),
                _pct(r["macro_f1"]),
                _pct(r["in_scope_accuracy"]),
                _pct(r.get("oos_recall")),
                _pct(r["fallback_rate"]),
                _pct(r["top1_accuracy"]),
                f"{r['train_s']:.0f}",
                f"{r['latency_ms_p50']:.1f}",
                f"{r['latency_ms_p95']:.1f}",
            ]
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))


def print_sweep(r: dict[str, Any]) -> None:
    print(f"\nfallback sweep (simulated FallbackClassifier) - {r['dataset']} / {r['pipeline']}")
    print("| threshold | ambiguity | acc | macroF1 | in-scope acc | oos recall |")
    print("|---|---|---|---|---|---|")
    for s in r["sweep"]:
        print(
            f"| {s['threshold']:.2f} | {s['ambiguity_threshold']:.2f} | {_pct(s['accuracy'])} | "
            f"{_pct(s['macro_f1'])} | {_pct(s['in_scope_accuracy'])} | {_pct(s.get('oos_recall'))} |"
        )


# ------------------------------------------------------------------------------ main
def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--datasets",
        nargs="+",
        default=["banking77", "clinc150"],
        help="banking77 and/or clinc150 (default: both)",
    )
    p.add_argument(
        "--pipelines",
        nargs="+",
        default=["default", "project"],
        help="pipeline specs: default, project, a config path, with :modifiers",
    )
    p.add_argument(
        "--project-config",
        default=str(PROJECT_ROOT / "config.yml"),
        help="config file read for the 'project' pipeline (default: config.yml)",
    )
    p.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="public datasets folder")
    p.add_argument(
        "--full", action="store_true", help="all training data and the whole test set (slow)"
    )
    p.add_argument(
        "--per-intent",
        type=int,
        default=30,
        help="training examples sampled per intent (few-shot, default 30)",
    )
    p.add_argument(
        "--test-per-intent",
        type=int,
        default=10,
        help="test messages sampled per intent (default 10)",
    )
    p.add_argument(
        "--oos-train",
        type=int,
        default=100,
        help="CLINC150 out-of-scope training examples, from oos_train (default 100 = all)",
    )
    p.add_argument(
        "--oos-test",
        type=int,
        default=None,
        help="CLINC150 out-of-scope test messages (default: same fraction of oos_test "
        "as of the in-scope test set, 333 with --test-per-intent 10)",
    )
    p.add_argument(
        "--max-intents",
        type=int,
        default=None,
        help="use only N intents (sampled with the seed), e.g. to time a shop-sized model",
    )
    p.add_argument("--seed", type=int, default=20261122, help="sampling seed")
    p.add_argument(
        "--diet-seed",
        type=int,
        default=42,
        help="random_seed set on DIET/ResponseSelector unless the pipeline sets one",
    )
    p.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="override epochs of DIETClassifier/ResponseSelector in every pipeline",
    )
    p.add_argument(
        "--fallback-sweep",
        action="store_true",
        help="also print in-scope accuracy / oos recall for a grid of fallback thresholds",
    )
    p.add_argument("--json-out", default=None, help="write all results to this JSON file")
    p.add_argument(
        "--predictions-out",
        default=None,
        help="write every test prediction (with top-2 confidences) as JSON lines",
    )
    p.add_argument("--workdir", default=None, help="keep the temporary Rasa files here")
    p.add_argument("--verbose", action="store_true", help="show Rasa's logs and progress bars")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    _quiet_rasa(args.verbose)
    pipes = [resolve_pipeline(s, args) for s in args.pipelines]
    datasets = [load_dataset(d, args) for d in args.datasets]

    tmp = tempfile.TemporaryDirectory(prefix="nlu-bench-") if not args.workdir else None
    workdir = Path(args.workdir) if args.workdir else Path(tmp.name)  # type: ignore[union-attr]
    workdir.mkdir(parents=True, exist_ok=True)
    # Rasa's training cache would land in ./.rasa and make repeated runs look fast: keep it
    # in the temporary folder and disabled
    os.environ["RASA_CACHE_DIRECTORY"] = str(workdir / ".rasa-cache")
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"

    import logging

    import rasa
    from rasa.utils.log_utils import configure_structlog

    # the CLI does this; through the Python API structlog would print every parse to stdout
    configure_structlog(logging.INFO if args.verbose else logging.WARNING)

    started = time.time()
    results: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []

    def save() -> None:  # after every run, so an interrupted benchmark keeps its results
        if args.predictions_out:
            Path(args.predictions_out).parent.mkdir(parents=True, exist_ok=True)
            with open(args.predictions_out, "w", encoding="utf-8") as f:
                for r in results:
                    for p in r["_preds"]:
                        row = {"dataset": r["dataset"], "pipeline": r["pipeline"], **p}
                        f.write(json.dumps(row) + "\n")
        if args.json_out:
            Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
            payload = {
                "args": vars(args),
                "rasa_version": rasa.__version__,
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "pipelines": pipes,
                "results": [{k: v for k, v in r.items() if k != "_preds"} for r in results],
                "failures": failures,
                "total_s": time.time() - started,
            }
            Path(args.json_out).write_text(json.dumps(payload, indent=2), encoding="utf-8")

    try:
        for ds in datasets:
            for pipe in pipes:
                print(
                    f"[nlu-bench] {ds['name']} / {pipe['name']}: {len(ds['train'])} train, "
                    f"{len(ds['test'])} test ...",
                    file=sys.stderr,
                    flush=True,
                )
                try:
                    r = run_one(ds, pipe, workdir, args)
                except Exception as error:  # one bad pipeline must not lose the others
                    msg = f"{type(error).__name__}: {error}"
                    print(f"[nlu-bench]   FAILED {msg}", file=sys.stderr, flush=True)
                    failures.append({"dataset": ds["name"], "pipeline": pipe["name"], "error": msg})
                    save()
                    continue
                print(
                    f"[nlu-bench]   acc {_pct(r['accuracy'])}  top1 {_pct(r['top1_accuracy'])}  "
                    f"train {r['train_s']:.0f} s  p50 {r['latency_ms_p50']:.1f} ms",
                    file=sys.stderr,
                    flush=True,
                )
                results.append(r)
                save()
    finally:
        if tmp is not None:
            tmp.cleanup()

    print()
    if results:
        print_table(results)
    if args.fallback_sweep:
        for r in results:
            print_sweep(r)
    for f in failures:
        print(f"FAILED {f['dataset']} / {f['pipeline']}: {f['error']}")
    print(f"\ntotal {time.time() - started:.0f} s")
    save()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
