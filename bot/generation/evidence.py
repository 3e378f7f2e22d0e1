"""The part of each retrieved passage that the model reads: its lines most related to the question.

On a small CPU the reply's time goes mostly into reading the prompt (about 3 ms per token on two
cores for the 0.5B model), and a product record or a policy section carries many facts the
question is not about, which also tempts a small model to quote the wrong one. So a long passage
is cut to its lines (long lines to their sentences) nearest to the question by embedding
similarity, kept in their own order, within a character budget; its first line (a product's
name and sku, a section's opening) always stays. Short passages (FAQ answers) stay whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from bot.generation.safety import strip_instructions
from bot.knowledge.embedder import Embedder
from bot.knowledge.passages import Passage
from bot.settings import setting_default

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9€\"'(])")


@dataclass(frozen=True)
class EvidenceBudget:
    """Characters of passage text in the prompt: ``first`` for the best passage, ``other`` for
    each further one; a passage up to its budget is kept whole."""

    first: int = setting_default("answer_evidence_chars")
    other: int = setting_default("answer_evidence_other_chars")


def units(text: str, split_longer_than: int = 160) -> list[str]:
    """The lines of ``text``, a line longer than ``split_longer_than`` characters split into its
    sentences (0: every line)."""
    out: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        out.extend(SENTENCE_END.split(line) if len(line) > split_longer_than else [line])
    return out


def select(
    question_vector: np.ndarray,
    pieces: list[str],
    vectors: np.ndarray,
    budget: int,
    keep_first: bool = True,
    most: int | None = None,
) -> list[str]:
    """The first piece (unless ``keep_first`` is off), then the pieces most similar to the
    question while they fit ``budget`` characters (at most ``most`` pieces in all), in their
    original order. Without ``keep_first`` the nearest piece is always kept, however long."""
    return [
        pieces[i]
        for i in select_indices(vectors @ question_vector, pieces, budget, keep_first, most)
    ]


def select_indices(
    scores: np.ndarray,
    pieces: list[str],
    budget: int,
    keep_first: bool = True,
    most: int | None = None,
) -> list[int]:
    """The positions :func:`select` keeps, in their original order, ranked by ``scores`` (each
    piece's similarity to the question)."""
    order = np.argsort(-scores, kind="stable").tolist()
    first = 0 if keep_first else order[0]
    chosen = {first}
    used = len(pieces[first])
    for index in order:
        if most is not None and len(chosen) >= most:
            break
        if index in chosen or used + len(pieces[index]) + 1 > budget:
            continue
        chosen.add(index)
        used += len(pieces[index]) + 1
    return sorted(chosen)


def focus(
    question: str,
    passages: list[Passage],
    embedder: Embedder | None,
    budget: EvidenceBudget | None = None,
) -> list[Passage]:
    """``passages`` with their text cut to what the prompt needs (instructions inside a passage
    removed). Without an embedder, long passages are cut at the budget."""
    budget = budget or EvidenceBudget()
    cleaned = [strip_instructions(p.text) for p in passages]
    limits = [budget.first if i == 0 else budget.other for i in range(len(passages))]
    pieces = [units(text) for text in cleaned]
    long = [i for i, text in enumerate(cleaned) if len(text) > limits[i] and len(pieces[i]) > 1]
    if not long:
        return [replace(p, text=t) for p, t in zip(passages, cleaned, strict=True)]
    if embedder is None:
        return [
            replace(p, text=t[: limits[i]] if i in long else t)
            for i, (p, t) in enumerate(zip(passages, cleaned, strict=True))
        ]
    texts = [question] + [piece for i in long for piece in pieces[i]]
    vectors = np.vstack(
        [embedder.encode(texts[start : start + 8]) for start in range(0, len(texts), 8)]
    )
    question_vector, offset = vectors[0], 1
    focused = []
    for i, (passage, text) in enumerate(zip(passages, cleaned, strict=True)):
        if i not in long:
            focused.append(replace(passage, text=text))
            continue
        count = len(pieces[i])
        kept = select(question_vector, pieces[i], vectors[offset : offset + count], limits[i])
        offset += count
        focused.append(replace(passage, text="\n".join(kept)))
    return focused
