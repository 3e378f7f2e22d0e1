"""The message shapes: card types, the envelope's builder and reader, tracker events, the console's
transcript line."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bot.messages import (
    CARD_TYPES,
    ActionEvent,
    BotEvent,
    OtherEvent,
    SlotEvent,
    UserEvent,
    agent_joined_card,
    bot_card_event,
    envelope,
    message_event,
    product_item,
    products_card,
    read_card,
    read_events,
    read_parse,
    sources_card,
    stored_message,
)

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[3] / "bot" / "messages"


def test_card_types_are_read_from_the_card_union():
    assert CARD_TYPES == (
        "products",
        "sources",
        "order_status",
        "agent_joined",
        "agent_left",
        "rating_request",
    )


def test_the_package_imports_nothing_else_of_the_project():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
                assert node.module.startswith("bot.messages"), f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("bot") for a in node.names), path.name


def test_a_card_is_read_back_from_every_form_it_travels_in():
    card = agent_joined_card("Ann")
    forms = [card, envelope(card), {"custom": envelope(card)}, bot_card_event(card)]
    assert [read_card(form) for form in forms] == [card] * 4
    assert bot_card_event(card) == {"event": "bot", "data": {"custom": {"data": card}}}


def test_no_card_is_read_from_text_unknown_types_or_nothing():
    text_event = {"event": "bot", "text": "Hi", "data": {"custom": None, "buttons": None}}
    assert read_card(text_event) is None
    assert read_card({"data": {"type": "coupon"}}) is None
    assert read_card(None) is None


def test_builders_format_money_and_refuse_an_empty_product_list():
    item = product_item(
        sku="FH-1", name="Pot", price=Decimal("39.5"), currency="EUR", stock=2, image="/i", url="/p"
    )
    assert item["price"] == "39.50"
    assert products_card([item]) == {"type": "products", "products": [item]}
    with pytest.raises(ValueError, match="at least one product"):
        products_card([])
    assert "answer" not in sources_card([])


def test_tracker_events_are_read_with_the_fields_the_code_uses():
    events = read_events(
        [
            {
                "event": "user",
                "text": "where is my parcel?",
                "timestamp": 2.5,
                "parse_data": {"intent": {"name": "track_order", "confidence": 0.91}},
                "metadata": {"client_message_id": "m1"},
            },
            bot_card_event(agent_joined_card("Ann")) | {"timestamp": 3},
            {"event": "action", "name": "action_listen", "timestamp": 4},
            {"event": "slot", "name": "email", "value": "eva@example.com", "timestamp": 5},
            {"event": "pause"},
            "not an event",
        ]
    )
    assert events == [
        UserEvent(2.5, "where is my parcel?", "track_order", 0.91, {"client_message_id": "m1"}),
        BotEvent(3.0, "", {"type": "agent_joined", "agent": "Ann"}, {}),
        ActionEvent(4.0, "action_listen"),
        SlotEvent(5.0, "email", "eva@example.com"),
        OtherEvent(0.0, "pause"),
    ]


def test_parse_data_gives_text_intent_and_ranking_and_empty_values_when_missing():
    parsed = read_parse(
        {
            "text": "cancel",
            "intent": {"name": "cancel_order", "confidence": "0.8"},
            "intent_ranking": [{"name": "cancel_order", "confidence": 0.8}, {"confidence": 0.1}],
        }
    )
    assert (parsed.text, parsed.intent, parsed.confidence) == ("cancel", "cancel_order", 0.8)
    assert parsed.ranking == [{"name": "cancel_order", "confidence": 0.8}]
    empty = read_parse(None)
    assert (empty.text, empty.intent, empty.confidence, empty.ranking) == ("", None, None, [])


def test_a_transcript_line_has_one_shape_in_the_transcript_and_the_live_stream():
    line = stored_message(
        id=7, sender="agent", text="Hi", agent="Ann", created_at=datetime(2026, 1, 2, tzinfo=UTC)
    )
    assert line == {
        "id": 7,
        "sender": "agent",
        "text": "Hi",
        "agent": "Ann",
        "intent": None,
        "confidence": None,
        "sentiment": None,
        "sources": None,
        "created_at": "2026-01-02T00:00:00+00:00",
        "card": None,
    }
    assert message_event(3, line) == {"type": "message", "conversation_id": 3, "message": line}
