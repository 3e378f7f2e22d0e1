"""WhatsApp Cloud API end to end: webhook deliveries (tests/fixtures/channels/whatsapp) signed with
the app secret and posted to the real Rasa server with the project's credentials.yml, the real
action server behind it, and a local stand-in of the Graph API (WHATSAPP_API_URL) that records the
replies."""

from __future__ import annotations

import copy
import itertools
import json
import random
from datetime import UTC, datetime, timedelta

import pytest
import requests

from bot.channels.signatures import meta_signature
from bot.handoff.reply_window import WHATSAPP_CLOSED
from devtools.channel_webhooks import (
    SIGN,
    WHATSAPP_APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_TOKEN,
    WHATSAPP_VERIFY_TOKEN,
    agent_reply,
    calls_of,
    console_fixture,
    meta_post,
    payload,
    queued,
    shopper_last_wrote,
)
from devtools.platform_standin import ApiRequest, ChannelRasa, PlatformStandIn
from tests.integration import test_channels_telegram as telegram

pytestmark = pytest.mark.integration

MESSAGE_NUMBERS = itertools.count(random.randint(10**6, 10**8))


console = console_fixture()


def delivery(name: str, wa_id: str, text: str | None = None) -> dict:
    """A fixture delivery from ``wa_id`` with a fresh message id, saying ``text``."""
    data = payload("whatsapp", name)
    value = data["entry"][0]["changes"][0]["value"]
    for contact in value.get("contacts", []):
        contact["wa_id"] = wa_id
    for message in value.get("messages", []):
        message["from"] = wa_id
        message["id"] = f"wamid.test{next(MESSAGE_NUMBERS)}"
        if text is not None and message["type"] == "text":
            message["text"]["body"] = text
        if text is not None and message["type"] == "interactive":
            message["interactive"]["button_reply"]["id"] = text
    return data


def post(rasa: ChannelRasa, data: dict, signature: str | None = SIGN) -> requests.Response:
    return meta_post(rasa, "whatsapp", WHATSAPP_APP_SECRET, data, signature)


def new_number() -> str:
    return str(random.randint(10**10, 10**11))


def say(rasa: ChannelRasa, stand_in: PlatformStandIn, wa_id: str, text: str) -> list[ApiRequest]:
    return calls_of(stand_in, lambda: post(rasa, delivery("text_message", wa_id, text)))


def texts(calls: list[ApiRequest]) -> str:
    found = []
    for call in calls:
        body = call.json
        content = body.get(body["type"], {})
        found.append(
            content.get("body")
            or content.get("caption")
            or (content.get("body") or {}).get("text")
            or ""
        )
        if body["type"] == "interactive":
            found.append(content["body"]["text"])
    return "\n".join(t for t in found if isinstance(t, str)).lower()


def test_meta_verifies_the_webhook_with_the_verify_token(rasa):
    url = f"{rasa.url}/webhooks/whatsapp/webhook"
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    answer = requests.get(url, params=params, timeout=30)
    assert answer.status_code == 200 and answer.text == "1158201444"
    wrong = requests.get(url, params={**params, "hub.verify_token": "guess"}, timeout=30)
    assert wrong.status_code == 403


def test_a_message_gets_the_assistants_reply_with_the_bearer_token(rasa, stand_in):
    wa_id = new_number()
    calls = say(rasa, stand_in, wa_id, "hello")
    assert calls and all(c.path == f"/v19.0/{WHATSAPP_PHONE_NUMBER_ID}/messages" for c in calls)
    assert all(c.headers["authorization"] == f"Bearer {WHATSAPP_TOKEN}" for c in calls)
    assert all(c.json["to"] == wa_id and c.json["messaging_product"] == "whatsapp" for c in calls)
    assert "fernhill goods" in texts(calls)
    (user,) = rasa.user_events(f"whatsapp:{wa_id}")
    assert user["input_channel"] == "whatsapp"
    assert user["metadata"]["display_name"] == "Sheena Nelson"


