"""The test halves of the evaluation sets stay out of the shop's NLU training data: no message of
five words or more from a test half is a training example (case, punctuation and entity
annotations aside). Short phrases ("where is my order", "forget it") are what everyone writes,
so they are not counted."""

from __future__ import annotations

import csv
import json
import re

import pytest
import yaml

from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit
EVALUATION = PROJECT_ROOT / "evaluation"
MIN_WORDS = 5


def normalised(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}", r"\1\2", text)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def training_examples() -> set[str]:
    examples = set()
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(item.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    examples.add(normalised(line.strip()[2:]))
    return examples


def messages_of_test_halves() -> list[tuple[str, str]]:
    """(where, message) for every user message of a test half."""
    found: list[tuple[str, str]] = []
    for name, column in [
        ("knowledge_questions.csv", "question"),
        ("nlu_heldout.csv", "text"),
        ("retrieval_heldout.csv", "question"),
        ("task_moods.csv", "text"),
    ]:
        with (EVALUATION / name).open(encoding="utf-8") as file:
            found += [(name, r[column]) for r in csv.DictReader(file) if r["split"] == "test"]
    for line in (EVALUATION / "recommendations.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["split"] == "test":
            found += [(row["id"], turn) for turn in row["turns"]]
    for line in (EVALUATION / "conversations.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["split"] == "test":
            found += [(row["name"], turn["user"]) for turn in row["turns"]]
    return found


def test_the_test_halves_are_not_training_examples():
    messages = messages_of_test_halves()
    assert len(messages) > 100  # the sets are read
    examples = training_examples()
    copied = [
        (where, text)
        for where, text in messages
        if len(normalised(text).split()) >= MIN_WORDS and normalised(text) in examples
    ]
    assert not copied, f"test-half messages in data/nlu (reword or remove them): {copied}"
