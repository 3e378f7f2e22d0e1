"""What a shopper asks for, read from their words: kind, budget, features, colour, size,
recipient and occasion ("a waterproof backpack for hiking under 100 euros",
"a gift for my mum who likes cooking, budget 40 euros")."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.recommend.vocabulary import (
    COLOUR_WORDS,
    COLOURS,
    FEATURES,
    KINDS,
    OCCASIONS,
    RECIPIENTS,
    USES,
)

CHEAP = re.compile(r"\b(?:cheap(?:er|est)?|inexpensive|affordable|low[- ]cost|budget-friendly)\b")
_AMOUNT = (
    r"(?:€|eur\s*|euros?\s*)?(\d{1,5}(?:[.,]\d{1,2})?)\s*(?:€|eur\b|euros?\b|e\b|bucks\b|quid\b)?"
)
_CURRENCY = r"(?:€\s*\d|\d\s*(?:€|eur\b|euros?\b|bucks\b))"
_MAX = re.compile(
    r"\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|no more than|not more than|"
    r"at most|within|budget(?: of| is| around| about)?|no higher than|for less than|tops)\s*:?\s*"
    + _AMOUNT
)
_MIN = re.compile(
    r"(?<!no )(?<!not )\b(?:over|above|more than|at least|from|starting at|min(?:imum)?)\s*"
    + _AMOUNT
)
_NUMBER = r"(\d{1,5}(?:[.,]\d{1,2})?)"
_BETWEEN = re.compile(
    rf"\b(?:between|from)\s*€?\s*{_NUMBER}\s*(?:€|eur\b|euros?\b)?\s*(?:and|to|-)\s*€?\s*{_NUMBER}"
    rf"|€\s*{_NUMBER}\s*-\s*€?\s*{_NUMBER}|\b{_NUMBER}\s*-\s*{_NUMBER}\s*(?:€|eur\b|euros?\b)"
)
_FOR_AMOUNT = re.compile(
    r"\b(?:for|around|about|costing|of)\s*(?:€\s*(\d{1,5})|(\d{1,5})\s*(?:€|eur\b|euros?\b))"
)
_SIZE = re.compile(
    r"\b(?:size|sized|eu)\s*(\d{2}(?:\.5)?|xxs|xs|s|m|l|xl|xxl|small|medium|large)\b"
    r"|\bin (?:an? )?(\d{2}|xxs|xs|xl|xxl|small|medium|large)\b(?! ?(?:euros?|eur|€|cm|l\b|inch))"
)
_SIZE_WORDS = {"small": "S", "medium": "M", "large": "L"}
_LAPTOP = re.compile(r"\b(1[0-7](?:\.\d)?)[- ]?(?:inch|in\b|\"|”)(?:es)?(?: laptop| macbook)?")
_NEGATION = re.compile(
    r"\b(?:not|no|without|nothing|non|anything but|except|avoid|hate|allergic to|no more)\s+"
    r"(?:made (?:of|from|with) |in |a |an |real |genuine |any )?([a-z-]+(?: [a-z-]+)?)"
)


@dataclass(frozen=True)
class Request:
    """The constraints and preferences of a recommendation request.

    Hard constraints (never broken): ``kinds``, ``max_price``/``min_price``, ``features``,
    ``colour``, ``size``, ``laptop_inches``, ``kid`` (for a child), ``excluded``, and stock.
    Preferences only rank: ``uses`` when a kind is named, ``cheap``, ``gift``, ``recipient``.
    """

    kinds: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    max_price: Decimal | None = None
    min_price: Decimal | None = None
    cheap: bool = False
    features: tuple[str, ...] = ()
    colour: str | None = None
    size: str | None = None
    laptop_inches: float | None = None
    recipient: str | None = None
    occasion: str | None = None
    excluded: tuple[str, ...] = ()
    text: str = ""
    similar_to: str | None = None
    skip: tuple[str, ...] = field(default=())
    preferred_sizes: tuple[str, ...] = ()
    preferred_colours: tuple[str, ...] = ()

    @property
    def kid(self) -> bool:
        """For a child: only children's products fit."""
        return self.recipient == "kid"

    @property
    def gift(self) -> bool:
        """A present (for someone, or for an occasion)."""
        return self.occasion is not None or (self.recipient not in (None, "kid"))

    def is_empty(self) -> bool:
        """Nothing to go on: no kind, use, feature, budget, colour, size or recipient."""
        return not (
            self.kinds or self.uses or self.features or self.colour or self.size
            or self.max_price is not None or self.min_price is not None or self.recipient
            or self.occasion or self.laptop_inches or self.similar_to or self.cheap
        )  # fmt: skip

    def adds_constraint(self) -> bool:
        """Something to add to a request already served: anything :meth:`is_empty` looks for,
        or an exclusion ("not leather")."""
        return not self.is_empty() or bool(self.excluded)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (kept in a slot between turns)."""
        data = asdict(self)
        for key in ("max_price", "min_price"):
            data[key] = None if data[key] is None else str(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Request:
        """The request :meth:`to_dict` wrote (unknown keys ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("max_price", "min_price"):
            if known.get(key) is not None:
                known[key] = Decimal(str(known[key]))
        for key in ("kinds", "uses", "features", "excluded", "skip", "preferred_sizes",
                    "preferred_colours"):  # fmt: skip
            known[key] = tuple(known.get(key) or ())
        return cls(**known)

    def merged(self, newer: Request) -> Request:
        """This request refined by ``newer``: what ``newer`` states replaces or adds to it."""
        return replace(
            self,
            kinds=newer.kinds or self.kinds,
            uses=tuple(dict.fromkeys(self.uses + newer.uses)),
            max_price=newer.max_price if newer.max_price is not None else self.max_price,
            min_price=newer.min_price if newer.min_price is not None else self.min_price,
            cheap=self.cheap or newer.cheap,
            features=tuple(dict.fromkeys(self.features + newer.features)),
            colour=newer.colour or self.colour,
            size=newer.size or self.size,
            laptop_inches=newer.laptop_inches or self.laptop_inches,
            recipient=newer.recipient or self.recipient,
            occasion=newer.occasion or self.occasion,
            excluded=tuple(dict.fromkeys(self.excluded + newer.excluded)),
        )


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])")


