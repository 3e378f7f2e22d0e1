"""Shopper-facing intent labels: one for every task intent of the domain, chitchat never
suggested."""

import pytest
import yaml

from bot.intent_labels import INTENT_LABELS, suggestions
from devtools.servers import ROOT

pytestmark = pytest.mark.unit


def test_every_task_intent_in_the_domain_has_a_label():
    intents = set()
    for path in (ROOT / "domain").glob("*.yml"):
        intents.update(yaml.safe_load(path.read_text()).get("intents", []))
    conversational = {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "stop",  # leaves a form; never offered as a "did you mean" choice
        "bot_challenge",
        "out_of_scope",
        "nlu_fallback",
    }
    assert intents - conversational == set(INTENT_LABELS)


def test_suggestions_skip_fallback_and_chitchat():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "greet", "confidence": 0.2},
        {"name": "track_order", "confidence": 0.15},
        {"name": "cancel_order", "confidence": 0.1},
        {"name": "get_refund", "confidence": 0.05},
    ]
    assert suggestions(ranking) == [
        ("track_order", "Track an order"),
        ("cancel_order", "Cancel an order"),
    ]
