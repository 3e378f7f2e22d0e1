"""Recognises messages the NLU cannot be trusted with: empty, symbol-only, huge, non-English."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

MAX_MESSAGE_CHARS = 2000
"""Messages longer than this are answered with a request to shorten them."""

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Frequent English words; a long-enough message with none of them is most likely not English.
_ENGLISH_WORDS = frozenset(
    """a an the i me my you your we our it is are was be been am do does did have has had
    can could would should will want need help please order orders my where when what why how
    which who not no yes ok okay hi hello hey thanks thank to of in on for with from at by and
    or but if this that there here get got buy pay paid refund return cancel change track
    account password invoice delivery shipping address email item items product size colour
    color price stock card payment money still just about any some all know tell like
    much many long high low big small wide inside outside length width height weight heavy
    hold work works fit fits made out up off too very than then after before over under into
    only also same other new one two more less best good day days week time they them their
    he she his her its does send sent ship arrive box gift cheap cheaper cost free black white
    leg heel blade size inch""".split()
)


class MessageProblem(str, Enum):
    """Why a message needs a special answer instead of normal understanding."""

    EMPTY = "empty"
    NO_WORDS = "no_words"
    TOO_LONG = "too_long"
    NOT_ENGLISH = "not_english"


def clean_text(text: str | None) -> str:
    """Removes control characters (keeping spaces and newlines) and trims the text."""
    if not text:
        return ""
    kept = (ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join("".join(kept).split())


def _looks_non_english(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    letters = "".join(words)
    non_latin = sum(1 for ch in letters if not ("a" <= ch.lower() <= "z"))
    if non_latin / len(letters) > 0.5:
        return True
    if len(words) < 4:
        return False  # too short to judge; "merci" or "danke" go to the normal fallback
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    return english / len(words) < 0.12


def find_problem(text: str | None) -> MessageProblem | None:
    """Returns the problem with a shopper's message, or ``None`` if it can be understood.

    Args:
        text: The raw message as received from the channel.
    """
    cleaned = clean_text(text)
    if not cleaned:
        return MessageProblem.EMPTY
    if not _WORD.search(cleaned) and not re.search(r"\d", cleaned):
        return MessageProblem.NO_WORDS
    if len(cleaned) > MAX_MESSAGE_CHARS:
        return MessageProblem.TOO_LONG
    if _looks_non_english(cleaned):
        return MessageProblem.NOT_ENGLISH
    return None


RESPONSE_FOR_PROBLEM = {
    MessageProblem.EMPTY: "utter_empty_message",
    MessageProblem.NO_WORDS: "utter_no_text",
    MessageProblem.TOO_LONG: "utter_message_too_long",
    MessageProblem.NOT_ENGLISH: "utter_please_rephrase_language",
}
"""The domain response that answers each kind of problem."""
