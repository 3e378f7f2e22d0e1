"""Grounding benchmark: the judge against hand-labelled replies that a passage does or doesn't support.

Every line of ``evaluation/grounding_pairs.jsonl`` is one reply to a shopper's question with the
passages it was written from, labelled by hand ``unsupported`` (it states something the passages
don't: a flipped "no", a price of another row, "always" for "usually", a channel or promise that
isn't there, ...) or ``supported`` (a faithful reply: paraphrased, reordered, another number
format, a partial answer, a correct "No."). Most unsupported replies have a faithful twin with the
same passages and question (``pair``); a third of the pairs come from two other shops, written in
their own voice, so that the figures aren't tuned to Fernhill's wording. ``kind`` names the style,
``split`` is ``dev`` (to look at while tuning a judge) or ``test`` (to report). For each split it
reports:

- catch rate: unsupported replies judged unsupported;
- pass rate: supported replies judged supported (false-alarm rate: the rest);
- both per kind, beside the floors of the trivial judges ("always supported": catch 0%, pass 100%;
  "always unsupported": catch 100%, pass 0%);
- time per check, median and p95 (ms).

The judge is the assistant's own grounding check, as ``python -m bot verify`` runs it (the check
is what this benchmark measures; it never scores answers). The loader and the scoring don't
import ``bot`` (the unit tests share them):

    .venv/bin/python benchmarks/grounding.py                       # dev, test and all
    .venv/bin/python benchmarks/grounding.py --split dev --misses  # each wrong verdict, with the reasons
    .venv/bin/python benchmarks/grounding.py --json-out /tmp/grounding.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "evaluation" / "grounding_pairs.jsonl"
LABELS = ("unsupported", "supported")
SPLITS = ("dev", "test")
FIELDS = ("id", "passages", "question", "reply", "label", "kind", "split", "note")


@dataclass(frozen=True)
class Verdict:
    """What a judge said of one reply: supported or not, with its reasons (and how long it took)."""

    supported: bool
    reasons: list[str] = field(default_factory=list)
    ms: float = 0.0


Judge = Callable[[str, list[str], str], Verdict]


def load_pairs(path: Path | str = PAIRS) -> list[dict[str, Any]]:
    """The labelled replies, one dict per line of the JSONL file (blank lines skipped).

    Raises:
        ValueError: A line that isn't a JSON object (with its line number).
    """
    pairs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: invalid JSON ({error.msg})") from error
        if not isinstance(value, dict):
            raise ValueError(f"{path}:{number}: expected a JSON object")
        pairs.append(value)
    return pairs


def in_split(pairs: list[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    """The pairs of ``split`` (``all``: every pair)."""
    return list(pairs) if split == "all" else [p for p in pairs if p["split"] == split]


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _percentile(values: list[float], share: float) -> float | None:
    """Linear-interpolated percentile (as numpy's default), without numpy."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 2)


def score(pairs: list[dict[str, Any]], verdicts: dict[str, Verdict]) -> dict[str, Any]:
    """Catch rate, pass rate, false alarms and time per check of ``verdicts`` (by pair id), overall
    and per kind, with the floors of the two trivial judges."""
    unsupported = [p for p in pairs if p["label"] == "unsupported"]
    supported = [p for p in pairs if p["label"] == "supported"]
    caught = sum(not verdicts[p["id"]].supported for p in unsupported)
    passed = sum(verdicts[p["id"]].supported for p in supported)
    kinds: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        row = kinds.setdefault(pair["kind"], {"label": pair["label"], "n": 0, "right": 0})
        row["n"] += 1
        row["right"] += verdicts[pair["id"]].supported == (pair["label"] == "supported")
    for row in kinds.values():
        row["rate"] = _rate(
            row["right"], row["n"]
        )  # catch rate of an unsupported kind, pass rate of a faithful one
    times = [verdicts[p["id"]].ms for p in pairs]
    return {
        "n_unsupported": len(unsupported),
        "n_supported": len(supported),
        "catch_rate": _rate(caught, len(unsupported)),
        "pass_rate": _rate(passed, len(supported)),
        "false_alarm_rate": _rate(len(supported) - passed, len(supported)),
        "ms_median": _percentile(times, 0.5),
        "ms_p95": _percentile(times, 0.95),
        "kinds": dict(sorted(kinds.items(), key=lambda item: (item[1]["label"], item[0]))),
        "floors": {
            "always_supported": {
                "catch_rate": 0.0 if unsupported else None,
                "pass_rate": 1.0 if supported else None,
            },
            "always_unsupported": {
                "catch_rate": 1.0 if unsupported else None,
                "pass_rate": 0.0 if supported else None,
            },
        },
    }


def make_judge() -> Judge:
    """The assistant's grounding check, as ``python -m bot verify`` runs it."""
    from bot.generation.verify_cli import judge as verify

    def judge(reply: str, passages: list[str], question: str) -> Verdict:
        record = verify(reply, passages, question)
        return Verdict(
            bool(record["supported"]),
            [f"{u['claim']} ({u['reason']})" for u in record["unsupported"]],
        )

    return judge


def run(judge: Judge, pairs: list[dict[str, Any]]) -> dict[str, Verdict]:
    """The judge's verdict on every pair, timed (one untimed call first, to load what it loads)."""
    if pairs:
        judge(pairs[0]["reply"], pairs[0]["passages"], pairs[0].get("question", ""))
    verdicts = {}
    for pair in pairs:
        start = time.perf_counter()
        verdict = judge(pair["reply"], pair["passages"], pair.get("question", ""))
        ms = (time.perf_counter() - start) * 1000
        verdicts[pair["id"]] = Verdict(verdict.supported, verdict.reasons, round(ms, 3))
    return verdicts


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value * 100:5.1f}%"


