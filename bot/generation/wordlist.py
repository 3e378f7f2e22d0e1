"""Is a word a common English word? (A capitalised first word of a sentence is a name only
when it is not: "Amsterdam is …" names a place, "Deliveries are …" does not.)

The list is Webster's Second International word list from the ``english-words`` package (MIT),
loaded once per process on first use; common words are in lower case there, names capitalised.
"""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _words() -> frozenset[str] | None:
    try:
        from english_words import get_english_words_set
    except ImportError:  # without the list, a sentence's first word is taken as a common word
        log.warning(
            "english-words is not installed: names at the start of a sentence are not checked"
        )
        return None
    return frozenset(get_english_words_set(["web2"], lower=False))


def _forms(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and len(word) > 2:
        forms.append(word[:-1])
    for ending in ("ing", "ed"):  # "Cancelling", "Returned", "Making"
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            forms += [
                stem,
                stem + "e",
                stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem,
            ]
    return forms


def is_common_word(word: str) -> bool | None:
    """True for a common English word in any capitalisation ("Deliveries", "Sadly"), False for
    a name or an unknown word ("Amsterdam", "Leeds"), None when the word list is missing."""
    words = _words()
    if words is None:
        return None
    return any(form in words for form in _forms(word.lower()))
