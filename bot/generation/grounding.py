"""The grounding check: a generated reply may state only what its passages support.

Each claim of the reply needs a passage sentence that states it, with the same facts, polarity
and scope (:mod:`bot.generation.claims`); besides, every catalogue product the reply names must be
named in a passage, and the reply must not talk about its own instructions. The same check is the
judge ``python -m bot verify`` runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.generation.claim_scope import UnsupportedClaim
from bot.generation.claims import verify

META = re.compile(
    r"system prompt|my (?:instructions|prompt|rules)|as an ai\b|language model|"
    r"\bpassages?\b|\[\d+\]|shop information|conversation so far|shopper's mood|^\s*question\s*:|"
    r"\bthe (?:numbered )?facts\b(?! about)",
    re.I | re.M,
)
STOPWORDS = frozenset(
    """about after also and are because been but can could does each for from had has have
her his how into its just more most not only other our out over same some such than that the their them
then there these they this those very was were what when where which while who will with within without
would you your yours shop shopper""".split()
)


@dataclass(frozen=True)
class GroundingResult:
    """The verdict on one reply.

    Attributes:
        grounded: True when nothing in the reply is unsupported.
        unsupported: ``(kind, what)`` of each unsupported claim or name (kinds: ``fact``,
            ``polarity``, ``scope``, ``promise``, ``place``, ``contradiction``, ``not_stated``,
            ``product``, ``meta``, ``unhelpful``).
        claims: The unsupported claims with the reason for each.
    """

    grounded: bool
    unsupported: list[tuple[str, str]] = field(default_factory=list)
    claims: list[UnsupportedClaim] = field(default_factory=list)


def mentioned_products(text: str, product_names: Iterable[str]) -> set[str]:
    """Catalogue product names that occur in ``text`` (case-insensitive, whole words)."""
    lowered = text.lower()
    return {
        name
        for name in product_names
        if name and re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", lowered)
    }


def check_grounding(
    reply: str,
    passages: Iterable[str],
    product_names: Iterable[str] = (),
    require_statement: bool = True,
    question: str = "",
) -> GroundingResult:
    """Checks ``reply`` against the ``passages`` it was written from.

    Args:
        reply: The generated reply.
        passages: Texts of the passages in the prompt (titles and links included).
        product_names: Every catalogue product name (a reply naming one must find it in a passage).
        require_statement: The reply must also state something in the passages' words (off for
            a lone acknowledgement such as "I'm sorry about the wait.").
        question: The shopper's message: names it holds ("Munich", "Apple Watch") may be
            repeated, and a bare "Yes"/"No" is read as the answer to it; its numbers are checked
            like the reply's own (echoing them can confirm a false premise).
    """
    texts = list(passages)
    source_text = "\n".join(texts)
    lowered_source = source_text.lower()
    verdict = verify(reply, texts, question)
    claims = list(verdict.unsupported)
    unsupported = [(c.kind, f"{c.claim} ({c.reason})") for c in claims]
    unsupported += [
        ("product", name)
        for name in sorted(mentioned_products(reply, product_names))
        if name.lower() not in lowered_source
    ]
    unsupported += [
        ("meta", match.group(0))
        for match in META.finditer(reply)
        if match.group(0).lower() not in lowered_source
    ]  # quoting a passage is fine
    if require_statement and not says_something(reply, lowered_source):
        unsupported.append(("unhelpful", reply[:60]))
    return GroundingResult(not unsupported, unsupported, claims)


def content_words(text: str) -> set[str]:
    """Lower-case words of four letters or more that carry meaning."""
    # A crude stem (no plural "s") so "invoice" meets "invoices".
    return {
        w.rstrip("s") for w in re.findall(r"[a-z][a-z'-]{3,}", text.lower()) if w not in STOPWORDS
    }


def says_something(reply: str, lowered_source: str) -> bool:
    """True when the reply makes a statement (not only a question) with words or numbers from the
    passages."""
    statements = [s for s in re.split(r"(?<=[.!?])\s+", reply.strip()) if s and not s.endswith("?")]
    numbers = set(re.findall(r"\d+(?:[.,]\d+)*", reply))  # "$54.99" is said in any words
    source_numbers = set(re.findall(r"\d+(?:[.,]\d+)*", lowered_source))
    return bool(statements) and bool(
        content_words(reply) & content_words(lowered_source) or numbers & source_numbers
    )
