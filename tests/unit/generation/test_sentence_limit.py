"""Counting finished sentences, for stopping a reply after its second sentence."""

from __future__ import annotations

import pytest

from bot.generation.generator import whole_sentences

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("It costs €50. Free from", 1),
        ("It costs €3.95 and", 0),  # a decimal point is not an end
        ("Costs €50.", 0),  # not finished until white space follows
        ("Ask J. Smith. Yes", 1),  # an initial is not an end
        ("1. Start the return\n2. Pack it. ", 1),  # list numbers are not ends
        ("Yes! Really? ok", 2),
    ],
)
def test_whole_sentences(text, count):
    assert whole_sentences(text) == count
