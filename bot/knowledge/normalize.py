"""Query normalisation: spelling correction against the index's own words and a small
dictionary of shoppers' words for the shop's ones ("parcel" for "package", "money back" for
"refund").

Both are cheap (a dictionary look-up per word, an edit-distance scan only for a word nobody
knows) and leave a question in the shop's own words unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Contractions typed without the apostrophe: words, not typos.
CONTRACTIONS = frozenset(
    "dont doesnt didnt cant couldnt wont wouldnt isnt arent wasnt werent havent hasnt hadnt shouldnt "
    "whats thats theres heres hows whos wheres im ive id youre youve theyre weve lets mens womens "
    "childrens kids".split()
)

# A shopper's word or phrase -> words the shop's texts use for it (added to the query, never
# replacing it). General web-shop vocabulary, not one shop's: British/American pairs, informal
# words, and countries to the shipping-zone words shops' pages use.
SHOP_SYNONYMS: dict[str, str] = {
    "parcel": "package",
    "parcels": "packages",
    "package": "parcel",
    "packages": "parcels",
    "postage": "shipping cost",
    "post": "ship",
    "posted": "shipped",
    "posting": "shipping",
    "dispatch": "ship leave warehouse",
    "dispatched": "shipped",
    "sent out": "shipped",
    "courier": "carrier",
    "couriers": "carriers",
    "delivery charge": "shipping cost",
    "delivery fee": "shipping cost",
    "p&p": "shipping cost",
    "money back": "refund",
    "reimburse": "refund",
    "reimbursed": "refunded",
    "reimbursement": "refund",
    "repay": "refund",
    "compensation": "refund",
    "send back": "return",
    "send it back": "return",
    "sent back": "returned",
    "sending back": "returning",
    "take back": "return",
    "bring back": "return",
    "swap": "exchange",
    "swapped": "exchanged",
    "trainers": "sneakers shoes",
    "trainer": "sneaker shoe",
    "sneakers": "trainers shoes",
    "jumper": "sweater",
    "jumpers": "sweaters",
    "pullover": "sweater",
    "rucksack": "backpack",
    "knapsack": "backpack",
    "holdall": "weekender duffel bag",
    "wellies": "rain boots",
    "wellingtons": "rain boots",
    "gumboots": "rain boots",
    "pants": "trousers",
    "sweatshirt": "hoodie",
    "flip flops": "flip-flops",
    "wash bag": "toiletry bag",
    "washbag": "toiletry bag",
    "thermos": "flask bottle",
    "jogging": "running",
    "jog": "run",
    "hotline": "phone",
    "helpline": "phone",
    "ring": "call phone",
    "telephone": "phone",
    "trading hours": "opening hours",
    "opening times": "opening hours",
    "open hours": "opening hours",
    "human": "person agent",
    "real person": "human agent",
    "operator": "agent",
    "receipt": "invoice",
    "bill": "invoice",
    "btw": "vat",
    "sales tax": "vat",
    "customs": "import duties",
    "duty": "import duties",
    "tariff": "import duties",
    "debit": "charge",
    "debited": "charged",
    "billed": "charged",
    "taken twice": "charged twice",
    "rejected": "declined",
    "refused": "declined",
    "bounced": "declined",
    "instalments": "pay later klarna",
    "installments": "pay later klarna",
    "pay later": "klarna",
    "call off": "cancel",
    "called off": "cancelled",
    "boxed up": "packed",
    "restocking": "re-stocking",
    "login": "sign in password account",
    "log in": "sign in",
    "logon": "sign in",
    "username": "account e-mail",
    "erase": "delete",
    "remove my data": "delete account",
    "wipe": "delete",
    "voucher": "discount code",
    "promo code": "discount code",
    "coupon": "discount code",
    "promo": "discount",
    "money off": "discount",
    "mailouts": "newsletter",
    "mailing list": "newsletter",
    "marketing emails": "newsletter",
    "newsletters": "newsletter",
    "emails": "e-mails",
    "email": "e-mail",
    "guarantee": "warranty",
    "broke": "broken defect",
    "faulty": "defect",
    "defective": "faulty",
    "smashed": "damaged",
    "crushed": "damaged",
    "dented": "damaged",
    "gone missing": "lost",
    "missing": "lost",
    "never arrived": "lost",
    "not arrived": "lost late",
    "stolen": "lost",
    "late": "delayed",
    "sold out": "out of stock",
    "restock": "back in stock",
    "back in stock": "notify me",
    "basket": "cart",
    "cart": "basket",
    "checkout": "check out",
    "postcode": "address",
    "zip code": "address",
    "po box": "p.o. box",
    "pobox": "p.o. box",
    "holland": "netherlands",
    "the states": "usa",
    "america": "usa",
    "american": "usa",
    "united states": "usa",
    "britain": "united kingdom uk",
    "england": "united kingdom uk",
    "scotland": "united kingdom uk",
    "wales": "united kingdom uk",
    "northern ireland": "united kingdom uk",
    **{
        country: "eu rest of the eu"
        for country in (
            "ireland",
            "spain",
            "italy",
            "portugal",
            "austria",
            "poland",
            "sweden",
            "denmark",
            "finland",
            "greece",
            "czechia",
            "czech",
            "hungary",
            "romania",
            "bulgaria",
            "croatia",
            "slovakia",
            "slovenia",
            "estonia",
            "latvia",
            "lithuania",
            "malta",
            "cyprus",
        )
    },
}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment) of ``a`` and ``b``; any value
    above ``limit`` is returned as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def model_words(model_path: str | Path) -> frozenset[str]:
    """Whole words of a BERT-style model's ``vocab.txt`` (empty if there is none): ordinary
    English words, so that a real word the shop's texts never use is not "corrected"."""
    vocab = Path(model_path) / "vocab.txt"
    if not vocab.is_file():
        return frozenset()
    words = vocab.read_text(encoding="utf-8").split()
    return frozenset(w for w in words if w.isalpha() and w.islower())


