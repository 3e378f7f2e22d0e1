"""Empathy benchmark: does the first reply of an order task acknowledge an upset shopper, and
leave a calm one alone?

Messages: ``evaluation/task_moods.csv`` (``text,label,task,split``; ``label`` is ``upset`` or
``calm``, judged by a person before the detector was run on them; ``split``: tune on ``dev``,
report ``test``). Each message is given to the order task's first question
(:func:`bot.conversation.empathy.ask_order_number`, what ``action_ask_order_form_order_id``
sends); an acknowledged reply is one that is not the plain question. Figures per split:

- ``acknowledged``: share of upset messages whose first reply acknowledges the trouble;
- ``over_apologised``: share of calm messages that got an apology anyway;
- ``distinct_openings``: how many different acknowledgements the upset messages got.

    PYTHONPATH=. .venv/bin/python benchmarks/empathy.py
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from bot.conversation.empathy import ask_order_number

ROOT = Path(__file__).resolve().parents[1]


def score(path: Path) -> dict[str, dict[str, float | int]]:
    """The figures of every split (and ``all``) of the labelled messages in ``path``."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    out: dict[str, dict[str, float | int]] = {}
    for split in ("dev", "test", "all"):
        keep = [r for r in rows if split in ("all", r["split"])]
        replies = [(r["label"], ask_order_number(r["text"], r["task"])) for r in keep]
        upset = [reply for label, reply in replies if label == "upset"]
        calm = [reply for label, reply in replies if label == "calm"]
        out[split] = {
            "upset": len(upset),
            "calm": len(calm),
            "acknowledged": round(sum(r is not None for r in upset) / max(len(upset), 1), 3),
            "over_apologised": round(sum(r is not None for r in calm) / max(len(calm), 1), 3),
            "distinct_openings": len({r.split(" — ")[0] for r in upset if r}),
        }
    return out


def main(argv: list[str] | None = None) -> dict[str, dict[str, float | int]]:
    """Prints the figures as JSON and returns them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=Path, default=ROOT / "evaluation" / "task_moods.csv")
    figures = score(parser.parse_args(argv).messages)
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
