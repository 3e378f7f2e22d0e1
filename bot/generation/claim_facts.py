"""The facts of one sentence, each with what it measures: an amount with its currency, a number
with its unit, a date, a time, a contact detail, a name.

Where :mod:`bot.generation.facts` gives the facts of a whole text as sets of values, the claim
check needs them per sentence and with their unit: "€30" (an amount) is not "30 days" (a
duration), "14.95 dollars" is not "€14.95", "30 weeks" is not "30 days".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.generation.facts import (
    AMPM,
    CLOCK,
    DAY_MONTH,
    EMAIL,
    ISO_DATE,
    MONTH_DAY,
    NUMBER_WORDS,
    PERCENT,
    PHONE,
    SKU,
    SLASH_DATE,
    URL,
    _clock,
    month_number,
    normalise_url,
    number_value,
)

CURRENCIES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "cent": "EUR-cent",
    "cents": "EUR-cent",
}
_CURRENCY = r"(€|\$|£|\b(?:eur|euros?|usd|dollars?|gbp|pounds?)\b)"
MONEY_BEFORE = re.compile(_CURRENCY + r"\s*(\d[\d.,]*\d|\d)", re.I)
MONEY_AFTER = re.compile(
    r"(\d[\d.,]*\d|\d)\s*" + r"(€|\$|£|\b(?:eur|euros?|usd|dollars?|gbp|pounds?|cents?)\b)", re.I
)
NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)(?:\s*(?:–|-|to|or)\s*(\d+(?:[.,]\d+)*))?")
NUMBER_WORD = re.compile(
    r"\b("
    + "|".join(NUMBER_WORDS)
    + r"|one)\b(?:\s*(?:–|-|to|or)\s*("
    + "|".join(NUMBER_WORDS)
    + r"))?",
    re.I,
)
# Units a number is measured in; spellings map to one name.
UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "hour": "hour",
    "hours": "hour",
    "h": "hour",
    "hrs": "hour",
    "minute": "minute",
    "minutes": "minute",
    "min": "minute",
    "mins": "minute",
    "second": "second",
    "seconds": "second",
    "item": "item",
    "items": "item",
    "product": "item",
    "products": "item",
    "piece": "item",
    "pieces": "item",
    "order": "order",
    "orders": "order",
    "time": "time",
    "times": "time",
    "cm": "cm",
    "mm": "mm",
    "m": "metre",
    "kg": "kg",
    "g": "g",
    "l": "litre",
    "litre": "litre",
    "litres": "litre",
    "liter": "litre",
    "liters": "litre",
    "ml": "ml",
    "inch": "inch",
    "inches": "inch",
    "person": "person",
    "people": "person",
    "persons": "person",
    "code": "code",
    "codes": "code",
    "size": "size",
    "sizes": "size",
    "star": "star",
    "stars": "star",
    "month's": "month",
    "day's": "day",
}
# Words that may stand between a number and its unit ("2 business days", "30 calendar days").
UNIT_FILLERS = frozenset(
    "business working calendar full more extra additional further consecutive".split()
)
NOT_UNITS = frozenset(
    """with from that this than then when what each your their more less over under
after before about into onto also only just plus free days""".split()
)
# One name, several spellings: a country and its code or adjective.
ALIASES = [
    ("netherlands", "nl", "holland", "dutch"),
    ("belgium", "be", "belgian"),
    ("germany", "de", "german"),
    ("luxembourg", "lu"),
    ("france", "fr", "french"),
    ("united kingdom", "uk", "gb", "britain", "great britain", "england", "british"),
    ("united states", "usa", "us", "america", "american", "u.s."),
    ("canada", "canadian"),
    ("switzerland", "ch", "swiss"),
    ("norway", "norwegian"),
    ("australia", "au", "australian"),
    ("spain", "es", "spanish"),
    ("italy", "italian"),
    ("austria", "austrian"),
    ("ireland", "ie", "irish"),
    ("poland", "pl", "polish"),
    ("sweden", "se", "swedish"),
    ("denmark", "dk", "danish"),
    ("portugal", "pt", "portuguese"),
]
ALIAS_OF = {spelling: group[0] for group in ALIASES for spelling in group}
# Two-letter country codes count only when written in capitals ("BE", never "be").
CODES = frozenset(s for group in ALIASES for s in group if len(s) == 2 or s == "u.s.")

# Capitalised words that are no names: sentence openings, days, months, titles of address.
COMMON_CAPITALS = frozenset(
    """a an the we you your our i it its this that these those there here yes no
