"""Reading Rasa trackers into transcript lines, the console's event hub and poller, the sign-in
limiter."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from bot.appdata import get_app_engine, get_app_sessionmaker
from bot.appdata.migrate import upgrade_app_database
from bot.handoff.agents import LoginLimiter
from bot.handoff.live import Hub, Poller, message_event, stored
from bot.handoff.models import Message
from bot.handoff.queue import Reason, enqueue
from bot.handoff.transcript import read_tracker
from bot.handoff.workflow import store_sync

pytestmark = pytest.mark.unit

TRACKER = {
    "paused": True,
    "slots": {"email": "eva@example.com", "verified_order": "A1005"},
    "events": [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {
            "event": "user",
            "text": "This is awful, where is my parcel?",
            "timestamp": 2.0,
            "parse_data": {"intent": {"name": "track_order", "confidence": 0.93}},
        },
        {"event": "bot", "text": "Standard delivery takes 1-3 days.", "timestamp": 3.0},
        {
            "event": "bot",
            "timestamp": 3.1,
            "data": {
                "custom": {
                    "data": {
                        "type": "sources",
                        "sources": [
                            {"id": "shipping#nl", "title": "Shipping", "url": "https://x/help"}
                        ],
                    }
                }
            },
        },
        {
            "event": "bot",
            "text": "Hi, Ann here",
            "timestamp": 4.0,
            "metadata": {"agent": "Ann", "console_message_id": "abc"},
        },
        {
            "event": "bot",
            "timestamp": 4.1,
            "data": {"custom": {"data": {"type": "agent_joined", "agent": "Ann"}}},
        },
        {
            "event": "bot",
            "timestamp": 4.2,
            "data": {"custom": {"data": {"type": "order_status", "order_id": "A1"}}},
        },
    ],
}


def test_shopper_and_bot_lines_are_read_with_intent_sentiment_and_sources():
    view = read_tracker(TRACKER, after=0.0)
    assert [(m.sender, m.text) for m in view.messages] == [
        ("contact", "This is awful, where is my parcel?"),
        ("bot", "Standard delivery takes 1-3 days."),
        ("bot", "[order_status card]"),
    ]
    shopper, answer, _ = view.messages
    assert (shopper.intent, shopper.confidence) == ("track_order", 0.93) and shopper.sentiment < 0
    assert answer.sources == [{"title": "Shipping", "url": "https://x/help"}]
    assert (view.synced_until, view.email, view.paused) == (4.2, "eva@example.com", True)


def test_only_newer_events_are_read_again():
    view = read_tracker(TRACKER, after=3.1)
    assert [m.text for m in view.messages] == ["[order_status card]"]


def test_an_unverified_email_is_not_taken():
    tracker = {**TRACKER, "slots": {"email": "guess@example.com", "verified_order": None}}
    assert read_tracker(tracker, 0.0).email is None


async def test_the_hub_fans_out_and_drops_a_subscriber_that_cannot_keep_up():
    hub = Hub(max_backlog=2)
    fast, slow = hub.subscribe(), hub.subscribe()
    hub.publish({"type": "queue"})
    assert await asyncio.wait_for(fast.get(), 1) == {"type": "queue"}
    hub.publish({"type": "queue"})
    hub.publish({"type": "queue"})  # slow now holds 3 > 2: dropped
    assert slow not in hub._subscribers and fast in hub._subscribers


def test_the_limiter_counts_failures_per_key_and_forgets_them_on_success():
    limiter = LoginLimiter(attempts=2, window_seconds=60)
    limiter.failed("ann")
    assert limiter.retry_after("ann") == 0
    limiter.failed("ann")
    assert 0 < limiter.retry_after("ann") <= 61 and limiter.retry_after("bob") == 0
    limiter.succeeded("ann")
    assert limiter.retry_after("ann") == 0
    with pytest.raises(ValueError, match="attempts must be at least 1"):
        LoginLimiter(attempts=0, window_seconds=1)


def test_a_card_line_keeps_its_card_for_the_live_stream():
    view = read_tracker(TRACKER, after=0.0)
    assert [m.card for m in view.messages] == [
        None,
        None,
        {"type": "order_status", "order_id": "A1"},
    ]
    line = view.messages[-1]
    line.id = 9
    event = message_event(4, line)
    assert event["type"] == "message" and event["conversation_id"] == 4
    message = event["message"]
    assert (message["text"], message["card"]) == ("[order_status card]", line.card)
    assert message["created_at"] == "1970-01-01T00:00:04.200000+00:00"


def test_a_card_line_shows_its_card_after_a_reload(tmp_path):
    engine = get_app_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade_app_database(engine)
    sessions = get_app_sessionmaker(engine)
    with sessions.begin() as session:
        conversation_id = enqueue(session, "shopper-1", Reason.ASKED).conversation_id
        store_sync(session, conversation_id, read_tracker(TRACKER, after=0.0))
    with sessions() as session:  # a new session reads the rows back, as the console after a reload
        lines = [stored(m) for m in session.scalars(select(Message).order_by(Message.id))]
    assert [line["card"] for line in lines] == [
        None,
        None,
        {"type": "order_status", "order_id": "A1"},
    ]
    assert lines[1]["sources"] == [{"title": "Shipping", "url": "https://x/help"}]


class _FlakyPoller(Poller):
    """A poller whose ticks fail ``failures`` times with one error, then work."""

    def __init__(self, failures: int) -> None:
        super().__init__(None, None, Hub(), interval=0.001)  # type: ignore[arg-type]
        self.failures = failures
        self.done = asyncio.Event()

    async def tick(self) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("app database unreachable")
        self.done.set()


async def test_a_repeated_poll_failure_is_logged_with_its_traceback_once(caplog):
    caplog.set_level(logging.INFO, logger="bot.handoff.live")
    poller = _FlakyPoller(failures=4)
    running = asyncio.create_task(poller.run())
    await asyncio.wait_for(poller.done.wait(), 5)
    running.cancel()

    failed = [r for r in caplog.records if "console poll failed" in r.getMessage()]
    assert len(failed) == 4
    assert [r.exc_info is not None for r in failed] == [True, False, False, False]
    assert "ConnectionError: app database unreachable" in failed[-1].getMessage()
    assert any("works again" in r.getMessage() for r in caplog.records)
