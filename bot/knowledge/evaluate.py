"""Evaluation of a retriever on labelled questions: recall@k, MRR, no-answer quality, latency.

The file has columns ``question,expected_id``. An empty ``expected_id`` means the knowledge
base cannot answer the question; several ids separated by ``|`` mean any of them is right
(a FAQ entry and a policy section often answer the same question). Optional columns ``style``
(how the question is worded: ``keywords``, ``typos``, ``story``…) and ``split`` (``dev`` to tune
on, ``test`` to report) let one file hold a held-out half (``kb eval --split test``).
"""

from __future__ import annotations

import csv
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from bot.knowledge.errors import IngestError
from bot.knowledge.ingest import decode_utf8
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import RetrievedPassage, Retriever


@dataclass(frozen=True)
class LabelledQuestion:
    """One row of an evaluation file."""

    question: str
    expected: tuple[str, ...]  # empty: unanswerable
    line: int
    style: str = ""
    split: str = ""


@dataclass
class EvalReport:
    """The figures of one evaluation run (rates in 0..1, latencies in milliseconds)."""

    recall_at_1: float
    recall_at_5: float
    mrr: float
    no_answer_precision: float
    no_answer_recall: float
    latency_p50_ms: float
    latency_p95_ms: float
    n: int
    answerable: int = 0
    unanswerable: int = 0
    in_scope_right: float = 0.0
    out_of_scope_turned_away: float = 0.0
    by_style: dict[str, dict[str, float]] = field(default_factory=dict)
    misses: list[dict[str, object]] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        """The headline figures, as ``kb eval --json`` prints them (without the per-style ones)."""
        data = asdict(self)
        data.pop("misses")
        data.pop("by_style")
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in data.items()}


def read_questions(path: Path, known_ids: set[str] | None = None) -> list[LabelledQuestion]:
    """The labelled questions of a CSV file.

    Args:
        path: CSV with a header ``question,expected_id`` (and optionally ``style``, ``split``).
        known_ids: Ids (and aliases) in the index; an expected id outside them is an error.

    Raises:
        IngestError: The file is missing, not UTF-8, lacks the columns, has an empty question
            or names an id the index does not have (with the line at fault).
    """
    if not path.is_file():
        raise IngestError(path, "no such file")
    text = decode_utf8(path.read_bytes(), path)
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    rows: list[LabelledQuestion] = []
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if "question" not in header or "expected_id" not in header:
            raise IngestError(
                path, f"expected the columns question,expected_id; found {header}", line=1
            )
        q_col, id_col = header.index("question"), header.index("expected_id")
        style_col = header.index("style") if "style" in header else None
        split_col = header.index("split") if "split" in header else None
        start = 2
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise IngestError(
                    path, f"expected {len(header)} fields, found {len(row)}", line=line
                )
            question = row[q_col].strip()
            if not question:
                raise IngestError(path, "empty question", line=line)
            expected = tuple(i.strip() for i in row[id_col].split("|") if i.strip())
            unknown = [i for i in expected if known_ids is not None and i not in known_ids]
            if unknown:
                raise IngestError(
                    path, f"unknown passage id {unknown[0]!r} (not in the index)", line=line
                )
            style = row[style_col].strip() if style_col is not None else ""
            split = row[split_col].strip() if split_col is not None else ""
            rows.append(LabelledQuestion(question, expected, line, style, split))
    except csv.Error as error:
        raise IngestError(path, f"malformed CSV ({error})", line=reader.line_num) from error
    if not rows:
        raise IngestError(path, "no questions in the file")
    return rows


def select(
    questions: list[LabelledQuestion], split: str | None = None, style: str | None = None
) -> list[LabelledQuestion]:
    """The questions of one split and/or style (``None``: any).

    Raises:
        ValueError: No question has that split or style.
    """
    chosen = [
        q
        for q in questions
        if (split is None or q.split == split) and (style is None or q.style == style)
    ]
    if not chosen:
        raise ValueError(f"no questions with split={split!r} style={style!r}")
    return chosen


def known_ids(passages: list[Passage]) -> set[str]:
    """Every id and alias of ``passages``."""
    return {name for p in passages for name in p.names()}


def _rank(results: list[RetrievedPassage], expected: tuple[str, ...]) -> int | None:
    """1-based rank of the first result any expected id names, else None."""
    for rank, result in enumerate(results, start=1):
        if result.passage.names() & set(expected):
            return rank
    return None


def evaluate(retriever: Retriever, questions: list[LabelledQuestion], k: int = 5) -> EvalReport:
    """Runs every question through ``retriever`` and computes the figures.

    Recall@k and MRR are over answerable questions (a question answered with nothing counts
    as a miss). No-answer precision: of the questions that got nothing, the share that were
    unanswerable; no-answer recall: of the unanswerable questions, the share that got nothing.
    ``in_scope_right`` is the share of answerable questions answered with a right passage first
    (recall@1, a question turned away counting as wrong); ``out_of_scope_turned_away`` equals
    the no-answer recall. ``by_style`` gives them per style (recall@1 of the answerable,
    turned-away share of the unanswerable).
    """
    ranks: list[int | None] = []
    styles: dict[str, list[float]] = {}
    latencies: list[float] = []
    empty_and_unanswerable = empty = unanswerable = 0
    misses: list[dict[str, object]] = []
    for item in questions:
        started = time.perf_counter()
        results = retriever.retrieve(item.question, k=k)
        latencies.append((time.perf_counter() - started) * 1000)
        top = results[0].passage.id if results else None
        if not results:
            empty += 1
        if not item.expected:
            unanswerable += 1
            empty_and_unanswerable += not results
            styles.setdefault(item.style or "unanswerable", []).append(float(not results))
            if results:
                misses.append(
                    {"line": item.line, "question": item.question, "expected": None, "got": top}
                )
            continue
        rank = _rank(results, item.expected)
        ranks.append(rank)
        styles.setdefault(item.style or "answerable", []).append(float(rank == 1))
        if rank != 1:
            misses.append(
                {
                    "line": item.line,
                    "question": item.question,
                    "expected": "|".join(item.expected),
                    "got": top,
                    "rank": rank,
                }
            )
    answerable = len(ranks) or 1
    recall_at_1 = sum(r == 1 for r in ranks) / answerable
    no_answer_recall = empty_and_unanswerable / unanswerable if unanswerable else 1.0
    return EvalReport(
        recall_at_1=recall_at_1,
        recall_at_5=sum(r is not None and r <= 5 for r in ranks) / answerable,
        mrr=sum(1 / r for r in ranks if r) / answerable,
        no_answer_precision=empty_and_unanswerable / empty if empty else 1.0,
        no_answer_recall=no_answer_recall,
        latency_p50_ms=float(np.percentile(latencies, 50)),
        latency_p95_ms=float(np.percentile(latencies, 95)),
        n=len(questions),
        answerable=len(ranks),
        unanswerable=unanswerable,
        in_scope_right=recall_at_1,
        out_of_scope_turned_away=no_answer_recall,
        by_style={
            style: {"n": len(v), "rate": sum(v) / len(v)} for style, v in sorted(styles.items())
        },
        misses=misses,
    )
