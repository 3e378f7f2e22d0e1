from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.conversation.handoff import acknowledge_handoff, agents_available
from bot.conversation.intent_labels import INTENT_LABELS, suggestions
from tests.integration.servers import ROOT

pytestmark = pytest.mark.unit
AMS = ZoneInfo("Europe/Amsterdam")


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


@pytest.mark.parametrize(
    ("when", "open_"),
    [
        (datetime(2026, 11, 23, 10, 0, tzinfo=AMS), True),  # Monday morning
        (datetime(2026, 11, 23, 18, 0, tzinfo=AMS), False),  # Monday closing time
        (datetime(2026, 11, 28, 15, 59, tzinfo=AMS), True),  # Saturday afternoon
        (datetime(2026, 11, 28, 16, 30, tzinfo=AMS), False),
        (datetime(2026, 11, 22, 12, 0, tzinfo=AMS), False),  # Sunday
        (datetime(2026, 11, 23, 8, 30, tzinfo=ZoneInfo("UTC")), True),  # 09:30 in Utrecht
    ],
)
def test_agent_hours(when, open_):
    assert agents_available(when) is open_


def test_handoff_reply_is_honest_about_hours():
    closed = acknowledge_handoff(datetime(2026, 11, 22, 12, 0, tzinfo=AMS)).text
    assert "nobody is available just now" in closed and "support@fernhill-goods.example" in closed
    open_ = acknowledge_handoff(datetime(2026, 11, 23, 10, 0, tzinfo=AMS)).text
    assert "available right now" in open_ and "+31 30 555 0142" in open_
