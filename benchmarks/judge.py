"""An independent judge of replies to the labelled knowledge questions.

It knows nothing of the assistant's code (it imports nothing from ``bot/``): a reply is judged
only against the hand-written facts of ``evaluation/knowledge_questions.csv``.

Facts
    ``must`` and ``must_not`` hold facts separated by ``;``; a fact is a set of acceptable
    spellings separated by ``/`` (``€14.95/14.95 euros;DHL`` is two facts). A literal slash is
    written ``\\/``. Two facts are special: ``YES`` and ``NO`` stand for the reply's polarity
    (see ``polarity``); they may also be one spelling of a fact (``NO/street addresses only``).

Matching
    Reply and fact are both normalised (``normalise``) and a fact matches where it stands as
    a whole token sequence: not preceded by a letter or digit (nor by ``digit-`` or a decimal
    ``digit.``), not followed by a letter or digit (nor by ``.digit``). So "UPS" is not in
    "cups", "€5" is not in "€50" and "5 business days" is not in "3–5 business days".

Normalisation (``normalise``)
    - Unicode NFKC, lower case, curly quotes → straight, ``e-mail`` → ``email``;
    - en/em dashes and the minus sign → ``-``; ``1 - 2`` → ``1-2``; ``32-inch`` → ``32 inch``;
    - number words zero…twelve → digits; thousand separators dropped (``1,450`` and ``1.450``
      → ``1450``: a comma or point followed by exactly three digits); decimal comma → point
      (``14,95`` → ``14.95``); trailing ``.00`` dropped (``€89.00`` → ``€89``);
    - money: ``€ 14.95``, ``14.95 €``, ``EUR 14.95``, ``14.95 EUR``, ``14.95 euro(s)`` → ``€14.95``;
    - ``10 %``, ``10 percent``, ``10 per cent`` → ``10%``; ``30 °C``, ``30°``, ``30 degrees`` → ``30°c``;
    - units glued to a number get a space (``65W`` → ``65 w``, ``22L`` → ``22 l``);
      ``55x40`` and ``55 × 40`` → ``55 x 40``;
    - clock times: ``9am``, ``9 a.m.``, ``9:00`` → ``09:00``; ``6 pm`` → ``18:00``; a range
      ``09:00-18:00`` → ``09:00 to 18:00``;
    - runs of whitespace → one space.

Polarity (``polarity``)
    A reply that opens with "yes", "yeah", "yep", "sure", "of course", "absolutely" or
    "certainly" is YES. One that opens with "no" / "nope" / "sorry, no", or whose first sentence
    holds a negation ("not", "n't", "never", "cannot", "no longer", "no", "none"; the first sentence
    ends at ``.``, ``!``, ``?`` or ``:`` followed by a space, or at a line break; a leading
    "if/when/unless/once …," clause is left out), is NO. Anything else has no polarity.
    As a ``must`` fact, ``YES``/``NO`` is met by that polarity. As a ``must_not`` fact only an
    explicit verdict counts (the reply opens with yes / with no): "We don't ship to P.O. boxes"
    says no to the question "do you deliver to Toronto?" only by being beside the point, and is
    judged incorrect there, not false.

Refusals (``is_refusal``)
    The assistant's "I don't know" (it says "I don't know that" / "couldn't find it"), or a
    decline: "I can only help with …", "I can't help with …", "I'm not able to help …", "I can't
    create discounts …" (the answer step's replies to attempts to change its rules or get a deal).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

POLAR = frozenset({"YES", "NO"})

_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_UNITS = r"(?:kg|g|mg|ml|l|cm|mm|m|km|w|wh|mah|tb|gb|mb|v|hz|oz|cl)"
_OPENS_YES = re.compile(r"^\W*(?:yes|yeah|yep|yup|sure|of course|absolutely|certainly|indeed)\b")
_OPENS_NO = re.compile(
    r"^\W*(?:no|nope|sorry,? no|unfortunately,? no|unfortunately not|i'm afraid not)\b"
)
_NEGATION = re.compile(r"(?:\b(?:not|never|cannot|no longer|none|nor|neither)\b|n't\b|\bno\b)")
_CONDITION = re.compile(r"^\W*(?:if|when|unless|once|as long as|in case)\b[^,;]*[,;]\s*")
_REFUSAL = re.compile(
    r"\b(?:i|we) (?:don't|do not) know\b|\bcouldn't find it\b|\bcould not find it\b|"
    r"\bi can only help with\b|\bi can't help with\b|\bi cannot help with\b|\bi'm not able to help\b|"
    r"\bi am not able to help\b|\bi can't create discounts\b"
)


def normalise(text: str) -> str:
    """The judge's normal form of a reply or a fact (see the module docstring)."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    t = re.sub(r"\be-mail", "email", t)
    t = re.sub(r"[‐‑‒–—−]", "-", t)
    t = re.sub(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", lambda m: _NUMBER_WORDS[m.group(1)], t)
    t = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", t)
    t = re.sub(r"(?<=\d)-(?=[a-z])", " ", t)
    # thousand separators, then decimal comma, then .00
    t = re.sub(r"(?<=\d)[,.](?=\d{3}(?!\d))", "", t)
    t = re.sub(r"(?<=\d),(?=\d)", ".", t)
    t = re.sub(r"(?<=\d)\.00(?!\d)", "", t)
    # money
    t = re.sub(r"(?:€|\beur\b)\s*(\d[\d.]*)", r"€\1", t)
    t = re.sub(r"(?<![\d.€])(\d[\d.]*)\s*(?:€|\beur\b|\beuros?\b)", r"€\1", t)
    t = re.sub(r"(?<=\d)\s*(?:%|\bpercent\b|\bper cent\b)", "%", t)
    t = re.sub(r"(?<=\d)\s*(?:°\s*c\b|°|\s*degrees(?: celsius| c\b)?)", "°c", t)
    t = re.sub(r"(?<=\d)\s*[x×]\s*(?=\d)", " x ", t)
    t = re.sub(r"(?<=\d)(" + _UNITS + r")\b", r" \1", t)
    t = re.sub(r"\b(\d{1,2})(?::(\d\d))?\s*(a\.?m\.?|p\.?m\.?)(?=\W|$)", _clock, t)
    t = re.sub(r"(?<![\d:])(\d):(\d\d)\b", r"0\1:\2", t)
    t = re.sub(r"(?<=\d\d:\d\d)-(?=\d\d:\d\d)", " to ", t)
    return re.sub(r"\s+", " ", t).strip()


def _clock(match: re.Match[str]) -> str:
    hour, minutes = int(match.group(1)), match.group(2) or "00"
    if match.group(3).startswith("p") and hour < 12:
        hour += 12
    if match.group(3).startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minutes}"


