"""Answers made of the best passage's own sentences: what a small model cannot get wrong.

A 0.5B model drops the conditions that make a policy true ("usually", "once restocked", "select
countries"). A composed answer cannot: it is the passage's sentences nearest the question (by the
same embedding selection as the prompt's evidence, :func:`bot.generation.evidence.select_indices`),
kept in the passage's order, one to three of them within a small character budget, rendered to
read as sentences: a product record's attribute lines become "Name: material …; weight …." and
a table row "Zone NL: standard delivery time 1–2 business days; …" instead of "| NL | 1–2 … |".

A FAQ answer's leading "Yes:"/"No," answers the FAQ's own question; it is kept only when the
shopper asked that question (the embedding similarity of question and FAQ title reaches
``title_match``), and removed otherwise ("Yes, with DPD: …" to "Can I ship to a P.O. box in the
UK?" becomes "With DPD: …").

:mod:`bot.generation.opening` serves the ``hybrid`` mode: the model's reply
lends only its "Yes."/"No." (or a short "Not for …" clause) to a composed answer, and only when
the polarity of the passage sentence nearest the question agrees.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

from bot.generation.evidence import select_indices, units
from bot.generation.safety import strip_instructions
from bot.knowledge.embedder import Embedder
from bot.knowledge.passages import Passage
from bot.settings import setting_default

MODES = ("generate", "compose", "hybrid")
LEADING_VERDICT = re.compile(r"^\W*(yes|no)\b[\s,:;.!–—-]*", re.I)
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
ATTRIBUTE = re.compile(r"^([A-Z][A-Za-z /&-]{0,30}):\s+(.+?)\.?$")
# Product lines that read as "Label: value" but are sentences ("Final sale: this item cannot be returned.").
SENTENCE_LABELS = frozenset({"final sale", "out of stock"})
# Product fields for the index (and the products card), not for an answer.
HIDDEN_LABELS = frozenset({"tags", "category"})
PRONOUN_START = re.compile(r"^(?:it|its|this|that|they|their|these|those|there|he|she)\b", re.I)
SHORT_CLAUSE_WORDS = 8


@dataclass(frozen=True)
class ComposeConfig:
    """Limits of a composed answer.

    Attributes:
        sentences: Most passage sentences (or lines) in the answer.
        chars: Character budget of those sentences (the nearest one is kept however long).
        title_match: Similarity of the question to a FAQ's own question from which the FAQ
            answer's leading "Yes"/"No" is kept (tuned on the development questions).
        margin: Pieces less similar to the question than the nearest one by more than this are
            left out (a short answer rather than unrelated lines).
    """

    sentences: int = setting_default("answer_compose_sentences")
    chars: int = setting_default("answer_compose_chars")
    title_match: float = setting_default("answer_compose_title_match")
    margin: float = 0.15  # not a setting: part of how the pieces are chosen

    def __post_init__(self) -> None:
        if self.sentences < 1:
            raise ValueError(
                f"sentences must be at least 1. Currently, sentences is {self.sentences}"
            )


@dataclass(frozen=True)
class Piece:
    """One unit of a passage: ``raw`` as written, ``shown`` as the shopper reads it (and as it is
    embedded), ``attribute`` for a product's "Label: value" line, ``label`` what a product's line
    is about (``price``, ``stock``, ``material``…)."""

    raw: str
    shown: str
    attribute: bool = False
    label: str | None = None
    item: bool = False

    @property
    def embedded(self) -> str:
        """What is compared with the question: a table row with its column names, other pieces as
        written (a product's sentence without the product's name, which every question names)."""
        if TABLE_ROW.match(self.raw):
            return self.shown
        return LIST_MARK.sub("", self.raw) if self.item else self.raw


@dataclass
class Composition:
    """A composed answer.

    Attributes:
        text: What the shopper reads.
        passage: The passage it is made from.
        pieces: The chosen pieces, as shown, in the passage's order.
        nearest: The piece nearest the question, as shown.
        verdict: The passage's own leading ``yes``/``no`` (None when it has none).
        verdict_kept: True when that verdict is in ``text`` (the shopper asked the FAQ's question).
        title_similarity: Similarity of the question to the FAQ's question (None for other passages).
    """

    text: str
    passage: Passage
    pieces: list[str] = field(default_factory=list)
    nearest: str = ""
    verdict: str | None = None
    verdict_kept: bool = False
    title_similarity: float | None = None


class WordVectors:
    """A stand-in embedder without a model: hashed bags of words (used when the retriever
    carries no embedder, as in tests); ranks pieces by the words they share with the question."""

    name = "hashed-words"
    dimension = 512

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9€]+", text.lower()):
                if len(word) > 3 or word.isdigit() or "€" in word:  # not "the", "is", "can"
                    bucket = int(hashlib.md5(word.rstrip("s").encode()).hexdigest(), 16) % (
                        self.dimension - 1
                    )
                    rows[row, bucket] += 1.0
            rows[row, -1] = 0.1  # never a zero vector
        normalised: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        return normalised


def _lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, unless its first word is an acronym ("DHL")."""
    word = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if len(word) == 1 or word[1:2].islower() else text


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _sentence(text: str) -> str:
    """``text`` as a sentence: capitalised (not "iDEAL"), ending in a full stop."""
    text = text.rstrip(" ;,")
    word = text.split(" ", 1)[0]
    if word[1:] == word[1:].lower():
        text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?:)" else f"{text}."


