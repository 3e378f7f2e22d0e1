"""The messaging apps' reply windows, the shopper's app and name kept by the queue, and the
console refusing an agent's reply once WhatsApp's window has closed (before any call to Rasa)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.appdata import get_app_engine, get_app_sessionmaker, upgrade_app_database
from bot.handoff.models import Conversation
from bot.handoff.queue import Contact, Reason, enqueue
from bot.handoff.reply_window import (
    HUMAN_AGENT_TAG,
    MESSENGER_CLOSED,
    WHATSAPP_CLOSED,
    reply_window,
)
from bot.web.app import create_app
from devtools.console import add_agent, sign_in
from devtools.servers import free_port

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


def test_whatsapp_takes_replies_for_24_hours_after_the_shoppers_last_message():
    window = reply_window("whatsapp", "whatsapp", ago(hours=23, minutes=59), NOW)
    assert window.open and window.closes_at == ago(minutes=-1) and window.message_tag is None
    closed = reply_window("whatsapp", "whatsapp", ago(hours=24), NOW)
    assert not closed.open and closed.reason == WHATSAPP_CLOSED
    assert "template message is needed" in closed.reason
    # WhatsApp through Twilio has the same window; SMS through Twilio has none
    assert not reply_window("twilio", "whatsapp", ago(days=2), NOW).open
    assert reply_window("twilio", "sms", ago(days=30), NOW).open


def test_messenger_tags_an_agents_reply_after_24_hours_and_refuses_it_after_7_days():
    assert reply_window("messenger", "messenger", ago(hours=2), NOW).message_tag is None
    tagged = reply_window("messenger", "instagram", ago(days=3), NOW)
    assert tagged.open and tagged.message_tag == HUMAN_AGENT_TAG
    closed = reply_window("messenger", "messenger", ago(days=7), NOW)
    assert not closed.open and closed.reason == MESSENGER_CLOSED


def test_channels_without_a_window_and_unknown_times_stay_open():
    assert reply_window("socketio", None, ago(days=90), NOW).open
    assert reply_window("telegram", "telegram", ago(days=90), NOW).closes_at is None
    assert reply_window("whatsapp", "whatsapp", None, NOW).open


def test_the_contact_is_read_from_the_messages_metadata():
    assert Contact.of({"app": "instagram", "display_name": "  Sheena \n Nelson "}) == Contact(
        "instagram", "Sheena Nelson"
    )
    assert Contact.of({"display_name": "", "app": 7}) == Contact(None, None)
    assert Contact.of(None) == Contact(None, None)
    assert Contact.of({"display_name": "x" * 500}).display_name == "x" * 120


@pytest.fixture()
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade_app_database(get_app_engine(url))
    return url


def queue(url: str, session_id: str, channel: str, metadata: dict[str, str], at: datetime) -> int:
    with get_app_sessionmaker(get_app_engine(url))() as session, session.begin():
        queued = enqueue(session, session_id, Reason.ASKED, channel=channel, metadata=metadata)
        row = session.get(Conversation, queued.conversation_id)
        assert row is not None and row.last_contact_at is not None
        row.last_contact_at = at
        return queued.conversation_id


def test_the_queue_keeps_app_and_name_and_a_later_message_without_them_keeps_both(database):
    meta = {"app": "whatsapp", "display_name": "Sheena Nelson", "channel": "whatsapp"}
    cid = queue(database, "whatsapp:316", "whatsapp", meta, datetime.now(UTC))
    queue(database, "whatsapp:316", "whatsapp", {}, datetime.now(UTC))
    with get_app_sessionmaker(get_app_engine(database))() as session:
        row = session.get(Conversation, cid)
        assert row is not None
        assert (row.app, row.display_name) == ("whatsapp", "Sheena Nelson")


@pytest.fixture()
def client(database: str) -> Iterator[TestClient]:
    # Nothing listens at Rasa's address: a reply that got as far as Rasa is a 502.
    app = create_app(f"http://127.0.0.1:{free_port()}", database)
    with TestClient(app) as test_client:
        add_agent(database, "ann@fernhill.example", "Ann Smit")
        sign_in(test_client, "ann@fernhill.example")
        yield test_client


def test_the_console_serves_app_name_and_window_and_refuses_a_late_whatsapp_reply(client, database):
    meta = {"app": "whatsapp", "display_name": "Sheena Nelson"}
    late = queue(database, "whatsapp:3161", "whatsapp", meta, datetime.now(UTC) - timedelta(days=2))
    fresh = queue(database, "whatsapp:3162", "whatsapp", meta, datetime.now(UTC))
    rows = {c["id"]: c for c in client.get("/api/console/conversations").json()}
    assert rows[late]["app"] == "whatsapp" and rows[late]["display_name"] == "Sheena Nelson"
    assert rows[late]["reply_window"]["open"] is False
    assert rows[late]["reply_window"]["reason"] == WHATSAPP_CLOSED
    assert rows[fresh]["reply_window"]["open"] is True
    answer = client.post(f"/api/console/conversations/{late}/messages", json={"text": "Hello?"})
    assert answer.status_code == 409 and answer.json()["detail"] == WHATSAPP_CLOSED
    detail = client.get(f"/api/console/conversations/{late}").json()
    assert detail["messages"] == [] and detail["conversation"]["assignee"] is None
    # within the window the reply goes on to Rasa (absent here)
    answer = client.post(f"/api/console/conversations/{fresh}/messages", json={"text": "Hello"})
    assert answer.status_code == 502
