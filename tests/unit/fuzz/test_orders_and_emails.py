"""Properties of order-number, refund-reference and e-mail parsing."""

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commerce.access import email_matches, normalise_order_id, normalise_refund_reference
from bot.conversation.order_numbers import EMAIL, order_id_in_text

pytestmark = pytest.mark.unit
DIGITS4 = st.text(alphabet="0123456789", min_size=4, max_size=4)
SPACES = st.sampled_from(["", " ", "  "])
FILLER = st.lists(
    st.sampled_from(["my", "order", "number", "is", "please", "thanks", "the", "hi", "it"]),
    max_size=4,
).map(" ".join)


@st.composite
def written_order_ids(draw: st.DrawFn) -> tuple[str, str]:
    """An order number as shoppers type it, and its normal form."""
    digits = draw(DIGITS4)
    letter = draw(st.sampled_from("aA"))
    hash_, dash = draw(st.sampled_from(["", "#"])), draw(st.sampled_from(["", "-"]))
    text = f"{draw(SPACES)}{hash_}{letter}{draw(SPACES)}{dash}{digits}{draw(SPACES)}"
    return text, f"A{digits}"


@given(written_order_ids())
def test_every_spelling_of_an_order_number_normalises_to_one_form(case: tuple[str, str]) -> None:
    text, expected = case
    assert normalise_order_id(text) == expected
    assert normalise_order_id(expected) == expected


@given(st.text(max_size=40))
def test_normalising_anything_gives_an_order_number_or_none(text: str) -> None:
    found = normalise_order_id(text)
    assert found is None or re.fullmatch(r"A\d{4}", found)
    reference = normalise_refund_reference(text)
    assert reference is None or re.fullmatch(r"RF-\d{5}", reference)


@given(FILLER, written_order_ids(), FILLER)
def test_an_order_number_with_its_letter_is_found_inside_a_sentence(
    before: str, case: tuple[str, str], after: str
) -> None:
    text, expected = case
    assert order_id_in_text(f"{before} {text.strip()} {after}") == expected


@given(FILLER, DIGITS4)
def test_bare_digits_after_words_are_read_as_the_order_number(before: str, digits: str) -> None:
    assert order_id_in_text(f"{before} {digits}".strip()) == f"A{digits}"


LOCAL = st.text(alphabet=string.ascii_letters + string.digits + "._+-", min_size=1, max_size=20)
LABEL = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)


@st.composite
def emails(draw: st.DrawFn) -> str:
    labels = draw(st.lists(LABEL, min_size=1, max_size=3))
    return f"{draw(LOCAL)}@{'.'.join(labels)}.{draw(st.sampled_from(['com', 'nl', 'example']))}"


@given(emails(), FILLER, FILLER)
def test_an_address_in_a_sentence_is_found_whole(address: str, before: str, after: str) -> None:
    found = EMAIL.search(f"{before} {address} {after}")
    assert found is not None and found.group(0) == address


@given(emails(), SPACES, SPACES)
def test_addresses_match_ignoring_case_and_surrounding_spaces(
    address: str, left: str, right: str
) -> None:
    assert email_matches(address, f"{left}{address.upper()}{right}")
    assert email_matches(address.upper(), address)
    assert not email_matches(address, "") and not email_matches(address, None)
    assert not email_matches(address, address + "x")
