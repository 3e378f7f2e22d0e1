"""The grounding check: a generated reply may state only what the passages hold.

Every number, amount, percentage, date, time, e-mail address, phone number, URL and SKU in the
reply must appear in a passage (see :mod:`bot.generation.facts` for how spellings are
normalised); every catalogue product the reply names must be named in a passage; words that
promise something (a discount, a voucher, compensation…) must come from a passage; and the
reply must not talk about its own instructions.
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
                  r"\bpassages?\b|\[\d+\]", re.I)


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


def check_grounding(reply: str, passages: Iterable[str], product_names: Iterable[str] = ()) -> GroundingResult:
    """Checks ``reply`` against the ``passages`` it was written from.

    Args:
        reply: The generated reply.
        passages: Texts of the passages in the prompt (titles and links included).
        product_names: Every catalogue product name (a reply naming one must find it in a passage).
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
    unsupported += [("meta", match.group(0)) for match in META.finditer(reply)]
    return GroundingResult(not unsupported, unsupported)