_KIND_PATTERNS = [(_words(p), k.label) for p, k in KINDS.items()]
_USE_PATTERNS = [(_words(p), k.label) for p, k in USES.items()]
_FEATURE_PATTERNS = [(_words(spec[0]), name) for name, spec in FEATURES.items()]
_RECIPIENT_PATTERNS = [(_words(p), who) for p, who in RECIPIENTS.items()]
_OCCASION_PATTERNS = [(_words(p), what) for p, what in OCCASIONS.items()]
_COLOUR_PATTERN = _words("|".join(sorted({*COLOURS, *COLOUR_WORDS}, key=len, reverse=True)))


def _amount(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _budget(text: str) -> tuple[Decimal | None, Decimal | None]:
    between = _BETWEEN.search(text)
    if between:
        values = [g for g in between.groups() if g]
        low, high = _amount(values[0]), _amount(values[1]) if len(values) > 1 else None
        if low is not None and high is not None:
            return max(low, high), min(low, high)
    high = _amount(m.group(1)) if (m := _MAX.search(text)) else None
    low = _amount(m.group(1)) if (m := _MIN.search(text)) and _has_money(m.group(0)) else None
    if high is None and (m := _FOR_AMOUNT.search(text)):
        high = _amount(m.group(1) or m.group(2))
    return high, low


def _has_money(fragment: str) -> bool:
    return bool(re.search(_CURRENCY, fragment)) or bool(re.search(r"\d{2,}", fragment))


def _take(patterns: list[tuple[re.Pattern[str], str]], text: str) -> tuple[list[str], str]:
    """Labels of the patterns found in ``text``, and ``text`` with the matches blanked."""
    found: list[str] = []
    for pattern, label in patterns:
        if pattern.search(text):
            found.append(label)
            text = pattern.sub(" ", text)
    return list(dict.fromkeys(found)), text


def _take_longest(patterns: list[tuple[re.Pattern[str], str]], text: str) -> tuple[list[str], str]:
    """Like :func:`_take`, but the longest phrase wins where two overlap ("sleeping bag" over
    "bag"), and labels come in the order of the text."""
    spans = [(m.start(), m.end(), label) for p, label in patterns for m in p.finditer(text)]
    spans.sort(key=lambda s: (s[0] - s[1], s[0]))
    taken: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if all(end <= a or start >= b for a, b, _ in taken):
            taken.append((start, end, label))
    taken.sort()
    for start, end, _ in reversed(taken):
        text = text[:start] + " " + text[end:]
    return list(dict.fromkeys(label for _, _, label in taken)), text


def colour_of(text: str) -> str | None:
    """The colour family named in ``text`` ("navy" -> "blue"), or None."""
    match = _COLOUR_PATTERN.search(text.lower())
    if not match:
        return None
    word = match.group(0)
    return COLOUR_WORDS.get(word, word)


def size_of(text: str) -> str | None:
    """The size asked for ("size 42" -> "42", "in medium" -> "M"), or None."""
    match = _SIZE.search(text.lower())
    if not match:
        return None
    value = (match.group(1) or match.group(2)).lower()
    return _SIZE_WORDS.get(value, value.upper())


def excluded_of(text: str) -> list[str]:
    """What the shopper does not want ("not leather", "without plastic") as catalogue words."""
    found: list[str] = []
    for match in _NEGATION.finditer(text.lower()):
        phrase = match.group(1)
        for pattern, name in _FEATURE_PATTERNS:
            if pattern.search(phrase):
                found.append(name)
                break
        else:
            word = phrase.split()[0]
            if len(word) >= 4 and word not in {"more", "than", "over", "sure", "much", "really"}:
                found.append(word)
    return list(dict.fromkeys(found))


def parse_request(text: str) -> Request:
    """Reads a recommendation request.

    Args:
        text: The shopper's message.

    Returns:
        The request; :meth:`Request.is_empty` when nothing in it could be read.
    """
    lowered = " ".join(text.lower().replace("’", "'").split())
    max_price, min_price = _budget(lowered)
    excluded = excluded_of(lowered)
    # Blank the negated phrases so "not leather" does not also read as "leather".
    positive = _NEGATION.sub(" ", lowered)
    laptop = _LAPTOP.search(positive)
    recipients, rest = _take(_RECIPIENT_PATTERNS, positive)
    occasions, rest = _take(_OCCASION_PATTERNS, rest)
    features, _ = _take(_FEATURE_PATTERNS, rest)
    kinds, rest_no_kinds = _take_longest(_KIND_PATTERNS, rest)
    uses, _ = _take(_USE_PATTERNS, rest_no_kinds)
    if "rain jacket" in kinds or "rain boots" in kinds:
        uses = [u for u in uses if u != "rain"]
    if "leather" in features and "leather" not in lowered.replace("vegan leather", ""):
        features.remove("leather")
    return Request(
        kinds=tuple(_most_specific(kinds)),
        uses=tuple(uses),
        max_price=max_price,
        min_price=min_price,
        cheap=bool(CHEAP.search(positive)) and max_price is None,
        features=tuple(f for f in features if f not in excluded),
        colour=colour_of(positive),
        size=size_of(positive),
        laptop_inches=float(laptop.group(1)) if laptop else None,
        recipient=recipients[0] if recipients else None,
        occasion=occasions[0] if occasions else None,
        excluded=tuple(excluded),
        text=_without_budget(positive),
    )


def _without_budget(text: str) -> str:
    """The request's words for relevance: amounts of money left out ("SPF 30" is no budget)."""
    for pattern in (_BETWEEN, _MAX, _MIN, _FOR_AMOUNT):
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def _most_specific(kinds: list[str]) -> list[str]:
    """Drops a broad kind named beside a narrower one ("kitchen knife" -> knife)."""
    broad = {"kitchen", "home", "clothing", "beauty", "electronics", "shoes", "bag"}
    narrow = [k for k in kinds if k not in broad]
    return narrow or kinds
