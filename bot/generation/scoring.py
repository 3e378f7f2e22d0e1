"""Whether a sent reply's facts appear in its sources (the answer step's own check, replayed).

The answer benchmark no longer uses this: it judges replies with hand-written key facts
(``benchmarks/judge.py``), independently of the product's code. What is left here is used by
the answer step's tests.
"""

from __future__ import annotations

from bot.generation.grounding import check_grounding
from bot.knowledge.passages import Passage


def final_is_supported(reply: str, sources: list[Passage], question: str = "") -> bool:
    """True when every fact of the reply that was sent appears in its sources (names may also
    come from the question, as in the answer step)."""
    texts = [f"{p.title}\n{p.text}\n{p.url or ''}" for p in sources]
    return check_grounding(reply, texts, require_statement=False, question=question).grounded
