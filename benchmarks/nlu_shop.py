"""Intent routing on the shop's own intents, in customers' words.

Parses every message of ``evaluation/nlu_heldout.csv`` (columns ``text,intent,style,split``:
written for this check in the styles customers use: misspellings, slang, very short and long
messages, several sentences; none copied from the training data) with a trained Rasa model and
reports, per split (``dev``: look at its misses, ``test``: report it, never tune on it), the
intent accuracy, the share sent to the fallback, the accuracy per style and the most frequent
confusion pairs (expected → predicted). A floor: the accuracy of always answering the most
frequent intent of the set. Parse latency median and p95.

    PYTHONPATH=. .venv-rasa/bin/python benchmarks/nlu_shop.py                 # latest model
    PYTHONPATH=. .venv-rasa/bin/python benchmarks/nlu_shop.py --model models/x.tar.gz --json-out var/bench/nlu_shop.json
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.nlu_metrics import FALLBACK_INTENT, percentile

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "evaluation" / "nlu_heldout.csv"
SPLITS = ("dev", "test")
STYLES = ("typo", "slang", "short", "long", "multi")


@dataclass(frozen=True)
class Utterance:
    """One labelled message of the held-out set."""

    line: int
    text: str
    intent: str
    style: str
    split: str


def read_heldout(path: Path) -> list[Utterance]:
    """The labelled messages of ``path``; a malformed row stops with its file and line."""
    rows: list[Utterance] = []
    with path.open(newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            text, intent = (row.get("text") or "").strip(), (row.get("intent") or "").strip()
            style, split = (row.get("style") or "").strip(), (row.get("split") or "").strip()
            if not text or not intent:
                raise SystemExit(f"{path}, line {line}: text and intent are required")
            if split not in SPLITS:
                raise SystemExit(f"{path}, line {line}: split must be dev or test, not {split!r}")
            if style not in STYLES:
                raise SystemExit(f"{path}, line {line}: style must be one of {', '.join(STYLES)}")
            rows.append(Utterance(line, text, intent, style, split))
    return rows


def latest_model(folder: Path) -> Path:
    """The newest ``*.tar.gz`` in ``folder``."""
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit(f"no trained model in {folder}: run `bash scripts/train.sh` first")
    return models[-1]


def summarise(rows: Sequence[Utterance], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, fallback share, accuracy per style and confusion pairs of one split."""
    pairs = list(zip(rows, predicted, strict=True))
    n = len(pairs)
    confusions = Counter(f"{u.intent} -> {p}" for u, p in pairs if u.intent != p)
    by_style = {
        style: sum(u.intent == p for u, p in chosen) / len(chosen)
        for style in STYLES
        if (chosen := [(u, p) for u, p in pairs if u.style == style])
    }
    most = Counter(u.intent for u in rows).most_common(1)
    return {
        "messages": n,
        "accuracy": sum(u.intent == p for u, p in pairs) / n if n else float("nan"),
        "fallback": sum(p == FALLBACK_INTENT for p in predicted) / n if n else float("nan"),
        "floor_most_frequent": most[0][1] / n if most and n else float("nan"),
        "by_style": by_style,
        "confusions": confusions.most_common(12),
        "misses": [(u.text, u.intent, p) for u, p in pairs if u.intent != p],
    }


async def parse_all(model: Path, rows: Sequence[Utterance]) -> tuple[list[str], list[float]]:
    """The intent Rasa gives each message, and the parse time of each in ms."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    intents: list[str] = []
    times: list[float] = []
    for row in rows:
        start = time.perf_counter()
        parsed = await agent.parse_message(row.text)
        times.append((time.perf_counter() - start) * 1000)
        intents.append(str((parsed.get("intent") or {}).get("name") or FALLBACK_INTENT))
    return intents, times


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="default: newest in models/")
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--show-misses", choices=("dev", "none"), default="dev")
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")
    rows = read_heldout(args.heldout)
    model = args.model or latest_model(ROOT / "models")
    intents, times = asyncio.run(parse_all(model, rows))
    report: dict[str, Any] = {"model": model.name, "heldout": str(args.heldout)}
    for split in SPLITS:
        keep = [i for i, r in enumerate(rows) if r.split == split]
        report[split] = summarise([rows[i] for i in keep], [intents[i] for i in keep])
    report["test"].pop("misses")  # the test half is reported, never looked into
    report["parse_ms"] = {"median": percentile(times, 50), "p95": percentile(times, 95)}
    for split in SPLITS:
        figures = {k: v for k, v in report[split].items() if k != "misses"}
        print(f"[{split}] {json.dumps(figures)}")
        if split == "dev" and args.show_misses == "dev":
            for text, expected, got in report[split]["misses"]:
                print(f"  miss: {text!r}: {expected} -> {got}")
    print(f"parse latency ms: {json.dumps(report['parse_ms'])}")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
