"""Follow-ups to shown suggestions: "anything cheaper?", "in blue?", "more like the second one",
"not leather", "show me more", "compare the first two"."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from bot.commerce.catalogue import Catalogue
from bot.recommend.request import Request, parse_request

CHEAPER = re.compile(
    r"\b(?:cheaper|less expensive|lower price|more affordable|too (?:expensive|pricey))\b"
)
PRICIER = re.compile(r"\b(?:more expensive|pricier|higher end|premium|better quality)\b")
MORE = re.compile(
    r"\b(?:show (?:me )?more|more (?:options|suggestions|ideas)|other (?:options|ones|suggestions)|"
    r"anything else|something else|what else|next ones?|different ones?)\b"
)
SIMILAR = re.compile(r"\b(?:more like|similar to|like the|something like|others? like)\b")
COMPARE = re.compile(
    r"\b(?:compare|comparison|difference between|differences|which (?:one )?is better)\b"
)
_ORDINALS = {
    "first": 0, "1st": 0, "one": 0, "1": 0,
    "second": 1, "2nd": 1, "two": 1, "2": 1,
    "third": 2, "3rd": 2, "three": 2, "3": 2,
    "last": -1,
}  # fmt: skip
_ORDINAL = re.compile(r"\b(first|1st|second|2nd|third|3rd|last|one|two|three|[123])\b")
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Followup:
    """What a follow-up asks: a new search (``request``) or a comparison (``compare``)."""

    request: Request | None = None
    compare: tuple[str, ...] = ()
    more: bool = False


def positions(text: str, count: int) -> list[int]:
    """Positions (0-based) of the shown products the text points at: "the first two" -> [0, 1],
    "the second and the third" -> [1, 2], "the last one" -> [count - 1]."""
    lowered = text.lower()
    if re.search(r"\b(?:first|top) (?:two|2)\b|\bboth\b|\bthem\b|\bthose\b|\bthese\b", lowered):
        return [0, 1][: max(count, 0)]
    if re.search(r"\b(?:all|first|top) (?:three|3)\b", lowered):
        return [0, 1, 2][: max(count, 0)]
    found: list[int] = []
    for word in _ORDINAL.findall(lowered):
        index = _ORDINALS[word]
        index = count + index if index < 0 else index
        if 0 <= index < count and index not in found:
            found.append(index)
    return found


def read_followup(
    text: str, previous: Request, shown: list[str], seen: list[str], catalogue: Catalogue
) -> Followup:
    """The follow-up ``text`` applied to the ``previous`` request.

    Args:
        text: The shopper's message.
        previous: The request whose products were shown.
        shown: SKUs shown last, in the order shown.
        seen: Every SKU shown since the request began.
        catalogue: The catalogue (prices of the shown products).
    """
    lowered = text.lower()
    picked = [shown[i] for i in positions(lowered, len(shown))]
    if COMPARE.search(lowered):
        return Followup(compare=tuple(picked or shown[:2]))
    newer = parse_request(text)
    request = previous.merged(newer)
    first = catalogue.get(shown[0]) if shown else None
    if CHEAPER.search(lowered) and first is not None:
        limit = first.price - PENNY
        if request.max_price is None or limit < request.max_price:
            request = replace(request, max_price=limit, cheap=False)
    if PRICIER.search(lowered) and first is not None:
        request = replace(request, min_price=first.price + PENNY)
    if SIMILAR.search(lowered) and picked:
        anchor = catalogue.get(picked[0])
        request = replace(
            request, similar_to=picked[0], text=anchor.name if anchor else request.text
        )
    skip: tuple[str, ...] = ()
    if MORE.search(lowered) or SIMILAR.search(lowered):
        skip = tuple(seen)
    elif CHEAPER.search(lowered) or PRICIER.search(lowered):
        skip = tuple(shown)
    return Followup(request=replace(request, skip=skip), more=bool(MORE.search(lowered)))
