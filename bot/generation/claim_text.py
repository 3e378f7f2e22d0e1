"""Text pieces for the claim check: a reply cut into claims, passages cut into the sentences (and
table cells) that can support them, words compared on their stems, negation and scope.

A passage's table row stands for one record: each cell becomes a piece of its own that carries
the row's first cell and the column heading ("NL · Standard shipping price: €3.95"), so an amount
is tied to what it is the amount of. Every piece of a passage also carries the passage's first
line (its title: an FAQ question, a product name, a section heading) as context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.generation.claim_facts import ALIAS_OF, CODES, UNITS, Fact
from bot.generation.claim_lexicon import (
    CANONICAL,
    CONDITION_SHARED,
    GROWTH,
    GROWTH_PATTERN,
    HEDGE_OF,
    HEDGE_PATTERN,
    NEGATION,
    NOT_NEGATION,
    RATE,
    STOPWORDS,
)

# Where a sentence turns into another claim: clause joints that start a new statement.
CLAUSE_BREAK = re.compile(
    r"\s*;\s+|,?\s+but\s+|,\s+(?:while|whereas|although|though|however|except)\s+|"
    r",\s+(?=not\b|never\b)|,\s+and\s+|\s+and\s+(?=(?:we|you|it|they|there|this|that|he|she|"
    r"i|orders?|returns?|refunds?|items?|products?|delivery|shipping)\b(?!\s+(?:and|or)\b))",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9€$£\"'(])|\n+")
LIST_MARKER = re.compile(r"(?m)^\s*(?:\d{1,2}[.)]|[-*•])\s+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")


@lru_cache(maxsize=1)
def unit_stems() -> frozenset[str]:
    """The stems of the unit words ("kg", "days", "hours")."""
    return frozenset(stem(word) for word in UNITS)


def hedges(
    text: str,
    about: frozenset[str] | None = None,
    shared: int = 1,
    numbers: frozenset[str] | None = None,
) -> set[str]:
    """The groups of the narrowing words of ``text``; with ``about``, only those narrowing at
    least ``shared`` of these stems (within the five words after the hedge: "usually within 4
    hours" narrows "hour"). With the claim's ``numbers``, a unit after another number than the
    claim's is no shared word."""
    found = set()
    for match in HEDGE_PATTERN.finditer(text):
        group = HEDGE_OF[match.group(1).lower()]
        if about is not None:
            after = " ".join(text[match.end() :].split()[:5])
            needed = max(shared, CONDITION_SHARED if group == "condition" else 1)
            near = content_stems(after) & about
            stated = set(re.findall(r"\d+(?:[.,]\d+)?", after))
            if numbers is not None and stated and not stated & numbers:
                near -= unit_stems()  # "up to 120 kg" narrows no claim about "14.2 kg"
            if len(near) < needed:
                continue
        found.add(group)
    return found


@dataclass(frozen=True)
class Piece:
    """A sentence, clause or table cell of a passage that can support a claim.

    Attributes:
        text: The piece as written (a table cell with its row key and column heading).
        context: The passage's title line, which the piece is about.
        passage: Which passage (0-based) it comes from.
        position: Its place in the passage (neighbours differ by one).
    """

    text: str
    context: str
    passage: int
    position: int
    row: bool = False  # a table row or cell: never joined with its neighbours
    clause: bool = False  # a clause of a longer sentence (the sentence is a piece too)


def stem(word: str) -> str:
    """A crude stem ("deliveries" → "deliv") after mapping shop synonyms to one word."""
    word = word.lower().strip("'-")
    word = CANONICAL.get(word, word)
    for suffix in ("ies", "ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    word = CANONICAL.get(word, word)
    return word[:6]


def _country(match: re.Match[str]) -> str:
    return ALIAS_OF[match.group(0).lower()].replace(" ", "")


_CODE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(sorted((re.escape(c.upper()) for c in CODES), key=len, reverse=True))
    + r")(?![\w])"
)
_COUNTRY = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(sorted((re.escape(a) for a in ALIAS_OF if a not in CODES), key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)


@lru_cache(maxsize=4096)
def content_stems(text: str) -> frozenset[str]:
    """The stems of the words of ``text`` that carry meaning (a country in any spelling as one word)."""
    text = _COUNTRY.sub(_country, _CODE.sub(_country, text)).lower()
    return frozenset(
        stem(w)
        for w in WORD.findall(text)
        if w not in STOPWORDS and len(w) > 1 and not w[0].isdigit()
    )  # numbers are facts


def negated(text: str) -> bool:
    """True when ``text`` says something is not so."""
    return NEGATION.search(NOT_NEGATION.sub(" ", text)) is not None


_SCOPE_END = re.compile(
    r"[,;:!?]|\.(?=\s+(?-i:[A-Z])|\s*$)|\s[–—-]\s|\b(?:but|so|because|unless|if|while|although|though|as)\b",
    re.I,
)


def negated_stems(text: str) -> frozenset[str]:
    """The stems a negation in ``text`` applies to: the words after each "not", "no", "never" …
    up to the end of the phrase, and the word of a "non-…" compound."""
    text = NOT_NEGATION.sub(" ", text)
    found: set[str] = set()
    for match in NEGATION.finditer(text):
        cue = match.group(0)
        if cue.lower().startswith("non-"):
            found |= content_stems(cue[4:])
            continue
        if cue.lower() in ("out of stock", "sold out"):
            found |= content_stems("stock available")
        if cue.lower() in ("unavailable", "unable", "impossible"):
            found |= content_stems(
                cue.lower()
                .replace("unavailable", "available")
                .replace("unable", "able")
                .replace("impossible", "possible")
            )
        end = _SCOPE_END.search(text, match.end())
        found |= content_stems(
            " ".join(text[match.end() : end.start() if end else len(text)].split()[:6])
        )
    return frozenset(found)


def growth_words(text: str) -> set[str]:
    """The widening words of ``text``, each as its group's name."""
    text = RATE.sub(" ", text)
    found = {
        GROWTH[m.group(1).lower()]
        for m in GROWTH_PATTERN.finditer(text)
        if not re.search(r"\bnot\s+(?:\w+\s+)?$", text[: m.start()], re.I)
    }  # "not everywhere"
    if "any" in found and re.search(
        r"\b(?:if|whether|do|does|are|is|have|has)\s+(?:you\s+)?(?:\w+\s+)?any\b|"
        r"\bany\s+(?:questions?|other|more|further|help|problems?)\b",
        text,
        re.I,
    ):
        found.discard("any")  # "if you have any questions": no widening
    if "any" in found and negated(text):
        found.discard("any")  # "they don't mention any": none, no widening
    return found


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences and lines."""
    text = LIST_MARKER.sub("", text)
    return [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]


def split_clauses(sentence: str) -> list[str]:
    """A sentence cut into its coordinated clauses."""
    parts = [p.strip(" ,;") for p in CLAUSE_BREAK.split(sentence)]
    return [p for p in parts if p and WORD.search(p.lower())]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def passage_pieces(passages: list[str]) -> list[Piece]:
    """Every passage cut into pieces: sentences and their clauses, table rows and cells."""
    pieces: list[Piece] = []
    for index, passage in enumerate(passages):
        lines = [line for line in passage.splitlines() if line.strip()]
        if not lines:
            continue
        context = lines[0] if len(lines) > 1 and not lines[0].lstrip().startswith("|") else ""
        position = 0
        header: list[str] | None = None
        body = lines[1:] if context else lines  # the title is every piece's context
        for number, line in enumerate(body):
            if TABLE_RULE.match(line):
                continue
            if line.lstrip().startswith("|"):
                cells = _cells(line)
                if (
                    header is None
                ):  # the heading row (a table without one: its first row, a piece too)
                    header = cells
                    following = body[number + 1] if number + 1 < len(body) else ""
                    if not TABLE_RULE.match(following):
                        pieces.append(Piece(" ".join(cells), context, index, position, row=True))
                        position += 1
                    continue
                row = "; ".join(
                    f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False)
                )
                pieces.append(Piece(row, context, index, position, row=True))
                for heading, cell in zip(header[1:], cells[1:], strict=False):
                    pieces.append(
                        Piece(
                            f"{cells[0]} · {heading}: {cell}",
                            context,
                            index,
                            position,
                            row=True,
                            clause=True,
                        )
                    )
                position += 1
                continue
            header = None
            for sentence in split_sentences(line):
                pieces.append(Piece(sentence, context, index, position))
                clauses = split_clauses(sentence)
                if len(clauses) > 1:
                    pieces.extend(
                        Piece(clause, context, index, position, clause=True) for clause in clauses
                    )
                position += 1
    return pieces


@dataclass
class Claim:
    """One statement of a reply.

    Attributes:
        text: The clause.
        sentence: The whole sentence it is part of (its words help find what it is about).
        verdict: "yes" or "no" when the sentence opened with one, else "".
    """

    text: str
    sentence: str
    verdict: str = ""
    implied: bool = False  # built from the question and a bare "Yes."/"No."
    facts: list[Fact] = field(default_factory=list)


OPENING = re.compile(
    r"^\W*(yes|no|yep|nope|sure|of course|unfortunately not|sadly not|not really)\b[\s,.!:;—-]*",
    re.I,
)
PLEASANTRY = re.compile(
    r"^\W*(?:thanks?|thank you|you're welcome|i'm (?:so |very |really )?sorry|sorry|"
    r"i understand|i can (?:see|imagine|understand)|happy to help|glad to help|"
    r"(?:is there )?anything else|let me know|feel free|i hope|hope this helps|"
    r"great question|good question|have a (?:nice|great|good)|i'd be happy|"
    r"that (?:sounds|must be)|i apologi[sz]e|we apologi[sz]e)\b",
    re.I,
)


def reply_claims(reply: str) -> list[Claim]:
    """The claims of a reply: its sentences cut at clause joints, questions and pleasantries left
    out; the opening "Yes"/"No" kept as the first sentence's verdict."""
    claims: list[Claim] = []
    for number, sentence in enumerate(split_sentences(reply)):
        verdict = ""
        if number == 0:
            opening = OPENING.match(sentence)
            if opening:
                word = opening.group(1).lower()
                verdict = "yes" if word in ("yes", "yep", "sure", "of course") else "no"
                sentence = sentence[opening.end() :].strip()
        if sentence.rstrip().endswith("?") or (
            PLEASANTRY.match(sentence) and not re.search(r"\d", sentence)
        ):
            if verdict:
                claims.append(Claim("", "", verdict))
            continue
        clauses = split_clauses(sentence) or ([sentence] if sentence else [])
        if not clauses and verdict:
            claims.append(Claim("", "", verdict))
        for index, clause in enumerate(clauses):
            claims.append(Claim(clause, sentence, verdict if index == 0 else ""))
    return claims
