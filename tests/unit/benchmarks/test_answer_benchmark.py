"""What the answer benchmark scores of a reply through Rasa."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

_spec = importlib.util.spec_from_file_location(
    "answers_benchmark", Path(__file__).resolve().parents[3] / "benchmarks" / "answers.py")
answers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(answers)  # type: ignore[union-attr]


def test_only_the_messages_up_to_the_sources_card_are_the_answer():
    card = {"custom": {"data": {"type": "sources", "sources": []}}}
    products = {"custom": {"data": {"type": "products", "products": []}}}
    offer = {"text": "If you'd like me to look at one of your orders, what's the order number?"}
    messages = [{"text": "A packed order costs €4.95 to cancel."}, {"text": "Sources: Cancellations"}, card,
                products, offer]
    assert answers.answer_messages(messages) == messages[:3]
    refusal = [{"text": "I'm sorry, I don't know that."}, {"text": "Talk to a person?"}]
    assert answers.answer_messages(refusal) == refusal
