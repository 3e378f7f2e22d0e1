"""Claim-level grounding: each statement of a reply needs a passage sentence that says it.

A reply is cut into claims (sentences and coordinated clauses). For each claim the check looks for
the passage piece (a sentence, a clause, a table row or cell, or two neighbouring sentences) that
holds **every** fact of the claim (amounts with their currency, numbers with their unit, dates,
times, contact details, names) and shares most of its words, weighted by how rare they are in
the passages. The claim is unsupported when

- a fact is in no passage, or its facts are never stated together ("UPS" and "Belgium" are both
  in the passages, but not in one sentence);
- a piece more about the claim's subject gives another value of the same kind (the €3.95 of
  standard shipping stated for express, where a sentence about express says €14.95);
- its polarity differs from the supporting piece's ("we accept cheques" where it says "we don't
  accept … cheques"), or a bare "Yes"/"No" answers the question the other way;
- it widens the piece (always, all, both, immediately, fully …) or drops its narrowing
  (usually, may, only, select, once …);
- it promises (free, refund, replacement, weekend hours …) what its piece does not, or names a
  place or channel (an app, a section of the website, WhatsApp) no passage names;
- it says the opposite of another claim of the same reply.

It cannot judge meaning beyond words: a paraphrase with none of the passage's words, a claim
whose error is a synonym of the truth ("a week" for "7 days" is fine, "a fortnight" for "7 days"
is not seen as a number), or a wrong subject that shares every word with the right one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from bot.generation.claim_facts import Fact, extract, holds
from bot.generation.claim_text import (HEDGES, PLACES, PROMISES, Claim, Piece, content_stems, growth_words,
                                       negated, passage_pieces, reply_claims)

# A piece this much more about the claim than its support, stating another value, contradicts it.
RIVAL_MARGIN = 0.15
# A claim without facts needs a piece that shares at least this share of its words.
MIN_COVERAGE = 0.34
NUMERIC = ("money", "number", "percent", "time", "date")
YES_NO_QUESTION = re.compile(r"^\W*(?:can|could|may|do|does|did|is|are|was|were|will|would|should|have|has)\b", re.I)


@dataclass(frozen=True)
class UnsupportedClaim:
    """A claim the passages do not support, and why."""

    claim: str
    reason: str
    kind: str = "unsupported"


@dataclass(frozen=True)
class Verdict:
    """The check's verdict on one reply."""

    supported: bool
    unsupported: list[UnsupportedClaim] = field(default_factory=list)


SELF_CONTAINED = ("email", "url", "phone", "sku")  # need no sentence about the same thing


@lru_cache(maxsize=8192)
def _facts(text: str, all_names: bool = False) -> tuple[Fact, ...]:
    return tuple(extract(text, all_names))


@dataclass
class _Support:
    text: str
    context: str
    stems: frozenset[str]
    facts: tuple[Fact, ...]
    passage: int


class _Passages:
    """The passages cut into pieces, with word weights and the pieces' facts."""

    def __init__(self, passages: Sequence[str]) -> None:
        self.pieces = passage_pieces(list(passages))
        self.lowered = "\n".join(passages).lower()
        self.raw = "\n".join(passages)
        self.supports = [self._support(p.text, p.context, p.passage) for p in self.pieces]
        # Two neighbouring sentences of one passage also support a claim together.
        for first, second in zip(self.pieces, self.pieces[1:], strict=False):
            if (first.passage == second.passage and second.position == first.position + 1
                    and not first.row and not second.row):
                self.supports.append(self._support(f"{first.text} {second.text}", first.context, first.passage))
        counts = Counter(stem for s in self.supports for stem in s.stems)
        total = max(len(self.supports), 1)
        self.weight = {stem: math.log(1 + total / n) for stem, n in counts.items()}

    @staticmethod
    def _support(text: str, context: str, passage: int) -> _Support:
        stems = content_stems(text)
        return _Support(text, context, stems | frozenset(f"~{s}" for s in content_stems(context) - stems),
                        _facts(text, True) + _facts(context, True), passage)

    def score(self, support: _Support, wanted: dict[str, float]) -> float:
        """Share of the claim's weighted words that ``support`` holds (its context at half weight)."""
        total = sum(wanted.values()) or 1.0
        got = sum(w for s, w in wanted.items() if s in support.stems)
        got += sum(w / 2 for s, w in wanted.items() if s not in support.stems and f"~{s}" in support.stems)
        return got / total

    def names_anywhere(self, fact: Fact) -> bool:
        return any(holds(fact, list(s.facts)) for s in self.supports)