def report(split: str, figures: dict[str, Any]) -> str:
    """The figures of one split as text."""
    floors = figures["floors"]
    lines = [
        f"== {split}: {figures['n_unsupported']} unsupported, {figures['n_supported']} supported",
        f"catch rate {_pct(figures['catch_rate'])}   pass rate {_pct(figures['pass_rate'])}   "
        f"false alarms {_pct(figures['false_alarm_rate'])}   "
        f"time per check median {figures['ms_median']} ms, p95 {figures['ms_p95']} ms",
        f"floors: always supported: catch {_pct(floors['always_supported']['catch_rate'])}, "
        f"pass {_pct(floors['always_supported']['pass_rate'])};   always unsupported: catch "
        f"{_pct(floors['always_unsupported']['catch_rate'])}, pass {_pct(floors['always_unsupported']['pass_rate'])}",
        f"{'kind':<28}{'label':<13}{'n':>4}  {'right':>5}  rate (catch / pass)",
    ]
    for kind, row in figures["kinds"].items():
        lines.append(
            f"{kind:<28}{row['label']:<13}{row['n']:>4}  {row['right']:>5}  {_pct(row['rate'])}"
        )
    return "\n".join(lines)


def misses(pairs: list[dict[str, Any]], verdicts: dict[str, Verdict]) -> str:
    """Each wrong verdict: the pair, what the label says and the reasons the judge gave."""
    lines = []
    for pair in pairs:
        verdict = verdicts[pair["id"]]
        if verdict.supported == (pair["label"] == "supported"):
            continue
        said = "supported" if verdict.supported else "unsupported"
        lines.append(
            f"{pair['id']} [{pair['split']}] {pair['kind']}: labelled {pair['label']}, judged {said}"
        )
        lines.append(f"  Q: {pair.get('question', '')}")
        lines.append(f"  reply: {pair['reply']}")
        lines.append(f"  note: {pair['note']}")
        for reason in verdict.reasons or ["(no reason given)"]:
            lines.append(f"  judge: {reason}")
    return "\n".join(lines) if lines else "(no wrong verdicts)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--split", choices=("dev", "test", "all"), help="one split (default: dev, test and all)"
    )
    parser.add_argument(
        "--misses", action="store_true", help="print each wrong verdict with the judge's reasons"
    )
    parser.add_argument(
        "--json-out", type=Path, help="write the figures and every verdict to this file"
    )
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="the labelled file")
    args = parser.parse_args(argv)

    pairs = load_pairs(args.pairs)
    splits = [args.split] if args.split else ["dev", "test", "all"]
    selected = in_split(pairs, "all" if "all" in splits else splits[0])
    judge = make_judge()
    verdicts = run(judge, selected)
    resolved = args.pairs.resolve()
    shown = resolved.relative_to(ROOT) if resolved.is_relative_to(ROOT) else args.pairs
    print(
        f"judge: the grounding check (python -m bot verify); {len(selected)} replies from {shown}"
    )
    figures = {split: score(in_split(selected, split), verdicts) for split in splits}
    for split in splits:
        print()
        print(report(split, figures[split]))
    if args.misses:
        print()
        print(misses(selected, verdicts))
    if args.json_out:
        args.json_out.write_text(
            json.dumps(
                {
                    "judge": "bot verify",
                    "splits": figures,
                    "verdicts": [
                        {"id": pid, "supported": v.supported, "reasons": v.reasons, "ms": v.ms}
                        for pid, v in verdicts.items()
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
