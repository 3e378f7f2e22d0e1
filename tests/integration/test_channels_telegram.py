"""Telegram end to end: Bot API updates (tests/fixtures/channels/telegram) posted to the real Rasa
server with the project's credentials.yml, the real action server behind it, and a local stand-in
of the Bot API (TELEGRAM_API_URL) that records the replies."""

from __future__ import annotations

import itertools
import random

import pytest
import requests

from devtools.channel_webhooks import TELEGRAM_SECRET, TELEGRAM_TOKEN, calls_of, payload
from devtools.platform_standin import ApiRequest, ChannelRasa, PlatformStandIn

pytestmark = pytest.mark.integration

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATE_IDS = itertools.count(random.randint(10**6, 10**8))


def update(name: str, chat: int, text: str | None = None) -> dict:
    """A fixture update with a fresh update_id, for ``chat``, saying ``text``."""
    data = payload("telegram", name)
    data["update_id"] = next(UPDATE_IDS)
    body = data.get("message") or data.get("edited_message") or data["callback_query"]
    for holder in (body, body.get("message") or {}):
        if "chat" in holder:
            holder["chat"]["id"] = chat
    body["from"]["id"] = chat
    if text is not None:
        body["data" if "data" in body else "text"] = text
    return data


def post(rasa: ChannelRasa, data: dict, secret: str | None = TELEGRAM_SECRET) -> requests.Response:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return requests.post(
        f"{rasa.url}/webhooks/telegram/webhook", json=data, headers=headers, timeout=120
    )


def new_chat() -> int:
    return random.randint(10**6, 10**9)


def say(rasa: ChannelRasa, stand_in: PlatformStandIn, chat: int, text: str) -> list[ApiRequest]:
    """Sends ``text`` from ``chat``; returns the API calls made while it was handled."""
    return calls_of(stand_in, lambda: post(rasa, update("text_message", chat, text)))


def texts(calls: list[ApiRequest]) -> str:
    return "\n".join(c.json.get("text") or c.json.get("caption") or "" for c in calls).lower()


def test_a_message_gets_the_assistants_reply_in_its_chat(rasa, stand_in):
    chat = new_chat()
    calls = say(rasa, stand_in, chat, "hello")
    assert calls and all(c.path == f"/bot{TELEGRAM_TOKEN}/sendMessage" for c in calls)
    assert all(c.json["chat_id"] == str(chat) and c.json["parse_mode"] == "HTML" for c in calls)
    assert "fernhill goods" in texts(calls)
    (user,) = rasa.user_events(f"telegram:{chat}")
    assert user["text"] == "hello" and user["input_channel"] == "telegram"
    assert user["metadata"]["display_name"] == "Test Lastname"
    assert user["metadata"]["channel"] == "telegram"


def test_buttons_are_an_inline_keyboard_and_a_pressed_button_is_answered(rasa, stand_in):
    chat = new_chat()
    calls = say(rasa, stand_in, chat, "I'd like to make a complaint")
    keyboard = [
        c.json["reply_markup"]["inline_keyboard"] for c in calls if "reply_markup" in c.json
    ]
    assert keyboard == [[[{"text": "Talk to a person", "callback_data": "/contact_human_agent"}]]]
    start = len(stand_in.requests)
    press = update("callback_query", chat, "/contact_human_agent")
    assert post(rasa, press).status_code == 200
    calls = stand_in.since(start)
    assert calls[0].path == f"/bot{TELEGRAM_TOKEN}/answerCallbackQuery"
    assert calls[0].json == {"callback_query_id": press["callback_query"]["id"]}
    assert "support@fernhill-goods.example" in texts(calls[1:])


def test_order_tracking_verifies_the_email_and_shows_the_order_as_text(rasa, stand_in, demo):
    order = demo["shipped"]
    chat = new_chat()
    assert "order number" in texts(say(rasa, stand_in, chat, "where is my order?"))
    assert "e-mail" in texts(say(rasa, stand_in, chat, order.order_id))
    refused = texts(say(rasa, stand_in, chat, "someone.else@example.com"))
    assert "doesn't match" in refused and "tracking" not in refused
    answer = texts(say(rasa, stand_in, chat, order.email))
    assert order.order_id.lower() in answer and "on its way" in answer
    assert "tracking number" in answer


@pytest.mark.parametrize("secret", [None, "wrong-secret", ""])
def test_a_forged_update_is_refused_and_reaches_no_dialogue(rasa, stand_in, secret):
    chat = new_chat()
    start = len(stand_in.requests)
    answer = post(rasa, update("text_message", chat, "cancel my order A1001"), secret=secret)
    assert answer.status_code == 401
    assert SECRET_HEADER in answer.json()["error"]
    assert stand_in.since(start) == []
    assert rasa.user_events(f"telegram:{chat}") == []


@pytest.mark.parametrize("name", ["photo", "voice", "location", "sticker"])
def test_media_get_a_polite_text_only_answer_and_start_no_turn(rasa, stand_in, name):
    chat = new_chat()
    start = len(stand_in.requests)
    assert post(rasa, update(name, chat)).status_code == 200
    (call,) = stand_in.since(start)
    assert call.json["chat_id"] == str(chat)
    assert "i can only read text for now" in call.json["text"].lower()
    assert rasa.user_events(f"telegram:{chat}") == []


def test_updates_that_are_no_message_are_acknowledged_and_start_nothing(rasa, stand_in):
    chat = new_chat()
    start = len(stand_in.requests)
    assert post(rasa, update("edited_message", chat)).status_code == 200
    assert stand_in.since(start) == []


def test_an_agents_reply_reaches_the_chat_through_the_latest_channel(rasa, stand_in):
    chat = new_chat()
    say(rasa, stand_in, chat, "hello")
    conversation = f"telegram:{chat}"
    start = len(stand_in.requests)
    events = [
        {"event": "bot", "data": {"custom": {"data": {"type": "agent_joined", "agent": "Anna"}}}},
        {"event": "bot", "text": "Hi, I'm Anna. I'll **check** that for you."},
    ]
    for event in events:
        answer = rasa.add_event(conversation, event)
        assert answer.status_code == 200, answer.text
    calls = stand_in.since(start)
    assert [c.json["text"] for c in calls] == [
        "Anna from our team has joined the chat.",
        "Hi, I'm Anna. I'll <b>check</b> that for you.",
    ]
    assert all(c.json["chat_id"] == str(chat) for c in calls)
    start = len(stand_in.requests)
    answer = requests.post(
        f"{rasa.url}/conversations/{conversation}/trigger_intent",
        params={"token": rasa.token, "output_channel": "latest"},
        json={"name": "greet"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    assert "fernhill goods" in texts(stand_in.since(start))


def test_a_retried_update_is_handled_once(rasa, stand_in):
    # After a restart too: test_channels_whatsapp.py restarts Rasa with both apps' deliveries.
    chat = new_chat()
    first = update("text_message", chat, "hello")
    photo = update("photo", chat)
    start = len(stand_in.requests)
    assert post(rasa, first).status_code == 200
    assert post(rasa, photo).status_code == 200
    replies = stand_in.since(start)
    assert "i can only read text for now" in texts(replies[-1:])
    assert post(rasa, first).status_code == 200  # Telegram retries
    assert post(rasa, photo).status_code == 200
    assert stand_in.since(start) == replies
    users = rasa.user_events(f"telegram:{chat}")
    assert [e["message_id"] for e in users] == [str(first["update_id"])]
