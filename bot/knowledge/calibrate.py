"""Calibrating the no-answer threshold on labelled questions (answerable and unanswerable).

Procedure (``python -m bot kb calibrate FILE.csv [FILE.csv …] [--split dev]``): every question
is scored without a threshold; the threshold is then set as high as possible while at most
``max_lost`` of the answerable questions that the retriever gets right (expected passage in the
top 5) would be turned away, and the no-answer precision stays at or above ``min_precision``.
The sweep also shows, per threshold, the share of answerable questions answered with a right
passage first and the share of unanswerable ones turned away. Use questions other than the ones
you report figures on (for the shop: ``evaluation/knowledge_calibration.csv``,
``evaluation/knowledge_questions.csv`` and the ``dev`` half of ``evaluation/retrieval_heldout.csv``,
never its ``test`` half), and set the result as
``FERNHILL_RETRIEVAL_MIN_CONFIDENCE``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.knowledge.evaluate import LabelledQuestion
from bot.knowledge.retrieve import HybridRetriever


@dataclass
class Calibration:
    """The chosen threshold and the sweep it came from.

    ``rows``: threshold, share of found answerable questions lost, no-answer precision,
    no-answer recall (= unanswerable turned away), answerable answered right at rank 1.
    """

    threshold: float
    rows: list[tuple[float, float, float, float, float]] = field(default_factory=list)

    def table(self) -> list[str]:
        """The sweep as lines for people."""
        lines = [
            "threshold  answerable-lost  no-answer-precision  no-answer-recall  answered-right"
        ]
        for threshold, lost, precision, recall, right in self.rows:
            mark = "  <-" if abs(threshold - self.threshold) < 1e-9 else ""
            lines.append(
                f"{threshold:9.3f}  {lost:15.3f}  {precision:19.3f}  {recall:16.3f}  {right:14.3f}{mark}"
            )
        return lines


def calibrate(
    retriever: HybridRetriever,
    questions: list[LabelledQuestion],
    *,
    min_precision: float = 0.9,
    max_lost: float = 0.02,
    k: int = 5,
) -> Calibration:
    """Chooses the no-answer threshold for ``retriever`` on ``questions`` (see module doc)."""
    found: list[float] = []  # confidence of answerable questions answered within top k
    first: list[float] = []  # confidence of answerable questions, -inf where rank 1 is wrong
    unanswerable: list[float] = []
    for item in questions:
        results = retriever.score(item.question)
        confidence = results[0].confidence if results else 0.0
        if not item.expected:
            unanswerable.append(confidence)
            continue
        right_first = bool(results) and bool(results[0].passage.names() & set(item.expected))
        first.append(confidence if right_first else -np.inf)
        if any(r.passage.names() & set(item.expected) for r in results[:k]):
            found.append(confidence)
    if not found:
        raise ValueError("calibration needs answerable questions that the retriever finds")
    answerable = np.array(found)
    right = np.array(first)
    negatives = np.array(unanswerable) if unanswerable else np.zeros(0)
    candidates = np.round(np.arange(0.20, 0.80, 0.005), 3)
    rows, best = [], float(candidates[0])
    for threshold in candidates:
        lost = float((answerable < threshold).mean())
        rejected = int((negatives < threshold).sum())
        turned_away = rejected + int((answerable < threshold).sum())
        precision = rejected / turned_away if turned_away else 1.0
        recall = rejected / len(negatives) if len(negatives) else 1.0
        answered_right = float((right >= threshold).mean()) if len(right) else 0.0
        rows.append((float(threshold), lost, precision, recall, answered_right))
        if lost <= max_lost and precision >= min_precision:
            best = float(threshold)
    shown = [r for r in rows if abs(r[0] * 100 % 2) < 1e-6 or r[0] == best]
    return Calibration(best, shown)
