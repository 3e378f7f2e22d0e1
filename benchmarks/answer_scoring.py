"""The answer benchmark's questions and figures: labelled questions with their split and key facts,
each reply judged by :mod:`benchmarks.judge`, the floor (a random wrong passage's text), and the
headline figures of a run (see ``benchmarks/answers.py`` for what each means).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.judge import Verdict, judge
from bot.knowledge.evaluate import read_questions
from bot.knowledge.passages import Passage

SPLITS = ("dev", "test")
FLOOR_SEED = 11


@dataclass(frozen=True)
class Question:
    """A labelled question with its split and key facts."""

    question: str
    expected: tuple[str, ...]  # empty: unanswerable
    split: str
    must: str
    must_not: str

    @property
    def answerable(self) -> bool:
        return bool(self.expected)


@dataclass(frozen=True)
class Scored:
    """One reply, judged."""

    split: str
    answerable: bool
    refused: bool
    correct: bool
    false_statement: bool  # an answer (not a refusal) that is false: see the module docstring
    grounded: bool  # the product's own check passed the generated reply before any fallback
    generated: bool  # the model wrote a reply (not refused, not declined on policy)
    fallback: bool
    latency_ms: float
    new_tokens: int = 0
    gen_seconds: float = 0.0
    too_slow: bool = False  # the model was not asked: no reply would fit the time limit here
    # No knowledge answer, but suggestions from the catalogue (a products card): a product
    # search answered by the recommendations (through Rasa only).
    catalogue_answer: bool = False


def read_labelled(path: Path, known_ids: set[str] | None = None) -> list[Question]:
    """The questions of ``path`` with their split and facts (ids checked by ``read_questions``)."""
    base = read_questions(path, known_ids)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if any((v or "").strip() for v in r.values())]
    if len(rows) != len(base):
        raise ValueError(f"{path}: {len(rows)} rows, but read_questions read {len(base)}")
    out = []
    for q, row in zip(base, rows):
        split = (row.get("split") or "").strip()
        if split not in SPLITS:
            raise ValueError(f"{path}, line {q.line}: split must be dev or test, not {split!r}")
        out.append(
            Question(
                q.question,
                q.expected,
                split,
                (row.get("must") or "").strip(),
                (row.get("must_not") or "").strip(),
            )
        )
    return out


def judged(q: Question, reply: str) -> Verdict:
    """The judge's verdict on ``reply`` (unanswerable questions have no facts)."""
    return judge(reply, q.must, q.must_not)


def floor_passage(q: Question, passages: list[Passage], seed: int = FLOOR_SEED) -> Passage:
    """A random passage that is not among ``q``'s expected ones (the same for a question on
    every run: seeded with the question)."""
    rng = random.Random(f"{seed}:{q.question}")
    expected = set(q.expected)
    while True:
        passage = rng.choice(passages)
        if not passage.names() & expected:
            return passage


def floor_correct(
    questions: list[Question], passages: list[Passage], seed: int = FLOOR_SEED
) -> float:
    """Share of the answerable ``questions`` judged correct when the reply is a random wrong
    passage's text."""
    answerable = [q for q in questions if q.answerable]
    hits = sum(judged(q, floor_passage(q, passages, seed).text).correct for q in answerable)
    return round(hits / len(answerable), 4) if answerable else 0.0


def over_runs(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Median and p95 of each figure over repeated runs."""
    out: dict[str, float] = {}
    for key in runs[0]:
        values = [run[key] for run in runs]
        out[f"{key}_median"] = round(float(np.median(values)), 4)
        out[f"{key}_p95"] = round(float(np.percentile(values, 95)), 4)
    return out


def summarise(scored: list[Scored], floor: float | None = None) -> dict[str, float | int]:
    """The headline figures of one run over one split (rates in 0..1, latencies in ms)."""
    answerable = [s for s in scored if s.answerable]
    unanswerable = [s for s in scored if not s.answerable]
    sent = [s for s in scored if not s.refused]
    sent_answerable = [s for s in sent if s.answerable]
    generated = [s for s in scored if s.generated]
    latencies = [s.latency_ms for s in scored] or [0.0]
    answer_latencies = [s.latency_ms for s in sent] or [0.0]
    seconds = sum(s.gen_seconds for s in generated)

    def rate(items: list[Scored], flag: str) -> float:
        return round(sum(getattr(s, flag) for s in items) / len(items), 4) if items else 0.0

    figures: dict[str, float | int] = {
        "n": len(scored),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "correct": rate(answerable, "correct"),
    }
    if floor is not None:
        figures["floor_correct"] = floor
    figures.update(
        {
            "false_statement": rate(sent, "false_statement"),
            "false_statement_answerable": rate(sent_answerable, "false_statement"),
            "answered_unanswerable": sum(not s.refused for s in unanswerable),
            "refusal_unanswerable": rate(unanswerable, "refused"),
            "refusal_answerable": rate(answerable, "refused"),
            # Neither a knowledge answer nor suggestions from the catalogue.
            "unanswered_answerable": round(
                sum(s.refused and not s.catalogue_answer for s in answerable) / len(answerable), 4
            )
            if answerable
            else 0.0,
            "generated": len(generated),
            "too_slow": sum(s.too_slow for s in scored),
            "grounded_before_fallback": rate(generated, "grounded"),
            "fallback_rate": rate(generated, "fallback"),
            "latency_p50_ms": round(float(np.percentile(latencies, 50)), 1),
            "latency_p95_ms": round(float(np.percentile(latencies, 95)), 1),
            "answer_latency_p50_ms": round(float(np.percentile(answer_latencies, 50)), 1),
            "answer_latency_p95_ms": round(float(np.percentile(answer_latencies, 95)), 1),
            "tokens_per_s": round(sum(s.new_tokens for s in generated) / seconds, 2)
            if seconds
            else 0.0,
        }
    )
    return figures


def by_split(
    scored: list[Scored],
    questions: list[Question],
    passages: list[Passage],
    splits: tuple[str, ...],
) -> dict[str, dict[str, float | int]]:
    """``summarise`` for each of ``splits`` (``all``: every question asked)."""
    out = {}
    for split in splits:
        keep = [i for i, q in enumerate(questions) if split == "all" or q.split == split]
        out[split] = summarise(
            [scored[i] for i in keep], floor_correct([questions[i] for i in keep], passages)
        )
    return out


def pick(questions: list[Question], limit: int | None, seed: int = 7) -> list[Question]:
    """All questions, or ``limit`` of them with the same share of unanswerable ones."""
    if not limit or limit >= len(questions):
        return questions
    rng = random.Random(seed)
    unanswerable = [q for q in questions if not q.expected]
    answerable = [q for q in questions if q.expected]
    k = max(1, round(limit * len(unanswerable) / len(questions)))
    return rng.sample(answerable, limit - k) + rng.sample(unanswerable, k)
