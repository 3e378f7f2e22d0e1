"""The ``hybrid`` mode's opening: the model's "Yes."/"No." (or a short "Not …" clause) may lead the
composed sentences when the passage sentence nearest the question reads the same way."""

from __future__ import annotations

import re

from bot.generation.compose import SHORT_CLAUSE_WORDS, Composition
from bot.generation.safety import sentences

NEGATION = re.compile(r"\b(?:no|not|never|cannot|none|nor|neither|nothing)\b|n't\b", re.I)


def polarity(text: str) -> str:
    """``no`` when ``text`` holds a negation, else ``yes`` (a crude reading of one sentence)."""
    return "no" if NEGATION.search(text) else "yes"


def direct_opening(reply: str) -> tuple[str, str] | None:
    """(opening, polarity) of a generated reply: "Yes."/"No." when it starts with one, or its
    first sentence when that is a short clause starting with "Not" ("Not for final sale items.");
    None otherwise."""
    said = re.match(r"^\W*(yes|no)\b", reply, re.I)
    if said:
        return f"{said.group(1).capitalize()}.", said.group(1).lower()
    first = (sentences(reply) or [""])[0].strip()
    if (
        re.match(r"^not\b", first, re.I)
        and len(first.split()) <= SHORT_CLAUSE_WORDS
        and first[-1:] == "."
    ):
        return first, "no"
    return None


def opening_agrees(opening_polarity: str, composition: Composition, question: str) -> bool:
    """True when a yes/no opening may lead ``composition``: the passage does not already answer
    with its own verdict, the question holds no negation of its own ("can't I …?" makes "yes"
    ambiguous), and the passage sentence nearest the question, and the first one sent, have the
    same polarity."""
    if composition.verdict_kept or NEGATION.search(question) or not composition.pieces:
        return False
    # The sentence that follows the opening must read the same way too ("Yes. Orders to the USA
    # never ship free." answers nothing plainly).
    return polarity(composition.nearest) == opening_polarity == polarity(composition.pieces[0])