def table_row(header: list[str], row: list[str]) -> str:
    """A table row as a sentence: "Zone NL: standard delivery time 1–2 business days; …" (a cell
    that is a sentence of its own goes without its column's name)."""
    if len(header) != len(row) or len(row) < 2:
        return _sentence("; ".join(cell for cell in row if cell))
    head = f"{header[0]} {row[0]}" if header[0] else row[0]
    rest = "; ".join(
        c.rstrip(".") if not h or len(c.split()) > 5 else f"{_lower_first(h)} {c}"
        for h, c in zip(header[1:], row[1:], strict=True)
        if c
    )
    return f"{head}: {rest}."


# A product's lines that read best as sentences about it; the label that questions cue.
PRODUCT_SENTENCES = (
    (re.compile(r"^Price: (.+?)\.?$"), "The {name} costs {0}.", "price"),
    (re.compile(r"^In stock\.?$"), "The {name} is in stock.", "stock"),
    (re.compile(r"^Out of stock: (.+?)\.?$"), "The {name} is out of stock: {0}.", "stock"),
    (
        re.compile(r"^Final sale: this item (.+?)\.?$"),
        "The {name} is final sale: it {0}.",
        "final sale",
    ),
)
# Words of a question that ask for one of a product's lines (MiniLM does not tie "how much" to a price).
CUES = {
    "price": re.compile(r"\b(?:how much|price|prices|cost|costs|expensive|cheap)\b|€", re.I),
    "stock": re.compile(r"\b(?:stock|available|availability|sold out|back in)\b", re.I),
    "final sale": re.compile(r"\b(?:return|returned|refund|exchange)\b", re.I),
    "material": re.compile(r"\b(?:made (?:of|from)|material|fabric)\b", re.I),
    "weight": re.compile(r"\b(?:weigh|weighs|heavy)\b", re.I),
    "dimensions": re.compile(
        r"\b(?:dimensions|how big|how long|how wide|how tall|measure)\b", re.I
    ),
    "capacity": re.compile(r"\b(?:capacity|litres?|liters?|fits?|holds?)\b", re.I),
}
PRICE_WORDS = re.compile(r"\b(?:price|prices|cost|costs|expensive|cheap)\b|€", re.I)
CUE_BOOST = 0.25


def product_piece(line: str, name: str) -> Piece | None:
    """One line of a product record as a piece (None for lines shoppers do not read)."""
    for pattern, template, label in PRODUCT_SENTENCES:
        match = pattern.match(line)
        if match:
            return Piece(line, template.format(*match.groups(), name=name), label=label)
    attribute = ATTRIBUTE.match(line)
    if attribute is None or attribute.group(1).lower() in SENTENCE_LABELS:
        return Piece(line, line)
    label = attribute.group(1).lower()
    if label in HIDDEN_LABELS:
        return None
    return Piece(
        line, f"{label} {attribute.group(2).replace(' > ', ', ')}", attribute=True, label=label
    )


def pieces_of(passage: Passage) -> tuple[str | None, list[Piece]]:
    """(product name or None, the passage's pieces). A product's first line (its name and sku)
    is the subject, not a piece; a table's header row is read into each of its rows."""
    text = strip_instructions(passage.text) or passage.title
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    subject = None
    if passage.kind == "product" and lines:
        if len(lines) == 1:  # a record written on one line
            lines = units(lines[0], split_longer_than=0)
        subject, lines = passage.title or lines[0].rstrip("."), lines[1:]
    pieces: list[Piece] = []
    header: list[str] | None = None
    for line in lines:
        if TABLE_ROW.match(line):
            if header is None:
                header = _cells(line)
            else:
                pieces.append(Piece(line, table_row(header, _cells(line))))
            continue
        header = None
        if subject is None and (
            LIST_MARK.match(line) or line.endswith(";")
        ):  # a list item, kept as written
            pieces.append(Piece(line, line, item=True))
            continue
        if subject is not None and LIST_MARK.match(line):
            line = _sentence(LIST_MARK.sub("", line))
        if subject is not None and ATTRIBUTE.match(line) or subject is not None and len(line) < 60:
            piece = product_piece(line, subject)
            if piece is not None:
                pieces.append(piece)
            continue
        pieces.extend(Piece(unit, unit) for unit in units(line, split_longer_than=0))
    return subject, pieces


def strip_verdict(text: str) -> str:
    """``text`` without its leading "Yes"/"No" ("Yes, with DPD: …" -> "With DPD: …")."""
    rest = LEADING_VERDICT.sub("", text, count=1).strip()
    return rest[:1].upper() + rest[1:]