@dataclass(frozen=True)
class NormalizedQuery:
    """A question after normalisation.

    Attributes:
        text: The question with misspelt words corrected (what is embedded).
        expanded: ``text`` followed by the shop's words for the shopper's ones (what BM25 scores).
        corrections: ``(wrong, right)`` pairs applied.
    """

    text: str
    expanded: str
    corrections: tuple[tuple[str, str], ...] = ()


class QueryNormalizer:
    """Corrects unknown words to the nearest word of the index and adds the shop's synonyms.

    A word is corrected only when it is at least ``min_length`` letters long, appears neither
    in the index's texts nor in ``known_words`` (an ordinary dictionary), and a word of the
    index starting with the same letter lies within edit distance 1 (2 for words of 8 letters
    or more); among several, the most frequent in the index wins.

    Args:
        texts: The index's passage texts (their words are the vocabulary).
        known_words: Correct words outside the index (e.g. :func:`model_words`).
        synonyms: Shopper's word or phrase -> the shop's words (``{}``: no expansion).
        spelling: Correct spelling at all.
        min_length: Shortest word that is corrected.
    """

    def __init__(
        self,
        texts: Iterable[str],
        known_words: Iterable[str] = (),
        synonyms: dict[str, str] | None = None,
        *,
        spelling: bool = True,
        min_length: int = 4,
    ) -> None:
        self.frequency = Counter(w for text in texts for w in _WORD.findall(text.lower()))
        self.known = frozenset(known_words) | frozenset(self.frequency) | CONTRACTIONS
        self.synonyms = SHOP_SYNONYMS if synonyms is None else synonyms
        self.known |= frozenset(w for phrase in self.synonyms for w in phrase.split())
        self.spelling = spelling
        self.min_length = min_length
        by_initial: dict[str, list[str]] = {}
        for word in sorted(self.frequency, key=lambda w: (-self.frequency[w], w)):
            if word.isalpha() and len(word) >= 3:
                by_initial.setdefault(word[0], []).append(word)
        self._by_initial = by_initial
        patterns = sorted(self.synonyms, key=len, reverse=True)
        self._phrases = (
            re.compile(r"\b(" + "|".join(re.escape(p) for p in patterns) + r")\b")
            if patterns
            else None
        )
        self.correct = lru_cache(maxsize=4096)(self._correct)

    def _is_known(self, word: str) -> bool:
        """``word`` or a simple inflection of it is a known word ("bake": "baked", "skis": "ski")."""
        if word in self.known:
            return True
        forms = [word + "s", word + "d", word + "ed", word + "ing", word[:-1] + "ing"]
        if word.endswith("s"):
            forms.append(word[:-1])
        if word.endswith(("es", "ed")):
            forms.append(word[:-2])
        return any(form in self.known for form in forms if len(form) >= 3)

    def _correct(self, word: str) -> str:
        """The index word ``word`` was probably meant to be (``word`` itself if none)."""
        if (
            not self.spelling
            or len(word) < self.min_length
            or not word.isalpha()
            or self._is_known(word)
        ):
            return word
        limit = 2 if len(word) >= 8 else 1
        best, best_distance = word, limit + 1
        for candidate in self._by_initial.get(word[0], ()):  # most frequent first
            if abs(len(candidate) - len(word)) > limit:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance < best_distance:
                best, best_distance = candidate, distance
                if distance == 1:
                    break
        return best

    def __call__(self, query: str) -> NormalizedQuery:
        """The normalised ``query`` (whitespace collapsed, original casing kept where unchanged)."""
        query = " ".join(query.split())
        corrections: list[tuple[str, str]] = []

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            right = self.correct(word.lower())
            if right == word.lower():
                return word
            corrections.append((word, right))
            return right

        text = re.sub(r"[A-Za-z]+", fix, query) if self.spelling else query
        extra: list[str] = []
        if self._phrases is not None:
            seen = set()
            for match in self._phrases.finditer(text.lower()):
                phrase = match.group(1)
                if phrase not in seen:
                    seen.add(phrase)
                    extra.append(self.synonyms[phrase])
        expanded = f"{text} {' '.join(extra)}" if extra else text
        return NormalizedQuery(text, expanded, tuple(corrections))
