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
- it widens the piece (always, all, both, immediately, fully …) or drops a narrowing that bears
  on its words (usually, may, only, select, a condition, a cap, "free from €50", where a "Yes"
  applies);
- it promises (free, refund, replacement, weekend hours …) or states a product property
  (waterproof, cashmere …) that its piece does not, or names a place or channel (an app, a
  section of the website, WhatsApp) no passage names;
- no piece shares enough of its words, or it confirms what the shopper asked about while no
  passage speaks of it;
- it says the opposite of another claim of the same reply.

It cannot judge meaning beyond words: a paraphrase with none of the passage's words, a claim
whose error is a synonym of the truth ("a week" for "7 days" is fine, "a fortnight" for "7 days"
is not seen as a number), or a wrong subject that shares every word with the right one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.generation.claim_facts import Fact, holds
from bot.generation.claim_lexicon import PROMISES
from bot.generation.claim_pairing import mispaired
from bot.generation.claim_scope import (
    NUMERIC,
    UnsupportedClaim,
    narrowings,
    promises_and_names,
    rival,
)
from bot.generation.claim_support import SELF_CONTAINED, Passages, Support, facts_of
from bot.generation.claim_text import (
    OPENING,
    Claim,
    content_stems,
    negated,
    negated_stems,
    reply_claims,
    stem,
)
from bot.generation.wordlist import is_common_word

# A claim without facts needs a piece that shares at least this share of its words.
MIN_COVERAGE = 0.4
PROMISE_COVERAGE = (
    0.5  # a claim that promises something (a refund, free …) must be said nearly as is
)
# Stems of words too general to be what a shopper asks about ("is it open?", "how long …?").
GENERIC = frozenset(
    stem(w)
    for w in """make made get have open long take work need want use come go
available possible able much many""".split()
)
CONDITIONAL = re.compile(
    r"\b(?:if|unless|when|once|for|only|except|then|after|before|within)\b", re.I
)
YES_NO_QUESTION = re.compile(
    r"^\W*(?:can|could|may|do|does|did|is|are|was|were|will|would|should|have|has)\b", re.I
)


@dataclass(frozen=True)
class Verdict:
    """The check's verdict on one reply."""

    supported: bool
    unsupported: list[UnsupportedClaim] = field(default_factory=list)


def _wanted(claim: Claim, question: str, weight: dict[str, float]) -> dict[str, float]:
    """The claim's words with their weights (by rarity in the passages): its own make up three
    quarters of the total, its sentence's and the question's the rest (they say what a short
    clause such as "it's free from €50" is about)."""
    own = {s: weight.get(s, 1.0) for s in content_stems(claim.text)}
    around = {
        s: weight.get(s, 1.0) for s in content_stems(f"{claim.sentence} {question}") if s not in own
    }
    if not own or not around:
        return own or around
    own_total, around_total = sum(own.values()), sum(around.values())
    return {
        **{s: 0.75 * w / own_total for s, w in own.items()},
        **{s: 0.25 * w / around_total for s, w in around.items()},
    }


def _opposite(claim: str, said: str) -> bool:
    """True when ``claim`` and the passage clause ``said`` disagree on whether something is so:
    the passage denies one of the claim's words, or the claim denies what the passage states."""
    if negated(claim) == negated(said):
        return False
    if negated(said):
        return bool(negated_stems(said) & content_stems(claim))
    denied = negated_stems(claim)
    return len(denied) >= 2 and denied <= content_stems(said)


def _checked_facts(text: str, known: Passages, question: str) -> list[Fact]:
    """The facts of ``text`` to check. A capitalised word is a name unless the passages use it
    in lower case ("Shipping", "Returns"); a sentence's first word only when it is a name the
    passages know ("Apple Pay …", where "PayPal" offers what is claimed) or no common English word
    ("Amsterdam is …"). Names the shopper gave ("Munich") that no passage holds may be repeated,
    except in the answer to a yes/no question about them ("do you ship to Mexico?")."""
    out = []
    asked = {f.value for f in facts_of(question) if f.kind == "name"}
    confirming = YES_NO_QUESTION.search(question) is not None
    for fact in facts_of(text):
        if fact.kind == "name":
            lowered = fact.text.lower()
            proper = fact.text.isupper() or any(c.isupper() for c in fact.text[1:])
            if not proper and re.search(rf"(?<![\w-]){re.escape(lowered)}(?![\w-])", known.raw):
                continue  # a common word the passages use in lower case
            if (
                fact.unit == "opening"
                and not known.names_anywhere(fact)
                and is_common_word(fact.text) is not False
            ):
                continue  # a common word opening the sentence ("Deliveries", "Sadly")
            if (
                not known.names_anywhere(fact)
                and (not confirming or negated(text))
                and fact.value in asked
            ):
                continue  # a name the shopper gave, which no passage holds
        out.append(fact)
    return out


