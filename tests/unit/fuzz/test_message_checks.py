"""Properties of the message checks (``bot.conversation.message_checks``) over any text."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conversation.message_checks import (
    _ENGLISH_WORDS,
    MAX_MESSAGE_CHARS,
    MessageProblem,
    clean_text,
    find_problem,
)

pytestmark = pytest.mark.unit
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
CONTROL = st.text(alphabet=st.characters(categories=["Cc", "Cf"]), min_size=1, max_size=5)
ENGLISH = st.lists(st.sampled_from(sorted(_ENGLISH_WORDS)), min_size=1, max_size=30).map(" ".join)


@given(ANY_TEXT)
def test_cleaned_text_has_no_control_characters_or_stray_spaces(text: str) -> None:
    cleaned = clean_text(text)
    assert all(unicodedata.category(ch)[0] != "C" for ch in cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert clean_text(cleaned) == cleaned


@given(ANY_TEXT)
def test_every_text_gets_a_verdict_and_the_verdict_is_that_of_its_cleaned_form(text: str) -> None:
    problem = find_problem(text)
    assert problem is None or isinstance(problem, MessageProblem)
    assert find_problem(clean_text(text)) == problem
    assert (problem is MessageProblem.EMPTY) == (clean_text(text) == "")


@given(ENGLISH, CONTROL, CONTROL)
def test_control_characters_around_a_message_change_nothing(
    words: str, before: str, after: str
) -> None:
    assert find_problem(before + words + after) == find_problem(words)


@given(ENGLISH)
def test_a_message_of_common_english_words_is_understood(words: str) -> None:
    assert find_problem(words) is None


@given(st.text(alphabet=st.characters(categories=["So", "Sk", "Sm", "Zs"]), max_size=50))
def test_symbols_and_emoji_alone_are_never_read_as_words(text: str) -> None:
    assert find_problem(text) in (MessageProblem.EMPTY, MessageProblem.NO_WORDS)


@given(ENGLISH, st.integers(min_value=1, max_value=3000))
def test_a_message_over_the_limit_is_too_long(words: str, extra: int) -> None:
    text = (words + " ") * (MAX_MESSAGE_CHARS // (len(words) + 1) + 1) + "x" * extra
    assert find_problem(text) is MessageProblem.TOO_LONG
