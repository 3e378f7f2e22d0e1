"""Scoring answers against labelled questions (``benchmarks/answers.py`` and its regression test).

A question is labelled with the ids of the passages that answer it (empty: unanswerable).
An answer is *correct* when the reply carries a key fact of an expected passage (a number,
amount, date, contact detail… of that passage, or three of its content words; what the
question already says does not count); an unanswerable question is handled correctly when the assistant does not
claim an answer (it refuses, or declines on policy).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.generation.facts import source_facts
from bot.generation.grounding import check_grounding, content_words
from bot.knowledge.passages import Passage


@dataclass(frozen=True)
class Scored:
    """One reply, scored."""

    answerable: bool
    refused: bool
    grounded: bool  # the generated reply passed the check before any fallback
    generated: bool  # the model wrote a reply (not refused, not declined on policy)
    fallback: bool
    unsupported_final: bool  # the reply that was sent holds an unsupported fact
    correct: bool
    latency_ms: float
    new_tokens: int = 0
    gen_seconds: float = 0.0
    too_slow: bool = False  # the model was not asked: no reply would fit the time limit here


def key_facts_present(reply: str, expected: Iterable[Passage], question: str = "") -> bool:
    """True when ``reply`` carries a key fact of one of the ``expected`` passages: one of its
    numbers, amounts, dates, contact details… or, failing that, three of its content words
    (facts and words the question itself holds do not count)."""
    reply_facts = source_facts(reply)
    asked = source_facts(question)
    asked_words = content_words(question)
    for passage in expected:
        facts = source_facts(passage.text)
        pairs = [(k, v) for k, v in facts.items() if v not in getattr(asked, k)]
        if any(value in getattr(reply_facts, kind) for kind, value in pairs):
            return True
        shared = content_words(reply) & content_words(f"{passage.title} {passage.text}") - asked_words
        if len(shared) >= 3:
            return True
    return False


def final_is_supported(reply: str, sources: list[Passage], question: str = "") -> bool:
    """True when every fact of the reply that was sent appears in its sources (names may also
    come from the question, as in the answer step)."""
    texts = [f"{p.title}\n{p.text}\n{p.url or ''}" for p in sources]
    return check_grounding(reply, texts, require_statement=False, question=question).grounded


def summarise(scored: list[Scored]) -> dict[str, float | int]:
    """The headline figures of one run (rates in 0..1, latencies in ms)."""
    answerable = [s for s in scored if s.answerable]
    unanswerable = [s for s in scored if not s.answerable]
    generated = [s for s in scored if s.generated]
    latencies = [s.latency_ms for s in scored] or [0.0]
    answer_latencies = [s.latency_ms for s in scored if not s.refused] or [0.0]
    seconds = sum(s.gen_seconds for s in generated)

    def rate(items: list[Scored], flag: str) -> float:
        return round(sum(getattr(s, flag) for s in items) / len(items), 4) if items else 0.0

    return {
        "n": len(scored), "answerable": len(answerable), "unanswerable": len(unanswerable),
        "generated": len(generated),
        "too_slow": sum(s.too_slow for s in scored),
        "grounded_before_fallback": rate(generated, "grounded"),
        "fallback_rate": rate(generated, "fallback"),
        "unsupported_final": sum(s.unsupported_final for s in scored),
        "correct": rate(answerable, "correct"),
        "refusal_unanswerable": rate(unanswerable, "refused"),
        "refusal_answerable": rate(answerable, "refused"),
        "latency_p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "latency_p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "answer_latency_p50_ms": round(float(np.percentile(answer_latencies, 50)), 1),
        "answer_latency_p95_ms": round(float(np.percentile(answer_latencies, 95)), 1),
        "tokens_per_s": round(sum(s.new_tokens for s in generated) / seconds, 2) if seconds else 0.0,
    }
