"""Facts paired as the passage pairs them: a list sentence ties each value to its own item.

"PostNL in the Netherlands, DHL in the rest of the EU, DPD in the United Kingdom" holds both "DHL"
and "United Kingdom", yet "DHL delivers our UK orders" is false: the item naming the United
Kingdom names DPD. The same holds for amounts and numbers ("4 lb for $24.99, 12 lb for $54.99":
12 lb is not $89.99) and for a duration in another item's brackets ("standard €19.95 (5–8
business days) and express €34.95 (2–4 business days)"). A sentence is cut into its items at
sentence ends, commas, semicolons, colons, "and" and "or" outside brackets; two facts of a claim that stand in
different items are mispaired when the item of one of them holds another value of the other's
kind that the claim does not state.
"""

from __future__ import annotations

import re

from bot.generation.claim_facts import ALIASES, Fact, holds
from bot.generation.claim_support import facts_of
from bot.generation.wordlist import is_common_word

COUNTRIES = frozenset(group[0] for group in ALIASES)
SELF_CONTAINED = ("email", "url", "phone", "sku")
ITEM_BREAK = re.compile(r",\s+|;\s+|:\s+|(?<=[.!?])\s+|\s+(?:and|or)\s+", re.I)


def items(sentence: str) -> list[tuple[int, str]]:
    """The list items of ``sentence`` (or of two sentences: each item with the number of its
    sentence), cut at its joints outside brackets."""
    out: list[tuple[int, str]] = []
    start, depth, number = 0, 0, 0
    for match in re.finditer(r"[()]|" + ITEM_BREAK.pattern, sentence, re.I):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append((number, sentence[start : match.start()]))
            start = match.end()
            number += sentence[start - 1 : start].isspace() and token.strip() == ""
    out.append((number, sentence[start:]))
    return [(n, item.strip()) for n, item in out if item.strip()]


def _value(fact: Fact) -> bool:
    """False for a common word that opens an item ("Packed weight is …"): no name."""
    return not (fact.kind == "name" and fact.unit == "opening" and is_common_word(fact.text))


def _kind(fact: Fact) -> tuple[str, str]:
    """What a fact is a value of: its kind, a number's unit, a country apart from other names."""
    if fact.kind == "name":
        return ("country", "") if fact.value in COUNTRIES else ("name", "")
    if fact.kind == "number":
        return ("number", fact.unit)
    return (fact.kind, "")


def mispaired(claimed: list[Fact], sentence: str, claim: str) -> tuple[Fact, Fact, str] | None:
    """Two facts of the claim that ``sentence`` states in different items, with the item of the
    first holding another value of the second's kind (the fact, the other value, the item), or
    None when the sentence pairs them as the claim does (or is no list). A value the ``claim``
    also names (checked or not) is never the other value."""
    facts = [f for f in claimed if f.kind not in SELF_CONTAINED]
    if len(facts) < 2:
        return None
    parts = [(n, item, list(facts_of(item, True))) for n, item in items(sentence)]
    if len(parts) < 2:
        return None
    named, lowered = [*claimed, *facts_of(claim, True)], claim.lower()

    def partner(index: int, kind: tuple[str, str]) -> Fact | None:
        """Another value of ``kind`` in item ``index`` that the claim does not name."""
        for other in parts[index][2]:
            if (
                _kind(other) == kind
                and _value(other)
                and not holds(other, named)
                and other.text.lower() not in lowered
            ):
                return other
        return None

    def pairs(one: tuple[str, str], two: tuple[str, str]) -> int:
        """How many items hold a value of each of the two kinds."""
        return sum(
            any(_kind(f) == one for f in stated) and any(_kind(f) == two for f in stated)
            for _, _, stated in parts
        )

    def continues(start: int, end: int, kind: tuple[str, str]) -> bool:
        """True when the items after ``start`` up to ``end`` go on its list: one sentence, and
        no value of ``kind`` among them ("UPS in the USA and Canada": Canada is UPS's too)."""
        return start < end and all(
            parts[j][0] == parts[start][0] and not any(_kind(f) == kind for f in parts[j][2])
            for j in range(start + 1, end + 1)
        )

    where = [[i for i, part in enumerate(parts) if holds(fact, part[2])] for fact in facts]
    for a, first in enumerate(facts):
        for b, second in enumerate(facts):
            if (
                _kind(first) == _kind(second)  # coordinates of one list ("PayPal, Klarna")
                or not where[a]
                or not where[b]
                or set(where[a]) & set(where[b])
            ):
                continue
            for index in where[a]:
                other = partner(index, _kind(second))
                if other is None or any(continues(index, j, _kind(first)) for j in where[b]):
                    continue
                # In one sentence the list must pair values ("DPD in the United Kingdom, UPS in
                # the USA"): "DHL delivers to Germany, Austria and Belgium" is a list of places.
                apart = all(parts[j][0] != parts[index][0] for j in where[b])
                if apart or pairs(_kind(first), _kind(second)) >= 2:
                    return second, other, parts[index][1]
    return None