def parse_facts(cell: str) -> list[tuple[str, ...]]:
    """``a/b;c`` → ``[("a", "b"), ("c",)]`` (``\\/`` is a literal slash; empty parts dropped)."""
    facts = []
    for part in (cell or "").split(";"):
        spellings = [s.replace("\0", "/").strip() for s in part.replace("\\/", "\0").split("/")]
        spellings = [s for s in spellings if s]
        if spellings:
            facts.append(tuple(spellings))
    return facts


def polarity(reply: str, explicit: bool = False) -> str | None:
    """``"YES"``, ``"NO"`` or None (see the module docstring); ``explicit``: only a reply that
    opens with yes or no has a polarity."""
    text = normalise(reply)
    if _OPENS_YES.match(text):
        return "YES"
    if _OPENS_NO.match(text):
        return "NO"
    if explicit:
        return None
    first = normalise(re.split(r"(?<=[.!?:])\s|\n", reply.strip(), maxsplit=1)[0])
    first = _CONDITION.sub("", first)
    return "NO" if _NEGATION.search(first) else None


def contains(reply: str, spelling: str, explicit: bool = False) -> bool:
    """True when ``spelling`` (one spelling of a fact, or YES/NO) is in ``reply``
    (``explicit``: YES/NO only as an opening verdict, as for ``must_not`` facts)."""
    if spelling in POLAR:
        return polarity(reply, explicit) == spelling
    needle = normalise(spelling)
    if not needle:
        return False
    pattern = r"(?<![0-9a-z])(?<!\d-)(?<!\d\.)" + re.escape(needle) + r"(?![0-9a-z])(?!\.\d)"
    return re.search(pattern, normalise(reply)) is not None


def fact_present(reply: str, fact: tuple[str, ...], explicit: bool = False) -> bool:
    """True when any spelling of ``fact`` is in ``reply`` (``explicit``: see ``contains``)."""
    return any(contains(reply, spelling, explicit) for spelling in fact)


def is_refusal(reply: str) -> bool:
    """True when ``reply`` is the assistant's "I don't know" or a decline."""
    return _REFUSAL.search(normalise(reply)) is not None


@dataclass(frozen=True)
class Verdict:
    """What the judge makes of one reply."""

    refused: bool
    correct: bool  # not a refusal, every must fact present, no must_not fact
    false_statement: bool  # not a refusal, and a must_not fact present
    missing: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()


def judge(reply: str, must: str, must_not: str) -> Verdict:
    """The verdict on ``reply`` against the facts of one answerable question. A refusal is
    neither correct nor false (its "I don't know" would otherwise read as the polarity NO)."""
    refused = is_refusal(reply)
    missing = tuple("/".join(f) for f in parse_facts(must) if not fact_present(reply, f))
    wrong = tuple(
        "/".join(f) for f in parse_facts(must_not) if fact_present(reply, f, explicit=True)
    )
    return Verdict(
        refused=refused,
        correct=not refused and not missing and not wrong and bool(parse_facts(must)),
        false_statement=not refused and bool(wrong),
        missing=missing,
        wrong=wrong,
    )
