"""The grounding check: a generated reply may state only what the passages hold.

Every number, amount, percentage, date, time, e-mail address, phone number, URL, SKU and
capitalised name in the reply must appear in a passage (see :mod:`bot.generation.facts` for how
spellings are normalised); every catalogue product the reply names must be named in a passage;
words that promise something (a discount, a voucher, compensation…) must come from a passage;
and the reply must not talk about its own instructions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.generation.facts import Facts, extract_facts, normalise_url, source_facts

# Words that commit the shop to something: allowed only when a passage uses them too.
COMMITMENTS = ("discount", "voucher", "coupon", "compensat", "complimentary", "waive", "guarantee",
               "promo", "gift card", "store credit", "free", "refund", "reimburs", "cashback")
META = re.compile(r"system prompt|my (?:instructions|prompt|rules)|as an ai\b|language model|"
                  r"\bpassages?\b|\[\d+\]|shop information|conversation so far|shopper's mood|^\s*question\s*:|"
                  r"\bthe (?:numbered )?facts\b(?! about)",
                  re.I | re.M)
STOPWORDS = frozenset("""about after also and are because been but can could does each for from had has have
her his how into its just more most not only other our out over same some such than that the their them
then there these they this those very was were what when where which while who will with within without
would you your yours shop shopper""".split())


@dataclass(frozen=True)
class GroundingResult:
    """The verdict on one reply.

    Attributes:
        grounded: True when nothing in the reply is unsupported.
        unsupported: ``(kind, value)`` of each fact the passages do not hold.
    """

    grounded: bool
    unsupported: list[tuple[str, str]] = field(default_factory=list)


def _supported(kind: str, value: str, source: Facts, source_text: str) -> bool:
    if kind == "urls":
        return any(value in url or url in value for url in source.urls) or value in source_text
    if kind in ("money", "percents"):
        return value in getattr(source, kind) or (kind == "money" and value in source.numbers
                                                  and value not in source.percents)
    return value in getattr(source, kind)


def mentioned_products(text: str, product_names: Iterable[str]) -> set[str]:
    """Catalogue product names that occur in ``text`` (case-insensitive, whole words)."""
    lowered = text.lower()
    return {name for name in product_names
            if name and re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", lowered)}


def check_grounding(reply: str, passages: Iterable[str], product_names: Iterable[str] = (),
                    require_statement: bool = True, question: str = "") -> GroundingResult:
    """Checks ``reply`` against the ``passages`` it was written from.

    Args:
        reply: The generated reply.
        passages: Texts of the passages in the prompt (titles and links included).
        product_names: Every catalogue product name (a reply naming one must find it in a passage).
        require_statement: The reply must also state something in the passages' words (off for
            a lone acknowledgement such as "I'm sorry about the wait.").
        question: The shopper's message: names it holds ("Munich", "Apple Watch") may be
            repeated; its numbers may not (they could confirm a false premise).
    """
    source_text = "\n".join(passages)
    source = source_facts(source_text)
    source.urls |= {normalise_url(u) for u in source.urls}
    lowered_source = source_text.lower()
    unsupported = [(kind, value) for kind, value in extract_facts(reply).items()
                   if not _supported(kind, value, source, lowered_source)]
    unsupported += [("product", name) for name in sorted(mentioned_products(reply, product_names))
                    if name.lower() not in lowered_source]
    lowered = reply.lower()
    unsupported += [("commitment", word) for word in COMMITMENTS
                    if word in lowered and word not in lowered_source]
    unsupported += [("meta", match.group(0)) for match in META.finditer(reply)
                    if match.group(0).lower() not in lowered_source]  # quoting a passage is fine
    asked = question.lower()
    unsupported += [("name", word) for word in proper_names(reply)
                    if word.lower() not in lowered_source and word.lower() not in asked]
    contradiction = yes_no_contradiction(reply, passages)
    if contradiction:
        unsupported.append(("contradiction", contradiction))
    if require_statement and not says_something(reply, lowered_source):
        unsupported.append(("unhelpful", reply[:60]))
    return GroundingResult(not unsupported, unsupported)


# A capitalised word ("Utrecht", "PayPal", "PostNL") or an acronym ("DHL", "UPS") of two letters or more.
_NAME_WORD = re.compile(r"(?<![.!?:]\s)(?<!^)\b(?:[A-Z][a-z]{2,}[A-Za-z]*|[A-Z]{2,}[a-z]*)\b")
COMMON_CAPITALS = frozenset({"Fernhill", "Goods", "The", "You", "Your", "Yes", "Please", "Sorry", "Thanks",
                             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                             "EUR", "USD", "GBP"})  # currency codes: amounts are checked as amounts


def proper_names(reply: str) -> set[str]:
    """Capitalised words inside sentences (names of people, places, brands) of a reply."""
    found = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", reply):
        for match in _NAME_WORD.finditer(sentence.strip()):
            if match.start() > 0 and match.group(0) not in COMMON_CAPITALS:
                found.add(match.group(0))
    return found


_YES_NO = re.compile(r"^\W*(yes|no)\b", re.I)


def yes_no_contradiction(reply: str, passages: Iterable[str]) -> str | None:
    """The reply's "Yes"/"No" when the first passage that answers with one says the opposite."""
    said = _YES_NO.match(reply)
    if not said:
        return None
    for passage in passages:
        body = passage.split("\n", 1)[1] if "\n" in passage else passage  # after the title line
        answer = _YES_NO.match(body)
        if answer:
            return said.group(1) if answer.group(1).lower() != said.group(1).lower() else None
    return None


def content_words(text: str) -> set[str]:
    """Lower-case words of four letters or more that carry meaning."""
    # A crude stem (no plural "s") so "invoice" meets "invoices".
    return {w.rstrip("s") for w in re.findall(r"[a-z][a-z'-]{3,}", text.lower()) if w not in STOPWORDS}


def says_something(reply: str, lowered_source: str) -> bool:
    """True when the reply makes a statement (not only a question) with words from the passages."""
    statements = [s for s in re.split(r"(?<=[.!?])\s+", reply.strip()) if s and not s.endswith("?")]
    return bool(statements) and bool(content_words(reply) & content_words(lowered_source))