please sorry thanks thank unfortunately however also of for if in on at to with and or but so as by from
hi hello dear great sure good happy when where what which who how why is are can could would will may do
does did not all any each every some most just only orders order returns return shipping delivery
standard express free refunds refund items item customers customer products product monday tuesday
wednesday thursday friday saturday sunday january february march april june july august september
october november december eur usd gbp vat faq ok fernhill goods let my me once after before note
sadly luckily absolutely certainly currently typically usually normally generally of course alternatively
otherwise then because since while although though if unless until both either neither our
ours you'll we'll we're you're it's that's there's i'm i'd i'll don't can't won't""".split()
)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
# "Monday to Saturday" holds every day from the first to the last; "Saturdays" is "Saturday".
WEEKDAYS = re.compile(rf"\b{_DAY}(?:\s*(?:to|through|until|till|–|-)\s*{_DAY})?\b", re.I)


def weekdays(match: re.Match[str]) -> list[Fact]:
    """The days a weekday or a range of weekdays names, as names."""
    first = DAYS.index(match.group(1).lower())
    last = DAYS.index(match.group(2).lower()) if match.group(2) else first
    span = [DAYS[(first + i) % 7] for i in range((last - first) % 7 + 1)]
    return [Fact("name", day, text=match.group(0)) for day in span]


NAME_WORD = re.compile(r"\b(?:[A-Z][a-z]+[A-Za-z]*|[A-Z]{2,}[a-z]*|[a-z]+[A-Z][A-Za-z]*)\b(?!')")


@dataclass(frozen=True)
class Fact:
    """One checkable fact of a sentence.

    Attributes:
        kind: ``money``, ``number``, ``percent``, ``date``, ``time``, ``phone``, ``email``,
            ``url``, ``sku`` or ``name``.
        value: The normalised value ("14.95", "4-27", "9:00", "dhl", "netherlands").
        unit: The currency of an amount, the unit of a number ("day"), or "" when none is said.
        text: The words as written (for messages).
    """

    kind: str
    value: str
    unit: str = ""
    text: str = ""


def _unit_after(text: str, end: int) -> str:
    words = re.findall(r"[a-zA-Z']+|\S", text[end : end + 40])
    for word in words[:3]:
        lowered = word.lower()
        if lowered in UNIT_FILLERS or lowered in ("-", "–"):
            continue
        if lowered in UNITS:
            return UNITS[lowered]
        # Another noun counts as the unit too ("24 charges" is not "24 hours"); little words do not.
        return (
            lowered.rstrip("s")[:6]
            if len(lowered) > 3 and lowered.isalpha() and lowered not in NOT_UNITS
            else ""
        )
    return ""


def _number(raw: str) -> str:
    value = number_value(raw)
    return value if value is not None else raw


def extract(text: str, all_names: bool = False) -> list[Fact]:
    """The facts of ``text`` (one sentence or a few); each span is counted once.

    Args:
        text: The text.
        all_names: Also count a capitalised first word of a sentence as a name (for passages,
            whose names can only help; a reply's first words are mostly common words).
    """
    facts: list[Fact] = []
    rest = re.sub(r"(?m)^\s*\d{1,2}[.)](?=\s)", " ", text)  # list markers ("1. …") are not facts

    def take(
        pattern: re.Pattern[str], make: Callable[[re.Match[str]], Fact | list[Fact] | None]
    ) -> None:
        nonlocal rest

        def sub(match: re.Match[str]) -> str:
            made = make(match)
            if made is None:
                return match.group(0)
            facts.extend(made if isinstance(made, list) else [made])
            return " " * len(match.group(0))

        rest = pattern.sub(sub, rest)

    take(EMAIL, lambda m: Fact("email", m.group(0).lower(), text=m.group(0)))
    take(URL, lambda m: Fact("url", normalise_url(m.group(0)), text=m.group(0)))
    take(SKU, lambda m: Fact("sku", m.group(0).upper(), text=m.group(0)))
    take(ISO_DATE, lambda m: Fact("date", f"{int(m[2])}-{int(m[3])}", text=m.group(0)))
    take(SLASH_DATE, lambda m: Fact("date", f"{int(m[2])}-{int(m[1])}", text=m.group(0)))
    take(WEEKDAYS, weekdays)
    take(DAY_MONTH, lambda m: Fact("date", f"{month_number(m[2])}-{int(m[1])}", text=m.group(0)))
    take(MONTH_DAY, lambda m: Fact("date", f"{month_number(m[1])}-{int(m[2])}", text=m.group(0)))
    take(
        CLOCK,
        lambda m: Fact("time", _clock(int(m[1]), int(m[2]), m[3]) or m.group(0), text=m.group(0)),
    )
    take(AMPM, lambda m: Fact("time", _clock(int(m[1]), 0, m[2]) or m.group(0), text=m.group(0)))

    def phone(match: re.Match[str]) -> Fact | None:
        digits = re.sub(r"\D", "", match.group(0))
        return Fact("phone", digits[-9:], text=match.group(0)) if len(digits) >= 8 else None

    take(PHONE, phone)
    take(PERCENT, lambda m: Fact("percent", _number(m[1]), text=m.group(0)))
    take(MONEY_BEFORE, lambda m: Fact("money", _number(m[2]), CURRENCIES[m[1].lower()], m.group(0)))
    take(MONEY_AFTER, lambda m: Fact("money", _number(m[1]), CURRENCIES[m[2].lower()], m.group(0)))

    def number(match: re.Match[str]) -> list[Fact]:
        unit = _unit_after(rest, match.end())
        return [
            Fact("number", _number(raw), unit, match.group(0))
            for raw in (match[1], match[2])
            if raw
        ]

    take(NUMBER, number)

    def number_word(match: re.Match[str]) -> list[Fact] | None:
        unit = _unit_after(rest, match.end())
        if match[1].lower() == "one" and not (unit and unit != "order"):
            return None  # "one" is mostly a pronoun ("the one you ordered")
        values = [str(NUMBER_WORDS.get(w.lower(), 1)) for w in (match[1], match[2]) if w]
        return [Fact("number", value, unit, match.group(0)) for value in values]

    take(NUMBER_WORD, number_word)
    if all_names:  # a passage's "an hour", "a week" are one of it (a reply's "one hour" is checked)
        facts.extend(
            Fact("number", "1", UNITS[m[1].lower()], m.group(0))
            for m in re.finditer(r"\b(?:an?|per)\s+(hour|day|week|month|year)\b", rest, re.I)
        )
    facts.extend(names(text, all_names))
    return facts


