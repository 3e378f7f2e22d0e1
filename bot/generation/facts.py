"""Facts in a text, normalised so that different spellings of one fact compare equal.

``€4.95``, ``4.95 EUR`` and ``4,95 €`` are one amount; ``09:00`` and ``9 am`` one time;
``27 April`` and ``April 27th`` one date; ``+31 30 555 0142`` and ``030-5550142`` one phone
number (compared by their last nine digits).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(),
        1,
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "twice": 2,
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>()\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:example|com|nl|org|net|eu|io|de|co\.uk)(?:/[^\s<>()\"']*)?",
    re.I,
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<![\w€$£.,])\+?\(?\d{1,4}\)?(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\w%])")
SKU = re.compile(r"\b[A-Z]{2}-[A-Z]{2}-\d{4}\b", re.I)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
SLASH_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b")
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\b\.?(?:,?\s+(\d{{4}}))?", re.I
)
MONTH_DAY = re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\s*(a\.?m\.?|p\.?m\.?)?(?![\d])", re.I)
AMPM = re.compile(r"\b(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?![a-z])", re.I)
MONEY = re.compile(
    r"(?:[€$£]|\b(?:eur|euros?|usd|gbp)\b)\s*(\d[\d.,]*)|(\d[\d.,]*)\s*(?:[€$£]|\b(?:eur|euros?|usd|gbp|cents?)\b)",
    re.I,
)
PERCENT = re.compile(r"(\d[\d.,]*)\s*(?:%|percent\b|per cent\b)", re.I)
NUMBER = re.compile(r"(?<![\w])\d[\d,]*(?:\.\d+)?|\d+")
WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)


def number_value(raw: str) -> str | None:
    """``"1,000"`` -> ``"1000"``, ``"4,95"`` -> ``"4.95"``, ``"89.00"`` -> ``"89"`` (None if not a number)."""
    raw = raw.strip(".,")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", raw):
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def month_number(name: str) -> int:
    """1-12 for a month name or its abbreviation."""
    return MONTHS[name.lower().rstrip(".")[:3]]


def _clock(hour: int, minute: int, suffix: str | None) -> str | None:
    suffix = (suffix or "").lower().replace(".", "")
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    return f"{hour}:{minute:02d}" if hour < 25 and minute < 60 else None


@dataclass
class Facts:
    """The checkable facts of a text, each kind a set of normalised strings."""

    urls: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    skus: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    times: set[str] = field(default_factory=set)
    money: set[str] = field(default_factory=set)
    percents: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)

    def items(self) -> list[tuple[str, str]]:
        """Every fact as ``(kind, value)``."""
        return [(kind, value) for kind, values in vars(self).items() for value in sorted(values)]


def normalise_url(url: str) -> str:
    """Lower case, no scheme, no ``www.``, no trailing punctuation or slash."""
    url = url.lower().rstrip(".,;:!?)")
    url = re.sub(r"^https?://", "", url)
    return url.removeprefix("www.").rstrip("/")


def extract_facts(text: str) -> Facts:
    """The facts of ``text``; each matched span is blanked so it is not counted twice."""
    facts = Facts()
    rest = re.sub(r"(?m)^\s*\d{1,2}[.)](?=\s)", " ", text)  # list markers ("1. …") are not facts

    def take(pattern: re.Pattern[str], handle: Callable[[re.Match[str]], object]) -> None:
        nonlocal rest

        def sub(match: re.Match[str]) -> str:
            handle(match)
            return " " * len(match.group(0))

        rest = pattern.sub(sub, rest)

    take(EMAIL, lambda m: facts.emails.add(m.group(0).lower()))
    take(URL, lambda m: facts.urls.add(normalise_url(m.group(0))))
    take(SKU, lambda m: facts.skus.add(m.group(0).upper()))
    take(
        ISO_DATE,
        lambda m: facts.dates.update(
            {f"{int(m[2])}-{int(m[3])}", f"{m[1]}-{int(m[2])}-{int(m[3])}"}
        ),
    )
    take(SLASH_DATE, lambda m: facts.dates.add(f"{int(m[2])}-{int(m[1])}"))
    for pattern, day_group, month_group in ((DAY_MONTH, 1, 2), (MONTH_DAY, 2, 1)):

        def add_date(match: re.Match[str], day: int = day_group, month: int = month_group) -> None:
            facts.dates.add(f"{month_number(match.group(month))}-{int(match.group(day))}")

        take(pattern, add_date)
    take(CLOCK, lambda m: facts.times.add(_clock(int(m[1]), int(m[2]), m[3]) or m.group(0)))
    take(AMPM, lambda m: facts.times.add(_clock(int(m[1]), 0, m[2]) or m.group(0)))

    def phone(match: re.Match[str]) -> str:
        """Records a phone number (8 digits or more) and blanks it out; shorter runs stay."""
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) < 8:
            return match.group(0)
        facts.phones.add(digits[-9:])
        return " " * len(match.group(0))

    rest = PHONE.sub(phone, rest)
    take(PERCENT, lambda m: facts.percents.add(number_value(m[1]) or m[1]))
    take(MONEY, lambda m: facts.money.add(number_value(m[1] or m[2]) or (m[1] or m[2])))
    for match in NUMBER.finditer(rest):
        value = number_value(match.group(0))
        if value is not None:
            facts.numbers.add(value)
    for match in WORD.finditer(rest):
        facts.numbers.add(number_value(str(NUMBER_WORDS[match.group(1).lower()])) or "")
    facts.numbers.discard("")
    return facts


def source_facts(text: str) -> Facts:
    """The facts of passages, made generous: every amount, percentage, time part and date
    part also counts as a plain number, so a reply may say "50" for "€50"."""
    facts = extract_facts(text)
    facts.numbers |= facts.money | facts.percents
    for clock in list(facts.times):
        hour, _, minute = clock.partition(":")
        if not (hour.isdigit() and minute.isdigit()):
            continue
        facts.numbers.add(hour)
        facts.times.add(f"{int(hour) % 12 or 12}:{minute}")  # "18:00" also as "6:00" ("6 pm")
    for date in facts.dates:
        facts.numbers.update(part for part in date.split("-"))
    return facts