def test_buttons_are_reply_buttons_and_a_pressed_one_is_its_payload(rasa, stand_in):
    wa_id = new_number()
    calls = say(rasa, stand_in, wa_id, "I'd like to make a complaint")
    (buttons,) = [c.json for c in calls if c.json["type"] == "interactive"]
    assert buttons["interactive"]["type"] == "button"
    assert buttons["interactive"]["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": "/contact_human_agent", "title": "Talk to a person"}}
    ]
    start = len(stand_in.requests)
    assert post(rasa, delivery("button_reply", wa_id, "/contact_human_agent")).status_code == 200
    assert "support@fernhill-goods.example" in texts(stand_in.since(start))
    (_, pressed) = rasa.user_events(f"whatsapp:{wa_id}")
    assert pressed["parse_data"]["intent"]["name"] == "contact_human_agent"


def test_order_tracking_verifies_the_email_and_shows_the_order_as_text(rasa, stand_in, demo):
    order = demo["shipped"]
    wa_id = new_number()
    assert "order number" in texts(say(rasa, stand_in, wa_id, "where is my order?"))
    assert "e-mail" in texts(say(rasa, stand_in, wa_id, order.order_id))
    assert "doesn't match" in texts(say(rasa, stand_in, wa_id, "someone.else@example.com"))
    answer = texts(say(rasa, stand_in, wa_id, order.email))
    assert order.order_id.lower() in answer and "on its way" in answer


@pytest.mark.parametrize(
    ("signature", "status"),
    [(None, 401), ("sha256=" + "0" * 64, 403), (meta_signature("another-secret", b"{}"), 403)],
)
def test_a_forged_delivery_is_refused_and_reaches_no_dialogue(rasa, stand_in, signature, status):
    wa_id = new_number()
    start = len(stand_in.requests)
    answer = post(rasa, delivery("text_message", wa_id, "cancel my order"), signature=signature)
    assert answer.status_code == status
    assert stand_in.since(start) == []
    assert rasa.user_events(f"whatsapp:{wa_id}") == []


def test_a_signature_of_another_body_is_refused(rasa, stand_in):
    wa_id = new_number()
    signed = delivery("text_message", wa_id, "hello")
    sent = copy.deepcopy(signed)
    sent["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "cancel my order"
    body = json.dumps(sent).encode()
    answer = requests.post(
        f"{rasa.url}/webhooks/whatsapp/webhook",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": meta_signature(WHATSAPP_APP_SECRET, json.dumps(signed).encode()),
        },
        timeout=60,
    )
    assert answer.status_code == 403
    assert rasa.user_events(f"whatsapp:{wa_id}") == []


@pytest.mark.parametrize("name", ["image", "audio", "location"])
def test_media_get_a_polite_text_only_answer_and_start_no_turn(rasa, stand_in, name):
    wa_id = new_number()
    start = len(stand_in.requests)
    assert post(rasa, delivery(name, wa_id)).status_code == 200
    (call,) = stand_in.since(start)
    assert call.json["to"] == wa_id
    assert "i can only read text for now" in call.json["text"]["body"].lower()
    assert rasa.user_events(f"whatsapp:{wa_id}") == []


@pytest.mark.parametrize("name", ["status_delivered", "reaction"])
def test_statuses_and_reactions_are_acknowledged_and_start_nothing(rasa, stand_in, name):
    wa_id = new_number()
    start = len(stand_in.requests)
    assert post(rasa, delivery(name, wa_id)).status_code == 200
    assert stand_in.since(start) == []
    assert rasa.user_events(f"whatsapp:{wa_id}") == []