def names(text: str, all_names: bool = False) -> list[Fact]:
    """Names in ``text``: capitalised words and acronyms anywhere (a sentence's first word only
    when it is an acronym or no common word), and countries in any spelling."""
    found: list[Fact] = []
    lowered = f" {text.lower()} "
    for group in ALIASES:
        for spelling in group:
            if spelling in CODES:
                if re.search(rf"(?<![\w.]){re.escape(spelling.upper())}(?![\w])", text):
                    found.append(Fact("name", group[0], text=spelling.upper()))
                    break
            elif re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", lowered):
                found.append(Fact("name", group[0], text=spelling))
                break
    countries = {f.value for f in found}
    for match in NAME_WORD.finditer(text):
        word = match.group(0)
        lowered_word = word.lower()
        if (
            lowered_word in COMMON_CAPITALS
            or (lowered_word.endswith("s") and lowered_word[:-1] in COMMON_CAPITALS)  # Saturdays
            or ALIAS_OF.get(lowered_word) in countries
        ):
            continue
        opens = re.search(r"(?:^|[.!?:;]\s+|\n\s*|^\W+)$", text[: match.start()]) is not None
        plain = not (word.isupper() or any(c.isupper() for c in word[1:]))
        # A sentence's plain first word may be a common word: marked, for the caller to decide.
        value = (
            lowered_word[:-1]
            if plain and len(lowered_word) > 4 and lowered_word.endswith("s")
            else lowered_word
        )
        found.append(
            Fact("name", value, "opening" if opens and plain and not all_names else "", word)
        )
    return found


def same(claimed: Fact, stated: Fact) -> bool:
    """True when ``stated`` (a passage's fact) says what ``claimed`` (the reply's) says."""
    if claimed.kind == "name" or stated.kind == "name":
        return claimed.kind == stated.kind and claimed.value == stated.value
    if claimed.value != stated.value:
        return (
            claimed.kind == stated.kind == "number"
            and _duration(claimed) is not None
            and _duration(claimed) == _duration(stated)
        )  # "one hour" is "60 minutes"
    if claimed.kind == stated.kind == "money":
        return not claimed.unit or not stated.unit or claimed.unit == stated.unit
    if claimed.kind == stated.kind:
        return (
            claimed.kind != "number"
            or not claimed.unit
            or not stated.unit
            or claimed.unit == stated.unit
        )
    # An amount or a number without a unit meets the other kind, never a number with a unit
    # ("€30" is not "30 days"); a percentage meets only a percentage.
    kinds = {claimed.kind, stated.kind}
    if kinds == {"money", "number"}:
        number = claimed if claimed.kind == "number" else stated
        return not number.unit
    return False


MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}
MONTHS_OF = {"month": 1, "year": 12}


def _duration(fact: Fact) -> tuple[str, float] | None:
    """A time span in one unit of its scale: minutes, or months."""
    try:
        value = float(fact.value)
    except ValueError:
        return None
    if fact.unit in MINUTES:
        return "minutes", value * MINUTES[fact.unit]
    if fact.unit in MONTHS_OF:
        return "months", value * MONTHS_OF[fact.unit]
    return None


def holds(claimed: Fact, stated: list[Fact]) -> bool:
    """True when one of the ``stated`` facts says what ``claimed`` says."""
    return any(same(claimed, fact) for fact in stated)