def _best(
    candidates: list[Support], wanted: dict[str, float], known: Passages
) -> tuple[Support, float]:
    scored = [(known.score(s, wanted), -len(s.text), s) for s in candidates]
    score, _, support = max(scored, key=lambda item: (item[0], item[1]))
    return support, score


def _check_claim(
    claim: Claim, known: Passages, question: str, reply: str
) -> list[UnsupportedClaim]:
    text = claim.text
    facts = _checked_facts(text, known, question)
    wanted = _wanted(claim, question, known.weight)
    problems: list[UnsupportedClaim] = []
    missing = [f for f in facts if not known.names_anywhere(f)]
    if missing:
        return [
            UnsupportedClaim(text, f"{', '.join(f.text for f in missing)}: in no passage", "fact")
        ]
    related = [f for f in facts if f.kind not in SELF_CONTAINED]
    candidates = [s for s in known.supports if all(holds(f, list(s.facts)) for f in related)]
    if not candidates:
        return [
            UnsupportedClaim(
                text,
                f"{', '.join(f.text for f in related)}: never stated together in "
                "one passage sentence",
                "fact",
            )
        ]
    paired = [
        s
        for s in candidates
        if s.kind in ("row", "cell", "passage") or not mispaired(related, s.text, text)
    ]
    if not paired:
        conflict = mispaired(related, candidates[0].text, text)
        assert conflict is not None
        return [
            UnsupportedClaim(
                text,
                f"the passage pairs {conflict[1].text!r}, not {conflict[0].text!r}, with "
                f"{conflict[2][:120]!r}",
                "fact",
            )
        ]
    support, score = _best(paired, wanted, known)
    promises = PROMISES.search(text) is not None
    if score < (PROMISE_COVERAGE if promises else MIN_COVERAGE) and len(content_stems(text)) >= 2:
        return [UnsupportedClaim(text, "no passage sentence says this", "not_stated")]
    asked = content_stems(text) & content_stems(question) - GENERIC
    unheard = sorted(asked - known.stems)
    if (
        YES_NO_QUESTION.search(question)
        and asked
        and len(unheard) == len(asked)
        and not negated(text)
    ):  # confirms what was asked, of which no passage speaks
        problems.append(
            UnsupportedClaim(
                text,
                f"says something about {', '.join(unheard)}, which no passage mentions",
                "not_stated",
            )
        )
    own = {s: known.weight.get(s, 1.0) for s in content_stems(text)}
    for fact in (f for f in facts if f.kind in NUMERIC):
        found = rival(fact, known, wanted, own, facts)
        if found is not None:
            problems.append(
                UnsupportedClaim(
                    text,
                    f"a passage sentence closer to this says {found[0]!r}: {found[1][:120]!r}",
                    "fact",
                )
            )
            break
    said, beside, restricting = known.focus(support, wanted, facts)
    denial = said if _opposite(text, said) else _denial_of_rarest(text, known, facts)
    if denial:
        problems.append(
            UnsupportedClaim(text, f"the passage says the opposite: {denial[:160]!r}", "polarity")
        )
    nearby = f"{known.around(support)} {support.text} {support.context}"  # the support and its neighbours
    problems += narrowings(
        claim, said, beside, restricting, nearby, support, facts, question, reply
    )
    problems += promises_and_names(text, support, nearby.lower(), known)
    return problems


def _denial_of_rarest(text: str, known: Passages, facts: list[Fact]) -> str | None:
    """A passage sentence holding the claim's facts that denies what the claim states about its
    rarest word ("you can use your postbus address" where "We do not ship to P.O. boxes
    (postbus addresses)")."""
    if negated(text):
        return None
    related = [f for f in facts if f.kind not in SELF_CONTAINED]
    stems = [s for s in content_stems(text) if s in known.stems]
    if len(stems) < 2:  # a lead-in such as "Fernhill Goods accepts:" says too little to be denied
        return None
    top = max(known.weight.get(s, 0.0) for s in stems)
    rarest = {s for s in stems if known.weight.get(s, 0.0) == top}
    for piece in known.supports:
        if (
            piece.single
            and rarest & piece.stems & negated_stems(piece.text)
            and len(piece.stems & set(stems)) >= 2
            and all(holds(f, list(piece.facts)) for f in related)
        ):
            return piece.text
    return None


