"""The passages as the claim check sees them: pieces that can support a claim (sentences, clauses,
table rows and cells, two neighbouring sentences, a product record), their facts, and word weights
by how rare a word is among them."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.generation.claim_facts import Fact, extract, holds
from bot.generation.claim_lexicon import RESTRICTION
from bot.generation.claim_text import OPENING, Piece, content_stems, passage_pieces

RECORD_LINE = re.compile(r"^[A-Z][\w /&-]{1,30}:\s")


SELF_CONTAINED = ("email", "url", "phone", "sku")  # need no sentence about the same thing


@lru_cache(maxsize=8192)
def facts_of(text: str, all_names: bool = False) -> tuple[Fact, ...]:
    """The facts of ``text`` (cached: the same passages are checked again and again)."""
    return tuple(extract(text, all_names))


@dataclass
class Support:
    """A piece (or pieces taken together) that can support a claim."""

    text: str
    context: str
    stems: frozenset[str]
    facts: tuple[Fact, ...]
    passage: int
    single: bool = True  # one piece (not neighbours or a whole passage taken together)
    positions: tuple[int, int] = (0, 0)
    kind: str = "sentence"  # or "clause", "row", "cell" (of a table), "pair", "passage"


class Passages:
    """The passages cut into pieces, with word weights and the pieces' facts."""

    def __init__(self, passages: Sequence[str]) -> None:
        self.pieces = passage_pieces(list(passages))
        self.lowered = "\n".join(passages).lower()
        self.raw = "\n".join(passages)
        self.supports = [
            self._support(p.text, p.context, p.passage, True, (p.position, p.position), _kind(p))
            for p in self.pieces
        ]
        # Two neighbouring sentences of one passage also support a claim together, and so does a
        # record of "Label: value." lines (a product's), all about one thing.
        sentences = [p for p in self.pieces if not p.clause]
        for first, second in zip(sentences, sentences[1:], strict=False):
            if (
                first.passage == second.passage
                and second.position == first.position + 1
                and not first.row
                and not second.row
            ):
                self.supports.append(
                    self._support(
                        f"{first.text} {second.text}",
                        first.context,
                        first.passage,
                        False,
                        (first.position, second.position),
                        "pair",
                    )
                )
        for index in sorted({p.passage for p in self.pieces}):
            mine = [p for p in self.pieces if p.passage == index and not p.row and not p.clause]
            texts = {p.position: p.text for p in mine}
            labelled = sum(bool(RECORD_LINE.match(t)) for t in texts.values())
            if 2 < len(texts) and labelled >= max(2, len(texts) / 3):
                self.supports.append(
                    self._support(
                        " ".join(texts.values()),
                        mine[0].context,
                        index,
                        False,
                        (min(texts), max(texts)),
                        "passage",
                    )
                )
        self.stems = frozenset(stem.lstrip("~") for s in self.supports for stem in s.stems)
        counts = Counter(stem for s in self.supports if s.single for stem in s.stems)
        total = max(sum(s.single for s in self.supports), 1)
        self.weight = {stem: math.log(1 + total / n) for stem, n in counts.items()}

    @staticmethod
    def _support(
        text: str,
        context: str,
        passage: int,
        single: bool,
        positions: tuple[int, int],
        kind: str = "sentence",
    ) -> Support:
        stems = content_stems(text)
        return Support(
            text,
            context,
            stems | frozenset(f"~{s}" for s in content_stems(context) - stems),
            facts_of(text, True) + facts_of(context, True),
            passage,
            single,
            positions,
            kind,
        )

    def score(self, support: Support, wanted: dict[str, float]) -> float:
        """Share of the claim's weighted words that ``support`` holds (its context at half weight)."""
        total = sum(wanted.values()) or 1.0
        got = sum(w for s, w in wanted.items() if s in support.stems)
        got += sum(
            w / 2 for s, w in wanted.items() if s not in support.stems and f"~{s}" in support.stems
        )
        return round(got / total, 9)  # sums in set order differ in the last bits: ties stay ties

    def names_anywhere(self, fact: Fact) -> bool:
        return any(holds(fact, list(s.facts)) for s in self.supports)

    def around(self, support: Support) -> str:
        """The support with the sentences just before and after it (for promises)."""
        low, high = support.positions
        return " ".join(
            p.text
            for p in self.pieces
            if p.passage == support.passage and low - 1 <= p.position <= high + 1
        )

    def focus(
        self, support: Support, wanted: dict[str, float], facts: list[Fact]
    ) -> tuple[str, str, str]:
        """The clause of ``support`` most about the claim (sharing most of its words, holding its
        facts, a clause before its whole sentence): polarity and scope are read there, without an
        FAQ answer's opening "Yes,"/"No,"; and the support's other sentences (where a hedge of the
        next sentence, "This usually adds …", still narrows the claim) and the clauses of its own
        sentence that restrict it ("…, and only if the product is unopened")."""
        low, high = support.positions
        mine = [
            p for p in self.pieces if p.passage == support.passage and low <= p.position <= high
        ]
        split = {p.position for p in mine if p.clause}

        def rank(piece: Piece) -> tuple[float, int]:
            scored = self._support(piece.text, support.context, 0, True, (0, 0))
            held = sum(holds(f, list(scored.facts)) for f in facts) / len(facts) if facts else 0.0
            whole = not piece.clause and piece.position in split
            return self.score(scored, wanted) + 0.2 * held - 1.0 * whole, -len(piece.text)

        if not mine:
            return support.text, "", ""
        best = max(mine, key=rank)
        others = " ".join(p.text for p in mine if p.position != best.position and not p.clause)
        restricting = " ".join(
            p.text
            for p in mine
            if p.position == best.position
            and p.clause
            and p is not best
            and RESTRICTION.match(p.text)
        )
        return OPENING.sub("", best.text), others, restricting


def _kind(piece: Piece) -> str:
    if piece.row:
        return "cell" if piece.clause else "row"
    return "clause" if piece.clause else "sentence"
