"""Hand-built conversations with known measures: Rasa events written into a tracker store of
Rasa's schema, with the handoff and ratings the app database holds for them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine, insert

from bot.appdata import get_app_engine, get_app_sessionmaker, save_rating, upgrade_app_database
from bot.handoff.models import Conversation
from bot.handoff.queue import Reason, enqueue
from bot.insights.tracker_events import events_table, tracker_metadata

ANGRY = "this is terrible, I hate waiting"
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)
NEXT_TUESDAY = MONDAY + timedelta(days=8)


def user(text: str, intent: str, channel: str, products: tuple[str, ...] = ()) -> dict[str, Any]:
    entities = [{"entity": "product", "value": name} for name in products]
    return {
        "event": "user",
        "text": text,
        "input_channel": channel,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": entities},
        "metadata": {},
    }


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def bot(text: str, card: dict[str, Any] | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"event": "bot", "text": text, "metadata": {}}
    if card is not None:
        event["data"] = {"custom": {"data": card}}
    return event


def sources(*, generated: bool, fallback: bool) -> dict[str, Any]:
    made = {"grounded": True, "fallback": fallback, "generated": generated, "too_slow": False}
    return {"type": "sources", "sources": [{"id": "p1", "title": "T", "url": None}], "answer": made}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def alice() -> list[dict[str, Any]]:
    """Web chat: a greeting, a generated answer, an answer from the passages; no handoff."""
    return [
        action("action_session_start"),
        {"event": "session_started"},
        user("hi there", "greet", "socketio"),
        action("utter_greet"),
        bot("Hello! How can I help?"),
        action("action_listen"),
        user("what is the return policy", "check_refund_policy", "socketio"),
        action("action_answer_knowledge"),
        bot("You can return items within 30 days.", sources(generated=True, fallback=False)),
        bot("", {"type": "products", "products": []}),
        action("action_listen"),
        user("is the linen apron washable", "product_question", "socketio", ("Linen  Apron",)),
        action("action_answer_knowledge"),
        bot("Machine wash at 40 degrees.", sources(generated=True, fallback=True)),
        action("action_listen"),
    ]


def bob() -> list[dict[str, Any]]:
    """Telegram: not understood, asked "did you mean", upset, refused, handed over."""
    return [
        user("asdf qwerty", "nlu_fallback", "telegram"),
        action("action_default_ask_affirmation"),
        bot("Did you mean: track an order?"),
        action("action_listen"),
        user(ANGRY, "complaint", "telegram"),
        action("action_answer_knowledge"),
        bot("I'm sorry, I don't know that."),
        action("action_handoff"),
        bot("I'm handing you to a colleague."),
        {"event": "pause"},
    ]


def carol() -> list[dict[str, Any]]:
    """Web chat a week later: tracks an order, then cancels one (buttons)."""
    return [
        user("/track_order", "track_order", "socketio"),
        action("action_set_order_task"),
        slot("order_task", "track_order"),
        action("action_run_order_task"),
        bot("", {"type": "order_status"}),
        action("action_listen"),
        user("/cancel_order", "cancel_order", "socketio"),
        action("action_set_order_task"),
        slot("order_task", "cancel_order"),
        action("action_run_order_task"),
        bot("Order A1001 is cancelled."),
        action("action_listen"),
    ]


def dave() -> list[dict[str, Any]]:
    """Opened the chat and wrote nothing: not a conversation."""
    return [action("action_session_start"), {"event": "session_started"}, action("action_listen")]


def timeline() -> list[tuple[str, dict[str, Any]]]:
    """Every event in the order Rasa stores them (the conversations interleave)."""
    stamped: list[tuple[float, str, dict[str, Any]]] = []
    for sender, start, events in (
        ("alice", MONDAY, alice()),
        ("bob", TUESDAY, bob()),
        ("carol", NEXT_TUESDAY, carol()),
        ("dave", NEXT_TUESDAY, dave()),
    ):
        for i, event in enumerate(events):
            stamp = start.timestamp() + 10 * i
            stamped.append((stamp, sender, {**event, "timestamp": stamp}))
    # alice and bob overlap in id order: bob's first events come between alice's.
    stamped.sort(key=lambda item: (item[0] % 86400, item[0]))
    return [(sender, event) for _, sender, event in stamped]


def tracker_store(url: str) -> Engine:
    """A tracker store with Rasa's ``events`` table, empty."""
    engine = create_engine(url)
    tracker_metadata.create_all(engine)
    return engine


def write_events(engine: Engine, events: list[tuple[str, dict[str, Any]]]) -> None:
    """Appends events as Rasa's SQL tracker store does (one row each, with its columns)."""
    rows = [
        {
            "sender_id": sender,
            "type_name": event["event"],
            "timestamp": event.get("timestamp"),
            "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
            "action_name": event.get("name") if event["event"] == "action" else None,
            "data": json.dumps(event),
        }
        for sender, event in events
    ]
    with engine.begin() as connection:
        connection.execute(insert(events_table), rows)


def write_app_records(app_url: str) -> int:
    """Bob's handoff (answered after 60 s, resolved after 600 s) and the two ratings; returns
    the id of bob's conversation in the console."""
    engine = get_app_engine(app_url)
    upgrade_app_database(engine)
    with get_app_sessionmaker(engine)() as session, session.begin():
        queued = enqueue(session, "bob", Reason.NEGATIVE_SENTIMENT, channel="telegram", now=TUESDAY)
        row = session.get(Conversation, queued.conversation_id)
        assert row is not None
        row.first_response_at = TUESDAY + timedelta(seconds=60)
        row.resolved_at = TUESDAY + timedelta(seconds=600)
        save_rating(session, "bob", 1, "slow")
        save_rating(session, "carol", 5, None)
        return queued.conversation_id


def halves() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """The timeline in two parts, split inside conversations."""
    events = timeline()
    middle = len(events) // 2
    yield events[:middle]
    yield events[middle:]
