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
from bot.generation.claim_text import content_stems, unit_stems
from bot.generation.wordlist import is_common_word

# Places compared with countries: "€75 in the rest of the EU" pairs an amount with a place.
COUNTRIES = frozenset(group[0] for group in ALIASES) | {"eu", "europe", "eu1", "eu2", "eea"}
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
    """Two facts of the claim of different kinds that ``sentence`` pairs otherwise: the fact,
    the value the sentence pairs with the other one, and the item saying so; None when the
    sentence pairs them as the claim does (or is no list of pairs). An item holding values of
    both kinds starts a run that the items after it holding only one kind continue ("€50 in
    Belgium, Germany and France": France goes with €50). A value the ``claim`` also names
    (checked or not) is never the other value."""
    facts = [f for f in claimed if f.kind not in SELF_CONTAINED]
    parts = [(n, item, list(facts_of(item, True))) for n, item in items(sentence)]
    if len(parts) < 2:
        return None
    if len(facts) < 2:
        return mislabelled(facts, parts, claim)
    named, lowered = [*claimed, *facts_of(claim, True)], claim.lower()

    def has(index: int, kind: tuple[str, str]) -> bool:
        return any(_kind(f) == kind and _value(f) for f in parts[index][2])

    def head(index: int, one: tuple[str, str], two: tuple[str, str]) -> int | None:
        """The item that starts ``index``'s run of pairs of the two kinds."""
        for h in range(index, -1, -1):
            if parts[h][0] != parts[index][0]:
                return None
            if has(h, one) and has(h, two):
                return h
        return None

    def partner(index: int | None, kind: tuple[str, str]) -> Fact | None:
        """A value of ``kind`` in item ``index`` that the claim does not name."""
        for other in parts[index][2] if index is not None else []:
            if (
                _kind(other) == kind
                and _value(other)
                and not holds(other, named)
                and other.text.lower() not in lowered
            ):
                return other
        return None

    where = [[i for i, part in enumerate(parts) if holds(fact, part[2])] for fact in facts]
    for a, first in enumerate(facts):
        for b, second in enumerate(facts):
            one, two = _kind(first), _kind(second)
            if one == two or not where[a] or not where[b]:
                continue  # coordinates of one list ("PayPal, Klarna"), or not both stated here
            runs_a = {head(i, one, two) for i in where[a]}
            runs_b = {head(j, one, two) for j in where[b]}
            if set(where[a]) & set(where[b]) or (runs_a & runs_b) - {None}:
                continue  # paired as the claim pairs them
            pairs = sum(has(i, one) and has(i, two) for i in range(len(parts)))
            apart = {parts[i][0] for i in where[a]}.isdisjoint(parts[j][0] for j in where[b])
            if pairs < 2 and not apart:
                continue  # one sentence that is no list of pairs
            for run in sorted(r for r in runs_a if r is not None):
                other = partner(run, two)
                if other is not None:
                    return second, other, parts[run][1]
    return mislabelled(facts, parts, claim)


VALUES = ("money", "number", "percent", "time", "date")


def mislabelled(
    facts: list[Fact], parts: list[tuple[int, str, list[Fact]]], claim: str
) -> tuple[Fact, Fact, str] | None:
    """A value of the claim whose item is about something the claim does not name, while another
    item of the list, about the claim's own words, gives another value of its kind ("10 years
    on aluminium frames, 5 years on carbon frames": carbon frames do not have 10 years)."""
    own = content_stems(claim) - unit_stems()
    for fact in (f for f in facts if f.kind in VALUES):
        mine = [i for i, part in enumerate(parts) if holds(fact, part[2])]
        if not mine:
            continue
        words = frozenset().union(*(content_stems(parts[i][1]) for i in mine))
        if not words - own - unit_stems():
            continue  # its item says nothing the claim does not
        wanted = own - words
        for index, (number, item, stated) in enumerate(parts):
            if index in mine or number != parts[mine[0]][0] or not content_stems(item) & wanted:
                continue
            for other in stated:
                if _kind(other) == _kind(fact) and not holds(other, facts):
                    return fact, other, item
    return None
