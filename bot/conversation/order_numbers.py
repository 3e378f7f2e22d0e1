"""What a shopper wrote as an order number or an e-mail address, in a reply to the bot's question
("it's 1234", "#a-1234", "my order is A1234")."""

from __future__ import annotations

import re

from bot.commerce import normalise_order_id

_ORDER_LIKE = re.compile(r"#?\b[A-Za-z]{0,3}[-\s]?\d+\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def order_id_in_text(text: str) -> str | None:
    """Finds what the shopper gave as an order number in a reply to "what's the order number?".

    Returns the normalised id ("a-1234", "#A1234", "it's 1234" → "A1234"); else the first
    number-like token as typed ("order 12" → "12"), so that validation can say it is malformed;
    else ``None``.
    """
    candidates = [_without_word_before(c.strip()) for c in _ORDER_LIKE.findall(text or "")]
    for candidate in candidates:
        bare = candidate.strip("#- ")
        found = normalise_order_id(bare if bare[:1].isalpha() else f"A{bare}")
        if found:
            return found
    return candidates[-1] if candidates else None


def _without_word_before(candidate: str) -> str:
    """The number of a match such as "is 1234" or "s 1234" (from "it's 1234"): letters set
    apart by a space are a word before the number, not its letter ("A 1234" stays)."""
    letters, space, digits = candidate.lstrip("#").partition(" ")
    if space and digits.strip().isdigit() and letters.upper() != "A":
        return digits.strip()
    return candidate
