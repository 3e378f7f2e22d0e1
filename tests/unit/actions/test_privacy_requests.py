"""Shoppers' data requests in the chat: nothing is shown or erased before the e-mail address is
verified through an order; then a summary, a confirmation and the erasure (real SQLite shop, app
database and tracker store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from actions.privacy import ActionPrivacyRequest
from bot.appdata import save_rating
from bot.insights.tracker_events import events_table, tracker_metadata
from bot.privacy.sessions import app_session
from bot.settings import get_settings
from tests.unit.actions.conftest import DOMAIN, make_tracker

pytestmark = pytest.mark.unit


@pytest.fixture()
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handoff_database: str, demo):
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("FERNHILL_TRACKER_STORE_URL", tracker_url)
    monkeypatch.setenv("FERNHILL_APP_DATABASE_URL", handoff_database)
    get_settings.cache_clear()
    tracker = create_engine(tracker_url)
    tracker_metadata.create_all(tracker)
    order = demo["delivered"]
    with tracker.begin() as connection:
        for sender in ("earlier-chat", "unit-test"):
            data = {"event": "slot", "name": "email", "value": order.email}
            connection.execute(
                events_table.insert().values(
                    sender_id=sender, type_name="slot", timestamp=1.0, data=json.dumps(data)
                )
            )
    with app_session(handoff_database) as session, session.begin():
        save_rating(session, "earlier-chat", 2, "slow")
    yield order, tracker
    get_settings.cache_clear()


def senders(tracker) -> set[str]:
    with tracker.connect() as connection:
        return set(connection.scalars(select(events_table.c.sender_id)))


async def ask(dispatcher, intent: str, slots: dict | None = None):
    tracker = make_tracker(text=intent, intent=intent, slots=slots)
    events = await ActionPrivacyRequest().run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages[-1], events


async def test_without_verification_nothing_is_shown_or_erased(dispatcher, stores):
    order, tracker = stores
    for intent in ("ask_stored_data", "delete_my_data", "confirm_delete_my_data"):
        # An e-mail address typed in the chat is not enough, nor a wrong one for the order.
        for slots in (
            {"email": order.email},
            {"email": "x@y.nl", "verified_order": order.order_id},
        ):
            message, _ = await ask(dispatcher, intent, slots)
            assert "I first need to check it's you" in message["text"]
            assert "Linked to your e-mail" not in message["text"]
    assert senders(tracker) == {"earlier-chat", "unit-test"}


async def test_a_verified_shopper_sees_confirms_and_erases(dispatcher, stores):
    order, tracker = stores
    verified = {"email": order.email, "verified_order": order.order_id}
    message, _ = await ask(dispatcher, "ask_stored_data", verified)
    assert "2 conversation(s), 1 rating(s)" in message["text"]
    message, _ = await ask(dispatcher, "delete_my_data", verified)
    assert "Shall I delete all of it?" in message["text"]
    assert message["buttons"] == [
        {"title": "Yes, delete my data", "payload": "/confirm_delete_my_data"}
    ]
    assert senders(tracker) == {"earlier-chat", "unit-test"}  # nothing erased before the yes
    message, events = await ask(dispatcher, "confirm_delete_my_data", verified)
    assert "Done: I've deleted 2 conversation(s)" in message["text"]
    assert senders(tracker) == set()
    assert {"event": "slot", "name": "verified_order", "value": None, "timestamp": None} in [
        dict(e) for e in events
    ]
