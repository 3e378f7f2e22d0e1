"""Claims wider than their passage, promises and names it does not hold, values of another row.

Parts of the claim check (:mod:`bot.generation.claims`): a widening word or a dropped narrowing
(a hedge, a condition, the amount something is free from, a cap, where a "Yes" applies); a
promise, product property, place or channel the claim's passage does not hold; another value of
the claim's kind in a piece clearly more about the claim (the €3.95 of standard shipping claimed
for express).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.generation.claim_facts import ALIASES, Fact, holds
from bot.generation.claim_lexicon import FREE_FROM, PLACES, PROMISES, PROPERTIES
from bot.generation.claim_pairing import items
from bot.generation.claim_support import Passages, Support, facts_of
from bot.generation.claim_text import (
    Claim,
    content_stems,
    growth_words,
    hedges,
    negated,
    unit_stems,
)

# A piece this much more about the claim than its support, stating another value, contradicts it.
RIVAL_MARGIN = 0.15
NUMERIC = ("money", "number", "percent", "time", "date")
COUNTRIES = frozenset(group[0] for group in ALIASES)
PLACE_AFTER = re.compile(r"\b(?i:in|within|across)\s+(?:the\s+)?([A-Z][a-z]{2,})\b")
UP_TO = re.compile(
    r"\b(?:up to|capped at|a maximum of|at most|max\.?)\s*[€$£]?\s*(\d[\d.,]*\d|\d)", re.I
)


@dataclass(frozen=True)
class UnsupportedClaim:
    """A claim the passages do not support, and why."""

    claim: str
    reason: str
    kind: str = "unsupported"


def places(text: str) -> set[str]:
    """Countries and capitalised places after "in", "to", "within", "across" in ``text``."""
    found = {f.value for f in facts_of(text, True) if f.kind == "name" and f.value in COUNTRIES}
    found |= {m.group(1).lower() for m in PLACE_AFTER.finditer(text)}
    return found


def narrowings(
    claim: Claim,
    said: str,
    beside: str,
    restricting: str,
    nearby: str,
    support: Support,
    facts: list[Fact],
    question: str,
    reply: str,
) -> list[UnsupportedClaim]:
    """A claim wider than its passage: a widening word, a narrowing left out (a hedge, a
    condition, the amount it is free from, a cap, where a "Yes" applies)."""
    text = claim.text
    problems = []
    wider = growth_words(text) - growth_words(f"{said} {support.context}")
    if wider:
        problems.append(
            UnsupportedClaim(
                text, f"says {', '.join(sorted(wider))}; the passage does not", "scope"
            )
        )
    # A widening the passage itself narrows at once ("cancel it any time before the 20th"):
    # said without the condition, it is wider than the passage.
    for word in sorted(growth_words(text) & growth_words(said)):
        bound = re.search(
            rf"\b{re.escape(word)}\W+(?:\w+\W+){{0,2}}?(?:before|if|unless|once|until)\b",
            said,
            re.I,
        )
        if bound and "condition" not in hedges(reply):
            problems.append(
                UnsupportedClaim(text, f"leaves out the passage's {bound.group(0)!r}", "scope")
            )
            break
    stems = content_stems(text)
    # The claim keeps a narrowing when its sentence does ("order before 22:00 …, and it arrives
    # the next business day": the second clause rests on the first one's condition).
    numbers = frozenset(f.value for f in facts if f.kind in NUMERIC)
    narrowing = (
        hedges(said, stems, numbers=numbers)
        | hedges(beside, stems, shared=2, numbers=numbers)
        | hedges(restricting)
    )
    dropped = narrowing - hedges(reply)  # a narrowing said anywhere in the reply is kept
    if dropped:
        problems.append(
            UnsupportedClaim(
                text, f"leaves out the passage's {sorted(dropped)[0]!r}: {said[:160]!r}", "scope"
            )
        )
    threshold = FREE_FROM.search(f"{said} {nearby}")
    if (
        threshold
        and re.search(r"\bfree\b", text, re.I)
        and not negated(text)
        and not any(f.kind == "money" for f in facts)
    ):
        problems.append(
            UnsupportedClaim(
                text, f"leaves out from what amount it is free: {threshold.group(0)!r}", "scope"
            )
        )
    # A cap in a list item about something else bounds that ("weighs 14.2 kg and carries up to
    # 120 kg": the claim about the weight keeps no cap of the load).
    caps = [
        c
        for c in UP_TO.finditer(said)
        if not any(
            c.group(0) in item and content_stems(item) - unit_stems() - stems
            for _, item in items(said)
        )
    ]
    cap = caps[0] if caps else None
    if (
        cap
        and any(f.kind in NUMERIC for f in facts)
        and not UP_TO.search(text)  # the claim keeps a cap of its own
        and all(c.group(1) not in text for c in caps)
    ):
        problems.append(
            UnsupportedClaim(text, f"leaves out the passage's cap {cap.group(0)!r}", "scope")
        )
    elif not UP_TO.search(reply):  # the cap's own amount stated as a fixed one ("a €300 voucher")
        values = {f.value for f in facts if f.kind in NUMERIC}
        capped = [
            c
            for c in UP_TO.finditer(f"{said} {support.text}")
            if c.group(1).replace(",", "").rstrip(".") in values
        ]
        if capped:
            problems.append(
                UnsupportedClaim(
                    text, f"leaves out the passage's cap {capped[0].group(0)!r}", "scope"
                )
            )
    stated = places(said)
    where = stated - places(f"{claim.sentence} {text} {question}")
    if claim.verdict == "yes" and where and where == stated and not negated(text):
        problems.append(
            UnsupportedClaim(
                text,
                f"leaves out where this applies ({', '.join(sorted(where))}): {said[:160]!r}",
                "scope",
            )
        )
    return problems


def promises_and_names(
    text: str, support: Support, nearby: str, known: Passages
) -> list[UnsupportedClaim]:
    """Product properties and promises the claim's passage does not hold; places and channels
    no passage names."""
    problems = []
    record = f"{support.text} {support.context}".lower()
    for word in {m.group(0).lower() for m in PROPERTIES.finditer(text)}:
        if word not in record:
            problems.append(
                UnsupportedClaim(text, f"says {word!r}; its passage does not", "property")
            )
    for promise in {m.group(0).lower() for m in PROMISES.finditer(text)}:
        if promise.startswith("includ") and negated(text):
            continue  # "parts not included" promises nothing
        if promise[:5] not in nearby and not (
            promise.startswith("weekend") and re.search(r"\b(?:saturday|sunday)", nearby)
        ):  # "at the weekend" where the passage names Saturday or Sunday
            problems.append(
                UnsupportedClaim(
                    text, f"promises {promise!r}; its passage sentence does not", "promise"
                )
            )
    for place in {m.group(0).lower() for m in PLACES.finditer(text)}:
        if place not in known.lowered:
            problems.append(
                UnsupportedClaim(text, f"names {place!r}, which no passage does", "place")
            )
    return problems


def rival(
    fact: Fact,
    known: Passages,
    wanted: dict[str, float],
    own: dict[str, float],
    claimed: list[Fact],
) -> tuple[str, str] | None:
    """Another value of ``fact``'s kind in a passage piece clearly more about the claim than any
    piece stating ``fact`` (the €3.95 of standard shipping claimed for express): closer on all the
    claim's words by the margin, at least as close on the claim's own words, and holding one of
    them that the fact's best piece lacks. A table row stating all the claim's numbers is such a
    piece; a cell of the fact's row that is clearly more about the claim takes the fact from it
    (the €4.95 of "cancel" claimed for "change the address")."""
    single = [
        s for s in known.supports if s.single and s.kind != "row"
    ]  # a table's cells, not its rows
    cells = [s for s in single if holds(fact, list(s.facts))]
    numbers = [f for f in claimed if f.kind in NUMERIC]
    rows = [
        s
        for s in known.supports
        if s.kind == "row" and all(holds(f, list(s.facts)) for f in numbers)
    ]
    holding = cells + rows
    if not cells:
        return None
    best = max(holding, key=lambda s: known.score(s, wanted))
    bar = known.score(best, wanted) + RIVAL_MARGIN
    own_bar = max(known.score(s, own) for s in holding) if own else 0.0
    cell_bar = max(known.score(s, wanted) for s in cells) + RIVAL_MARGIN
    own_rows = {(s.passage, s.positions) for s in cells if s.kind == "cell"}
    for piece in single:
        if piece in cells or (own and known.score(piece, own) < own_bar):
            continue
        score = known.score(piece, wanted)
        if (
            piece.kind == "cell"
            and (piece.passage, piece.positions) in own_rows
            and score >= cell_bar
            and not all(holds(f, claimed) for f in piece.facts if f.kind in NUMERIC)
        ):  # another cell of its row
            return piece.text.split(": ", 1)[-1], piece.text
        if score < bar or not (piece.stems & set(own)) - best.stems:
            continue  # not clearly more about the claim than the fact's own piece
        for other in piece.facts:
            if (
                other.kind == fact.kind
                and (other.kind != "number" or other.unit == fact.unit)
                and not holds(other, claimed)
            ):
                return other.text, piece.text
    return None
