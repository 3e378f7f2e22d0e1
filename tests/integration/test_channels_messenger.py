"""Messenger and Instagram end to end: webhook deliveries (tests/fixtures/channels/messenger)
signed with the app secret and posted to the real Rasa server with the project's
credentials.yml, the real action server behind it, and a local stand-in of the Send API
(MESSENGER_API_URL) that records the replies."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest
import requests

from bot.channels.signatures import meta_signature
from devtools.channel_webhooks import (
    MESSENGER_APP_SECRET,
    MESSENGER_PAGE_TOKEN,
    MESSENGER_VERIFY_TOKEN,
    SIGN,
    agent_reply,
    calls_of,
    console_fixture,
    meta_post,
    payload,
    queued,
    shopper_last_wrote,
)
from devtools.platform_standin import ApiRequest, ChannelRasa, PlatformStandIn

pytestmark = pytest.mark.integration

MESSAGE_NUMBERS = itertools.count(random.randint(10**6, 10**8))


console = console_fixture()


def delivery(name: str, psid: str, text: str | None = None) -> dict:
    """A fixture delivery from ``psid`` with a fresh message id, saying ``text``."""
    data = payload("messenger", name)
    event = data["entry"][0]["messaging"][0]
    event["sender"]["id"] = psid
    for key in ("message", "postback"):
        if key in event:
            event[key]["mid"] = f"m_test{next(MESSAGE_NUMBERS)}"
    if text is not None:
        if "quick_reply" in event.get("message", {}):
            event["message"]["quick_reply"]["payload"] = text
        elif "postback" in event:
            event["postback"]["payload"] = text
        else:
            event["message"]["text"] = text
    return data


def post(rasa: ChannelRasa, data: dict, signature: str | None = SIGN) -> requests.Response:
    return meta_post(rasa, "messenger", MESSENGER_APP_SECRET, data, signature)


def new_psid() -> str:
    return str(random.randint(10**15, 10**16))


def say(rasa: ChannelRasa, stand_in: PlatformStandIn, psid: str, text: str) -> list[ApiRequest]:
    return calls_of(stand_in, lambda: post(rasa, delivery("text_message", psid, text)))


def texts(calls: list[ApiRequest]) -> str:
    return "\n".join(c.json["message"].get("text") or "" for c in calls).lower()


def test_meta_verifies_the_webhook_with_the_verify_token(rasa):
    url = f"{rasa.url}/webhooks/messenger/webhook"
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": MESSENGER_VERIFY_TOKEN,
        "hub.challenge": "42",
    }
    answer = requests.get(url, params=params, timeout=30)
    assert answer.status_code == 200 and answer.text == "42"
    assert (
        requests.get(url, params={**params, "hub.verify_token": "x"}, timeout=30).status_code == 403
    )


def test_a_message_gets_the_reply_through_the_send_api(rasa, stand_in):
    psid = new_psid()
    calls = say(rasa, stand_in, psid, "hello")
    assert calls and all(c.path == "/v19.0/me/messages" for c in calls)
    assert all(c.query == {"access_token": MESSENGER_PAGE_TOKEN} for c in calls)
    assert all(c.json["recipient"] == {"id": psid} for c in calls)
    assert "fernhill goods" in texts(calls)
    (user,) = rasa.user_events(f"messenger:{psid}")
    assert user["input_channel"] == "messenger" and user["metadata"]["app"] == "messenger"


def test_instagram_messages_use_the_same_channel(rasa, stand_in):
    igsid = new_psid()
    stand_in.profiles[igsid] = {"name": "Sheena Nelson", "username": "sheena.n"}
    start = len(stand_in.requests)
    assert post(rasa, delivery("instagram_text", igsid, "hello")).status_code == 200
    calls = stand_in.since(start)
    assert calls and all(c.json["recipient"] == {"id": igsid} for c in calls)
    (user,) = rasa.user_events(f"messenger:{igsid}")
    assert user["metadata"]["app"] == "instagram"
    assert user["metadata"]["display_name"] == "Sheena Nelson"
    (lookup,) = [r for r in stand_in.lookups if r.api_method == igsid]
    assert lookup.query == {"fields": "name,username", "access_token": MESSENGER_PAGE_TOKEN}


def test_the_shoppers_name_is_asked_once_and_a_failed_look_up_costs_only_the_name(rasa, stand_in):
    psid = new_psid()
    stand_in.profiles[psid] = {"first_name": "Anna", "last_name": "de Vries"}
    say(rasa, stand_in, psid, "hello")
    say(rasa, stand_in, psid, "thanks")
    (lookup,) = [r for r in stand_in.lookups if r.api_method == psid]
    assert lookup.path == f"/v19.0/{psid}"
    assert lookup.query == {"fields": "first_name,last_name", "access_token": MESSENGER_PAGE_TOKEN}
    users = rasa.user_events(f"messenger:{psid}")
    assert [u["metadata"]["display_name"] for u in users] == ["Anna de Vries"] * 2
    unknown = new_psid()  # the stand-in answers Graph's error for it
    assert "fernhill goods" in texts(say(rasa, stand_in, unknown, "hello"))
    (user,) = rasa.user_events(f"messenger:{unknown}")
    assert "display_name" not in user["metadata"]


def test_buttons_are_quick_replies_and_a_pressed_one_is_its_payload(rasa, stand_in):
    psid = new_psid()
    calls = say(rasa, stand_in, psid, "I'd like to make a complaint")
    (replies,) = [
        c.json["message"]["quick_replies"] for c in calls if "quick_replies" in c.json["message"]
    ]
    assert replies == [
        {"content_type": "text", "title": "Talk to a person", "payload": "/contact_human_agent"}
    ]
    start = len(stand_in.requests)
    assert post(rasa, delivery("quick_reply", psid, "/contact_human_agent")).status_code == 200
    assert "support@fernhill-goods.example" in texts(stand_in.since(start))


def test_order_tracking_verifies_the_email_and_shows_the_order_as_text(rasa, stand_in, demo):
    order = demo["shipped"]
    psid = new_psid()
    assert "order number" in texts(say(rasa, stand_in, psid, "where is my order?"))
    assert "e-mail" in texts(say(rasa, stand_in, psid, order.order_id))
    answer = texts(say(rasa, stand_in, psid, order.email))
    assert order.order_id.lower() in answer and "on its way" in answer


@pytest.mark.parametrize(
    ("signature", "status"), [(None, 401), (meta_signature("another-secret", b"{}"), 403)]
)
def test_a_forged_delivery_is_refused_and_reaches_no_dialogue(rasa, stand_in, signature, status):
    psid = new_psid()
    start = len(stand_in.requests)
    answer = post(rasa, delivery("text_message", psid, "hello"), signature=signature)
    assert answer.status_code == status
    assert stand_in.since(start) == []
    assert rasa.user_events(f"messenger:{psid}") == []


@pytest.mark.parametrize("name", ["image", "audio", "sticker"])
def test_attachments_get_a_polite_text_only_answer(rasa, stand_in, name):
    psid = new_psid()
    start = len(stand_in.requests)
    assert post(rasa, delivery(name, psid)).status_code == 200
    (call,) = stand_in.since(start)
    assert "i can only read text for now" in call.json["message"]["text"].lower()
    assert rasa.user_events(f"messenger:{psid}") == []


@pytest.mark.parametrize("name", ["echo", "delivery", "read", "reaction"])
def test_echoes_deliveries_reads_and_reactions_start_nothing(rasa, stand_in, name):
    psid = new_psid()
    start = len(stand_in.requests)
    assert post(rasa, delivery(name, psid)).status_code == 200
    assert stand_in.since(start) == []
    assert rasa.user_events(f"messenger:{psid}") == []


def test_an_agents_reply_reaches_the_shopper(rasa, stand_in):
    psid = new_psid()
    say(rasa, stand_in, psid, "hello")
    start = len(stand_in.requests)
    answer = rasa.add_event(f"messenger:{psid}", {"event": "bot", "text": "Hi, I'm **Anna**."})
    assert answer.status_code == 200, answer.text
    (call,) = stand_in.since(start)
    assert call.json["recipient"] == {"id": psid}
    assert call.json["message"]["text"] == "Hi, I'm Anna."


def test_an_agents_reply_marked_human_agent_is_sent_as_a_tagged_message(rasa, stand_in):
    psid = new_psid()
    say(rasa, stand_in, psid, "hello")
    start = len(stand_in.requests)
    event = {
        "event": "bot",
        "text": "Sorry for the wait, your refund is on its way.",
        "metadata": {"agent": "Anna", "message_tag": "HUMAN_AGENT"},
    }
    assert rasa.add_event(f"messenger:{psid}", event).status_code == 200
    (call,) = stand_in.since(start)
    assert call.json["messaging_type"] == "MESSAGE_TAG" and call.json["tag"] == "HUMAN_AGENT"
    assert call.json["message"]["text"] == "Sorry for the wait, your refund is on its way."


def test_the_console_shows_the_profile_name_and_tags_a_late_reply(
    rasa, stand_in, console, app_database_url
):
    psid = new_psid()
    stand_in.profiles[psid] = {"first_name": "Ravi", "last_name": "Kumar"}
    say(rasa, stand_in, psid, "I want to speak to a person")
    row = queued(console, f"messenger:{psid}")
    assert (row["app"], row["display_name"]) == ("messenger", "Ravi Kumar")
    shopper_last_wrote(app_database_url, row["id"], datetime.now(UTC) - timedelta(days=2))
    listed = console.get("/api/console/conversations").json()
    (shown,) = [c for c in listed if c["id"] == row["id"]]
    assert shown["reply_window"]["message_tag"]
    start = len(stand_in.requests)
    text = "Sorry for the wait: your refund went out today."
    assert agent_reply(console, row["id"], text).status_code == 201
    calls = stand_in.since(start)
    assert calls and all(c.json.get("tag") == "HUMAN_AGENT" for c in calls)
    assert calls[-1].json["message"]["text"] == text


def test_a_retried_delivery_is_handled_once(rasa, stand_in):
    psid = new_psid()
    first = delivery("text_message", psid, "hello")
    start = len(stand_in.requests)
    assert post(rasa, first).status_code == 200
    replies = stand_in.since(start)
    assert replies
    assert post(rasa, first).status_code == 200
    assert stand_in.since(start) == replies
    (user,) = rasa.user_events(f"messenger:{psid}")
    assert user["message_id"] == first["entry"][0]["messaging"][0]["message"]["mid"]