def _wanted(claim: Claim, question: str, weight: dict[str, float]) -> dict[str, float]:
    """The claim's words with their weights: its own in full, its sentence's and the question's
    less (they say what the claim is about)."""
    wanted: dict[str, float] = {}
    for stems, factor in ((content_stems(question), 0.3), (content_stems(claim.sentence), 0.5),
                          (content_stems(claim.text), 1.0)):
        for stem in stems:
            wanted[stem] = max(wanted.get(stem, 0.0), factor * weight.get(stem, 1.0))
    return wanted


def _checked_facts(text: str, known: _Passages, question: str) -> list[Fact]:
    """The facts of ``text`` to check: names only when they are names (not a common word
    capitalised at the start of a sentence) and not the shopper's own (from the question)."""
    out = []
    asked = question.lower()
    for fact in _facts(text):
        if fact.kind == "name":
            proper = fact.text.isupper() or any(c.isupper() for c in fact.text[1:])
            if not proper and re.search(rf"(?<![\w-]){re.escape(fact.text.lower())}(?![\w-])", known.raw):
                continue  # a common word the passages use in lower case ("Shipping", "Returns")
            if not known.names_anywhere(fact) and re.search(rf"\b{re.escape(fact.value)}\b", asked):
                continue  # a name the shopper gave ("Munich"), which no passage holds
        out.append(fact)
    return out


def _best(candidates: list[_Support], wanted: dict[str, float], known: _Passages) -> tuple[_Support, float]:
    scored = [(known.score(s, wanted), -len(s.text), s) for s in candidates]
    score, _, support = max(scored, key=lambda item: (item[0], item[1]))
    return support, score


def _check_claim(claim: Claim, known: _Passages, question: str) -> list[UnsupportedClaim]:
    text = claim.text
    facts = _checked_facts(text, known, question)
    wanted = _wanted(claim, question, known.weight)
    problems: list[UnsupportedClaim] = []
    missing = [f for f in facts if not known.names_anywhere(f)]
    if missing:
        return [UnsupportedClaim(text, f"{', '.join(f.text for f in missing)}: in no passage", "fact")]
    related = [f for f in facts if f.kind not in SELF_CONTAINED]
    candidates = [s for s in known.supports if all(holds(f, list(s.facts)) for f in related)]
    if not candidates:
        return [UnsupportedClaim(text, f"{', '.join(f.text for f in related)}: never stated together in "
                                 "one passage sentence", "fact")]
    support, score = _best(candidates, wanted, known)
    if not facts and score < MIN_COVERAGE and len(content_stems(text)) >= 2:
        return [UnsupportedClaim(text, "no passage sentence says this", "not_stated")]
    numeric = [f for f in facts if f.kind in NUMERIC]
    if numeric:
        for rival in known.supports:
            if rival is support or known.score(rival, wanted) < score + RIVAL_MARGIN:
                continue
            other = [g for g in rival.facts if any(g.kind == f.kind and not holds(f, list(rival.facts))
                                                   and (g.kind != "number" or g.unit == f.unit) for f in numeric)]
            if other:
                problems.append(UnsupportedClaim(
                    text, f"a passage sentence closer to this says {other[0].text!r}: {rival.text[:120]!r}", "fact"))
                break
    said = f"{support.text}"
    if negated(text) != negated(said):
        problems.append(UnsupportedClaim(text, f"the passage says the opposite: {said[:160]!r}", "polarity"))
    wider = growth_words(text) - growth_words(f"{said} {support.context}")
    if wider:
        problems.append(UnsupportedClaim(text, f"says {', '.join(sorted(wider))}; the passage does not", "scope"))
    hedge = HEDGES.search(said)
    if hedge and not HEDGES.search(text) and not negated(text) and _narrowing(hedge.group(0)):
        problems.append(UnsupportedClaim(text, f"leaves out the passage's {hedge.group(0)!r}: {said[:160]!r}",
                                         "scope"))
    for promise in {m.group(0).lower() for m in PROMISES.finditer(text)}:
        if promise[:5] not in f"{said} {support.context}".lower():
            problems.append(UnsupportedClaim(text, f"promises {promise!r}; its passage sentence does not", "promise"))
    for place in {m.group(0).lower() for m in PLACES.finditer(text)}:
        if place not in known.lowered:
            problems.append(UnsupportedClaim(text, f"names {place!r}, which no passage does", "place"))
    return problems