def _verdict_claim(verdict: str, question: str, known: Passages) -> list[UnsupportedClaim]:
    """A reply's opening "Yes"/"No" read as a statement of the question, checked like a claim;
    an FAQ entry asking the same question answers it with its own opening "Yes"/"No"."""
    if not question or not YES_NO_QUESTION.search(question):
        return []
    opening = "Yes" if verdict == "yes" else "No"
    stripped = YES_NO_QUESTION.sub("", question).strip(" ?")
    wanted = _wanted(Claim(stripped, stripped), "", known.weight)
    for piece in known.pieces:  # the FAQ answer to the shopper's own question
        answer = OPENING.match(piece.text)
        if piece.position == 0 and answer and piece.context.rstrip().endswith("?"):
            title = known._support(piece.context, "", 0, True, (0, 0))
            if known.score(title, wanted) >= 0.75:
                said = (
                    "no"
                    if answer.group(1).lower()
                    in ("no", "nope", "unfortunately not", "sadly not", "not really")
                    else "yes"
                )
                if said != verdict:
                    return [
                        UnsupportedClaim(
                            opening,
                            f"the passage answers {piece.context.strip()!r} with "
                            f"{piece.text[:120]!r}",
                            "polarity",
                        )
                    ]
                return []
    unheard = sorted(content_stems(stripped) - GENERIC - known.stems)
    if verdict == "yes" and unheard and len(unheard) == len(content_stems(stripped) - GENERIC):
        return [
            UnsupportedClaim(
                opening,
                f"confirms something about {', '.join(unheard)}, which no passage mentions",
                "not_stated",
            )
        ]
    says_negative = negated(question) != (verdict == "no")
    facts = [
        f
        for f in _checked_facts(stripped, known, "")
        if f.kind != "name" or known.names_anywhere(f)
    ]
    candidates = [s for s in known.supports if all(holds(f, list(s.facts)) for f in facts)]
    if not candidates:
        if verdict == "yes" and facts:
            return [
                UnsupportedClaim(
                    opening,
                    f"confirms {', '.join(f.text for f in facts)}, which no passage "
                    "sentence states",
                    "polarity",
                )
            ]
        return []
    support, score = _best(candidates, wanted, known)
    said, _, _ = known.focus(support, wanted, facts)
    statement = f"not {stripped}" if says_negative else stripped
    if says_negative and not negated(said) and not content_stems(stripped) <= content_stems(said):
        return []  # a "No" is contradicted only by a passage stating all that was asked
    if score >= 0.5 and _opposite(statement, said):
        return [
            UnsupportedClaim(
                opening,
                f"answers {question.strip()!r} the other way than the passage: {said[:160]!r}",
                "polarity",
            )
        ]
    return []


def _contradictions(claims: list[Claim]) -> list[UnsupportedClaim]:
    """Claims of one reply that say the opposite of each other about the same thing (same names
    and numbers, mostly the same words, neither of them under a condition)."""
    found = []
    stated = [c for c in claims if c.text and not CONDITIONAL.search(c.text)]
    for i, first in enumerate(stated):
        for second in stated[i + 1 :]:
            if negated(first.text) == negated(second.text):
                continue
            a, b = content_stems(first.text), content_stems(second.text)
            facts_a = {(f.kind, f.value) for f in facts_of(first.text)}
            facts_b = {(f.kind, f.value) for f in facts_of(second.text)}
            if len(a & b) >= 2 and len(a & b) >= 0.5 * len(a | b) and facts_a == facts_b:
                found.append(
                    UnsupportedClaim(
                        f"{first.text} / {second.text}",
                        "the reply contradicts itself",
                        "contradiction",
                    )
                )
    return found


def verify(reply: str, passages: Iterable[str], question: str = "") -> Verdict:
    """Checks every claim of ``reply`` against ``passages``.

    Args:
        reply: The text to check.
        passages: The passage texts it must rest on (a title on the first line helps).
        question: The shopper's message: names it holds that no passage holds may be repeated,
            and a bare "Yes"/"No" is read as an answer to it.
    """
    known = Passages(list(passages))
    claims = reply_claims(reply)
    problems: list[UnsupportedClaim] = []
    if not known.supports:
        problems = [
            UnsupportedClaim(c.text, "there are no passages", "fact") for c in claims if c.text
        ]
        return Verdict(not problems, problems)
    for claim in claims:
        if claim.verdict:
            problems.extend(_verdict_claim(claim.verdict, question, known))
        if claim.text:
            problems.extend(_check_claim(claim, known, question, reply))
    problems.extend(_contradictions(claims))
    return Verdict(not problems, problems)
