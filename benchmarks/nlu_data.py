"""Public intent data for the NLU benchmark (``benchmarks/nlu.py``): BANKING77 and CLINC150 read
from ``FERNHILL_DATASETS`` (default /work/shared/datasets), sampled few-shot with a fixed seed,
and written as Rasa NLU training data."""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = Path(os.environ.get("FERNHILL_DATASETS", "/work/shared/datasets"))
OOS_LABEL = "oos"

Example = tuple[str, str]  # (text, label)


def _clean(text: str) -> str:
    text = " ".join(str(text).split())
    # Rasa's YAML reader reads "[x](entity)", "[x]{...}" as entity annotations
    if re.search(r"\][\(\{\[]", text):
        text = text.replace("[", "(").replace("]", ")")
    return text


def _dedupe(examples: Sequence[Example]) -> list[Example]:
    """Drops repeated texts (first label wins) so Rasa never sees conflicting examples."""
    seen, out = set(), []
    for text, label in examples:
        key = text.lower()
        if text and key not in seen:
            seen.add(key)
            out.append((text, label))
    return out


def _sample_per_label(
    examples: Sequence[Example], per_label: int | None, rng: random.Random
) -> list[Example]:
    by_label: dict[str, list[str]] = defaultdict(list)
    for text, label in examples:
        by_label[label].append(text)
    out: list[Example] = []
    for label in sorted(by_label):
        texts = sorted(set(by_label[label]))
        if per_label is not None and per_label < len(texts):
            texts = rng.sample(texts, per_label)
        out.extend((t, label) for t in texts)
    return out


def load_dataset(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Returns {'train': [...], 'test': [...], 'has_oos': bool} sampled per the options."""
    rng = random.Random(f"{args.seed}-{name}")
    per_intent = None if args.full else args.per_intent
    test_per_intent = None if args.full else args.test_per_intent
    data_dir = Path(args.data_dir)
    if name == "banking77":

        def read(split: str) -> list[Example]:
            with open(data_dir / "banking77" / f"{split}.csv", newline="", encoding="utf-8") as f:
                return [(_clean(r["text"]), r["category"]) for r in csv.DictReader(f)]

        train_all, test_all = read("train"), read("test")
        oos_train: list[Example] = []
        oos_test: list[Example] = []
        has_oos = False
    elif name == "clinc150":
        raw = json.loads((data_dir / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
        conv = lambda split: [(_clean(t), label) for t, label in raw[split]]  # noqa: E731
        train_all, test_all = conv("train"), conv("test")
        oos_train = [(t, OOS_LABEL) for t, _ in conv("oos_train")]
        oos_test = [(t, OOS_LABEL) for t, _ in conv("oos_test")]
        has_oos = True
    else:
        raise SystemExit(f"unknown dataset {name!r} (banking77, clinc150)")

    labels = sorted({label for _, label in train_all})
    if args.max_intents and args.max_intents < len(labels):
        labels = sorted(rng.sample(labels, args.max_intents))
    keep = set(labels)
    train_all = [e for e in train_all if e[1] in keep]
    test_all = [e for e in test_all if e[1] in keep]

    train = _sample_per_label(train_all, per_intent, rng)
    test = _sample_per_label(test_all, test_per_intent, rng)
    if has_oos:
        n_oos_train = len(oos_train) if args.full else min(args.oos_train, len(oos_train))
        train += rng.sample(sorted(set(oos_train)), n_oos_train) if n_oos_train else []
        if args.full:
            n_oos_test = len(oos_test)
        elif args.oos_test is not None:
            n_oos_test = min(args.oos_test, len(oos_test))
        else:  # same fraction of oos_test as of the in-scope test set
            n_oos_test = round(len(oos_test) * len(test) / max(len(test_all), 1))
        test += rng.sample(sorted(set(oos_test)), n_oos_test) if n_oos_test else []
    train = _dedupe(train)
    return {"name": name, "train": train, "test": test, "has_oos": has_oos}


def write_rasa_nlu_yaml(examples: Sequence[Example], path: Path) -> None:
    by_label: dict[str, list[str]] = defaultdict(list)
    for text, label in examples:
        by_label[label].append(text)
    lines = ['version: "3.1"', "nlu:"]
    for label in sorted(by_label):
        lines.append(f"- intent: {label}")
        lines.append("  examples: |")
        lines.extend(f"    - {t}" for t in by_label[label])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