def compose(
    question: str,
    passage: Passage,
    embedder: Embedder | None = None,
    config: ComposeConfig | None = None,
) -> Composition:
    """The answer to ``question`` made of ``passage``'s sentences nearest it.

    Args:
        question: The shopper's message.
        passage: The best passage.
        embedder: Ranks the passage's pieces by similarity to the question (default: shared words).
        config: Limits.
    """
    config = config or ComposeConfig()
    embedder = embedder or WordVectors()
    subject, pieces = pieces_of(passage)
    if not pieces:
        return Composition(subject or passage.title, passage)
    faq_question = passage.question or passage.title if passage.kind == "faq" else None
    texts = [question, *([faq_question] if faq_question else []), *(p.embedded for p in pieces)]
    vectors = np.vstack(
        [embedder.encode(texts[start : start + 8]) for start in range(0, len(texts), 8)]
    )
    question_vector = vectors[0]
    title_similarity = float(vectors[1] @ question_vector) if faq_question else None
    piece_vectors = vectors[2:] if faq_question else vectors[1:]
    shown = [p.shown for p in pieces]
    similarity = piece_vectors @ question_vector
    cued = {label for label, cue in CUES.items() if cue.search(question)}
    if len(cued) > 1 and not PRICE_WORDS.search(question):  # "how much weight does it hold?"
        cued.discard("price")
    similarity = similarity + np.array([CUE_BOOST if p.label in cued else 0.0 for p in pieces])
    nearest = int(np.argmax(similarity))
    # A line that only leads into a list or table ("… one carrier per shipping zone:") says nothing.
    leads = [i for i, p in enumerate(pieces) if p.shown.endswith(":")]
    if len(leads) < len(pieces):
        similarity[leads] = -1.0
        nearest = int(np.argmax(similarity))
    near = [i for i in range(len(pieces)) if similarity[i] >= similarity[nearest] - config.margin]
    chosen = [
        near[i]
        for i in select_indices(
            similarity[near],
            [shown[i] for i in near],
            config.chars,
            keep_first=False,
            most=config.sentences,
        )
    ]
    # "It is free for orders from €50." needs the sentence before it to say what "it" is.
    for index in list(chosen):
        if (
            index
            and index - 1 not in chosen
            and PRONOUN_START.match(shown[index])
            and not pieces[index].attribute
            and len(chosen) < config.sentences + 1
            and sum(len(shown[i]) + 1 for i in chosen) + len(shown[index - 1])
            <= config.chars * 1.25
        ):
            chosen = sorted({*chosen, index - 1})
    # A list's items are read after the line that leads into them ("Fernhill Goods accepts:").
    for index in list(chosen):
        if pieces[index].item:
            lead = next((i for i in range(index - 1, -1, -1) if not pieces[i].item), None)
            if lead is not None and shown[lead].endswith(":") and lead not in chosen:
                chosen = sorted({*chosen, lead})
    verdict_match = LEADING_VERDICT.match(pieces[0].raw) if passage.kind != "product" else None
    verdict = verdict_match.group(1).lower() if verdict_match else None
    verdict_kept = bool(
        verdict and title_similarity is not None and title_similarity >= config.title_match
    )
    if verdict_kept and 0 not in chosen:  # the FAQ's direct answer to the very question asked
        chosen = [0, *chosen]
    said = [
        strip_verdict(text) if i == 0 and verdict and not verdict_kept else text
        for i, text in enumerate(shown)
    ]
    kept = [(pieces[i], said[i]) for i in chosen if said[i]]
    return Composition(
        render(subject, kept),
        passage,
        [text for _, text in kept],
        said[nearest],
        verdict,
        verdict_kept and 0 in chosen,
        title_similarity,
    )


def render(subject: str | None, kept: list[tuple[Piece, str]]) -> str:
    """The chosen pieces (each with its text as shown) as prose, in the passage's order. For a
    product, its attribute lines make one sentence where the first of them stands ("Name: material
    …; weight …." or, after a sentence naming it, "Material …; weight …."); the first sentence
    names the product."""
    if subject is None:
        out = ""
        for number, (piece, text) in enumerate(kept):
            after_item = number and kept[number - 1][0].item
            text = text if piece.item or text[-1:] in ".!?:;)" else f"{text}."
            out += ("\n" if piece.item or after_item else " ") + text if out else text
        return out
    parts: list[str] = []
    attributes = [text.rstrip(".") for piece, text in kept if piece.attribute]
    for piece, text in kept:
        if piece.attribute:
            if text.rstrip(".") == attributes[0]:
                joined = "; ".join(attributes)
                parts.append(
                    f"{subject}: {joined}." if not parts else f"{joined[:1].upper()}{joined[1:]}."
                )
            continue
        if parts and text.startswith(f"The {subject} "):  # named once is enough
            text = "It" + text[len(f"The {subject}") :]
        parts.append(text if parts or subject in text else f"{subject}: {_lower_first(text)}")
    return " ".join(parts) or f"{subject}."