def test_an_agents_reply_reaches_the_shopper_and_a_closed_window_is_an_error(rasa, stand_in):
    wa_id = new_number()
    say(rasa, stand_in, wa_id, "hello")
    conversation = f"whatsapp:{wa_id}"
    start = len(stand_in.requests)
    answer = rasa.add_event(
        conversation, {"event": "bot", "text": "Hi, I'm **Anna** from the team."}
    )
    assert answer.status_code == 200, answer.text
    (call,) = stand_in.since(start)
    assert call.json["to"] == wa_id
    assert call.json["text"]["body"] == "Hi, I'm *Anna* from the team."
    # Past the 24-hour window WhatsApp refuses free-form messages (error 131047): the agent's
    # message is not reported as sent.
    closed = {
        "error": {"message": "Re-engagement message", "type": "OAuthException", "code": 131047}
    }
    stand_in.failures.append((400, closed))
    start = len(stand_in.requests)
    late = rasa.add_event(conversation, {"event": "bot", "text": "Are you still there?"})
    assert late.status_code >= 400
    assert len(stand_in.since(start)) == 1


def test_the_console_shows_app_name_and_window_and_refuses_a_late_reply(
    rasa, stand_in, console, app_database_url
):
    wa_id = new_number()
    say(rasa, stand_in, wa_id, "I want to speak to a person")
    row = queued(console, f"whatsapp:{wa_id}")
    assert (row["channel"], row["app"], row["display_name"]) == (
        "whatsapp",
        "whatsapp",
        "Sheena Nelson",
    )
    assert row["reply_window"]["open"] is True and row["reply_window"]["closes_at"]
    start = len(stand_in.requests)
    assert agent_reply(console, row["id"], "Hi, Anna here!").status_code == 201
    assert texts(stand_in.since(start)).endswith("hi, anna here!")

    shopper_last_wrote(app_database_url, row["id"], datetime.now(UTC) - timedelta(hours=25))
    shown = console.get(f"/api/console/conversations/{row['id']}").json()["conversation"]
    assert shown["reply_window"]["open"] is False
    assert shown["reply_window"]["reason"] == WHATSAPP_CLOSED
    start = len(stand_in.requests)
    late = agent_reply(console, row["id"], "Are you still there?")
    assert late.status_code == 409 and late.json()["detail"] == WHATSAPP_CLOSED
    assert stand_in.since(start) == []


def test_retried_deliveries_are_handled_once_also_after_a_restart(rasa, stand_in):
    """WhatsApp's and Telegram's retries, before and after a restart (the handled ids are read
    back from the tracker store). The restart leaves out Twilio's settings: an app without its
    settings answers its webhook with 503 and the reason, and calls no API. This runs last of
    the channel tests (the modules run in name order)."""
    wa_id, chat = new_number(), telegram.new_chat()
    first, photo = delivery("text_message", wa_id, "hello"), delivery("image", wa_id)
    update, sticker = telegram.update("text_message", chat, "hi"), telegram.update("photo", chat)
    start = len(stand_in.requests)
    assert post(rasa, first).status_code == 200
    assert post(rasa, photo).status_code == 200
    assert "i can only read text for now" in texts(stand_in.since(start)[-1:])
    assert telegram.post(rasa, update).status_code == 200
    assert telegram.post(rasa, sticker).status_code == 200
    replies = stand_in.since(start)
    assert post(rasa, first).status_code == 200
    assert post(rasa, photo).status_code == 200
    assert stand_in.since(start) == replies
    rasa.restart({k: v for k, v in rasa.env.items() if not k.startswith("TWILIO_")})
    assert post(rasa, first).status_code == 200
    assert post(rasa, photo).status_code == 200  # media too: its answer is in the tracker
    assert telegram.post(rasa, update).status_code == 200
    assert telegram.post(rasa, sticker).status_code == 200
    assert stand_in.since(start) == replies
    (user,) = rasa.user_events(f"whatsapp:{wa_id}")
    assert user["message_id"] == first["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    users = rasa.user_events(f"telegram:{chat}")
    assert [e["message_id"] for e in users] == [str(update["update_id"])]
    start = len(stand_in.requests)
    answer = requests.post(f"{rasa.url}/webhooks/twilio/webhook", data={}, timeout=30)
    assert answer.status_code == 503
    assert {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"} <= set(
        answer.json()["error"].replace(",", " ").split()
    )
    assert requests.get(f"{rasa.url}/webhooks/twilio/webhook", timeout=30).status_code == 503
    assert stand_in.since(start) == []