def _narrowing(word: str) -> bool:
    """Hedges whose loss changes what is promised (time words such as "within" do not)."""
    return word.lower() in {"usually", "typically", "generally", "normally", "often", "sometimes", "mostly",
                            "may", "might", "possibly", "some", "select", "selected", "certain", "up to",
                            "in most cases", "only", "unless", "once", "provided", "as long as", "subject to",
                            "depending", "depends", "limited", "not all"}


def _verdict_claim(verdict: str, question: str, known: _Passages) -> list[UnsupportedClaim]:
    """A reply's opening "Yes"/"No" read as a statement of the question, checked like a claim."""
    if not question or not YES_NO_QUESTION.search(question):
        return []
    stripped = YES_NO_QUESTION.sub("", question).strip(" ?")
    asked_negative = negated(question)
    says_negative = asked_negative != (verdict == "no")
    claim = Claim(stripped, stripped)
    facts = [f for f in _checked_facts(stripped, known, "") if f.kind != "name" or known.names_anywhere(f)]
    candidates = [s for s in known.supports if all(holds(f, list(s.facts)) for f in facts)]
    opening = "Yes" if verdict == "yes" else "No"
    if not candidates:
        if verdict == "yes" and facts:
            return [UnsupportedClaim(opening, f"confirms {', '.join(f.text for f in facts)}, which no passage "
                                     "sentence states", "polarity")]
        return []
    wanted = _wanted(claim, "", known.weight)
    support, score = _best(candidates, wanted, known)
    if score >= 0.5 and negated(support.text) != says_negative:
        return [UnsupportedClaim(opening, f"answers {question.strip()!r} the other way than the passage: "
                                 f"{support.text[:160]!r}", "polarity")]
    return []


def _contradictions(claims: list[Claim]) -> list[UnsupportedClaim]:
    """Claims of one reply that say the opposite of each other."""
    found = []
    stated = [c for c in claims if c.text]
    for i, first in enumerate(stated):
        for second in stated[i + 1:]:
            a, b = content_stems(first.text), content_stems(second.text)
            shared = a & b
            if len(shared) >= 2 and len(shared) >= 0.6 * min(len(a), len(b)) and negated(first.text) != negated(second.text):
                found.append(UnsupportedClaim(f"{first.text} / {second.text}", "the reply contradicts itself",
                                              "contradiction"))
    return found


def verify(reply: str, passages: Iterable[str], question: str = "") -> Verdict:
    """Checks every claim of ``reply`` against ``passages``.

    Args:
        reply: The text to check.
        passages: The passage texts it must rest on (a title on the first line helps).
        question: The shopper's message: names it holds that no passage holds may be repeated,
            and a bare "Yes"/"No" is read as an answer to it.
    """
    known = _Passages(list(passages))
    claims = reply_claims(reply)
    problems: list[UnsupportedClaim] = []
    if not known.supports:
        problems = [UnsupportedClaim(c.text, "there are no passages", "fact") for c in claims if c.text]
        return Verdict(not problems, problems)
    for claim in claims:
        if claim.verdict:
            problems.extend(_verdict_claim(claim.verdict, question, known))
        if claim.text:
            problems.extend(_check_claim(claim, known, question))
    problems.extend(_contradictions(claims))
    return Verdict(not problems, problems)
