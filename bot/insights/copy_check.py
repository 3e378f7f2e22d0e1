"""The grounding check of a copy draft, claim by claim, as the page shows it.

The draft is checked as a chat reply is (:func:`bot.generation.grounding.check_grounding`: each
claim needs a passage sentence with the same facts, polarity and scope; a catalogue product it
names must be in the evidence), against the products' catalogue passages and the policy passages.
The verdicts are then placed on the draft's sentences, with their offsets, so the page can mark
the unsupported ones where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.generation.grounding import check_grounding
from bot.insights.copy_sources import Evidence

MAX_DRAFT_CHARS = 4000
# Where a sentence ends: after . ! ? and white space, or at a line break.
_PIECE = re.compile(r"[^\n]+?(?:[.!?]+(?=\s|$)|(?=\n)|$)")


@dataclass(frozen=True)
class Problem:
    """Why a claim is not supported: ``kind`` (``fact``, ``scope``, ``property`` …) and reason."""

    kind: str
    reason: str


@dataclass(frozen=True)
class ClaimCheck:
    """One sentence of the draft, where it stands in it, and its verdict.

    Attributes:
        text: The sentence as written.
        start: Offset of its first character in the draft.
        end: Offset after its last character.
        supported: False when the check found a claim of it unsupported.
        problems: The unsupported claims' reasons.
    """

    text: str
    start: int
    end: int
    supported: bool
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class CopyCheck:
    """The verdict on a whole draft."""

    grounded: bool
    claims: list[ClaimCheck]

    @property
    def unsupported(self) -> int:
        """How many sentences hold an unsupported claim."""
        return sum(not c.supported for c in self.claims)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each sentence of ``text`` (surrounding white space left out)."""
    spans = []
    for match in _PIECE.finditer(text):
        piece = match.group(0)
        stripped = piece.strip()
        if stripped:
            start = match.start() + piece.index(stripped)
            spans.append((start, start + len(stripped)))
    return spans


def _home(claim: str, sentences: list[str]) -> int:
    """The sentence that holds ``claim`` (the one sharing most of its words when none holds it
    whole: the check may read a claim with its opening "Yes" removed)."""
    for index, sentence in enumerate(sentences):
        if claim and claim in sentence:
            return index
    words = set(re.findall(r"\w+", claim.lower()))
    shared = [len(words & set(re.findall(r"\w+", s.lower()))) for s in sentences]
    return max(range(len(sentences)), key=lambda i: shared[i])


def check_copy(
    text: str, evidence: Sequence[Evidence], product_names: Iterable[str] = ()
) -> CopyCheck:
    """Checks every claim of the draft ``text`` against ``evidence``.

    Args:
        text: The draft (as generated, composed or edited).
        evidence: The products' catalogue passages and the policy passages.
        product_names: Every catalogue product name (naming another product is flagged).

    Raises:
        ValueError: The draft is empty or longer than :data:`MAX_DRAFT_CHARS`.
    """
    if not text.strip():
        raise ValueError("the draft is empty: write something to check")
    if len(text) > MAX_DRAFT_CHARS:
        raise ValueError(f"the draft has {len(text)} characters; at most {MAX_DRAFT_CHARS}")
    spans = sentence_spans(text)
    sentences = [text[a:b] for a, b in spans]
    result = check_grounding(
        text, [e.checked_text for e in evidence], product_names, require_statement=False
    )
    problems: list[list[Problem]] = [[] for _ in spans]
    for claim in result.claims:
        for part in claim.claim.split(" / "):  # a contradiction names both of its claims
            problems[_home(part, sentences)].append(Problem(claim.kind, claim.reason))
    for kind, what in result.unsupported:
        if kind in ("product", "meta"):  # names and words, not claims: found where they occur
            where = next((i for i, s in enumerate(sentences) if what.lower() in s.lower()), 0)
            reason = (
                f"names {what}, which is not among the chosen products"
                if kind == "product"
                else f"talks about the instructions ({what!r})"
            )
            problems[where].append(Problem(kind, reason))
    claims = [
        ClaimCheck(sentence, a, b, not found, found)
        for sentence, (a, b), found in zip(sentences, spans, problems, strict=True)
    ]
    return CopyCheck(all(c.supported for c in claims), claims)
