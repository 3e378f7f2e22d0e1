"""Twilio SMS (and WhatsApp through Twilio) end to end: webhook parameters
(tests/fixtures/channels/twilio) signed like Twilio over PUBLIC_BASE_URL and posted to the real
Rasa server with the project's credentials.yml, the real action server behind it, and a local
stand-in of the Messages API (TWILIO_API_URL) that records the replies."""

from __future__ import annotations

import random
import uuid

import pytest
import requests

from bot.channels.signatures import twilio_signature
from devtools.channel_webhooks import (
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_NUMBER,
    TWILIO_PUBLIC_BASE_URL,
    calls_of,
    payload,
)
from devtools.platform_standin import ApiRequest, ChannelRasa, PlatformStandIn

pytestmark = pytest.mark.integration

WEBHOOK_PATH = "/webhooks/twilio/webhook"


def message(name: str, phone: str, text: str | None = None) -> dict[str, str]:
    """Fixture parameters from ``phone`` with a fresh MessageSid, saying ``text``."""
    form: dict[str, str] = payload("twilio", name)
    sid = "SM" + uuid.uuid4().hex
    form.update(MessageSid=sid, SmsMessageSid=sid, SmsSid=sid)
    form["From"] = f"whatsapp:{phone}" if form["From"].startswith("whatsapp:") else phone
    if text is not None:
        form["Body"] = text
    return form


def post(
    rasa: ChannelRasa, form: dict[str, str], token: str | None = TWILIO_AUTH_TOKEN
) -> requests.Response:
    headers = {}
    if token is not None:
        url = TWILIO_PUBLIC_BASE_URL + WEBHOOK_PATH
        headers["X-Twilio-Signature"] = twilio_signature(token, url, form.items())
    return requests.post(f"{rasa.url}{WEBHOOK_PATH}", data=form, headers=headers, timeout=120)


def new_phone() -> str:
    return f"+316{random.randint(10**7, 10**8 - 1)}"


def say(rasa: ChannelRasa, stand_in: PlatformStandIn, phone: str, text: str) -> list[ApiRequest]:
    def deliver() -> requests.Response:
        answer = post(rasa, message("sms", phone, text))
        assert answer.headers["content-type"].startswith("text/xml")
        assert "<Response></Response>" in answer.text
        return answer

    return calls_of(stand_in, deliver)


def texts(calls: list[ApiRequest]) -> str:
    return "\n".join(c.form["Body"] for c in calls).lower()


def test_an_sms_gets_the_reply_through_the_messages_api(rasa, stand_in):
    phone = new_phone()
    calls = say(rasa, stand_in, phone, "hello")
    assert calls and all(
        c.path == f"/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json" for c in calls
    )
    assert all(c.headers["authorization"].startswith("Basic ") for c in calls)
    assert all(c.form["To"] == phone and c.form["From"] == TWILIO_NUMBER for c in calls)
    assert "fernhill goods" in texts(calls)
    (user,) = rasa.user_events(f"twilio:{phone}")
    assert user["input_channel"] == "twilio" and user["metadata"]["app"] == "sms"


def test_whatsapp_through_twilio_answers_from_the_whatsapp_number(rasa, stand_in):
    phone = new_phone()
    start = len(stand_in.requests)
    assert post(rasa, message("whatsapp_text", phone, "hello")).status_code == 200
    calls = stand_in.since(start)
    assert calls and all(c.form["To"] == f"whatsapp:{phone}" for c in calls)
    assert all(c.form["From"] == f"whatsapp:{TWILIO_NUMBER}" for c in calls)
    (user,) = rasa.user_events(f"twilio:whatsapp:{phone}")
    assert user["metadata"]["display_name"] == "Sheena Nelson"


def test_options_are_numbered_and_the_shoppers_digit_chooses_one(rasa, stand_in):
    phone = new_phone()
    answer = texts(say(rasa, stand_in, phone, "I'd like to make a complaint"))
    assert "1. talk to a person\nreply 1." in answer
    assert "support@fernhill-goods.example" in texts(say(rasa, stand_in, phone, "1"))
    chosen = rasa.user_events(f"twilio:{phone}")[-1]
    assert chosen["text"] == "/contact_human_agent"
    assert chosen["parse_data"]["intent"]["name"] == "contact_human_agent"


def test_order_tracking_verifies_the_email_and_shows_the_order_as_text(rasa, stand_in, demo):
    order = demo["shipped"]
    phone = new_phone()
    assert "order number" in texts(say(rasa, stand_in, phone, "where is my order?"))
    assert "e-mail" in texts(say(rasa, stand_in, phone, order.order_id))
    answer = texts(say(rasa, stand_in, phone, order.email))
    assert order.order_id.lower() in answer and "on its way" in answer


@pytest.mark.parametrize(("token", "status"), [(None, 401), ("another-token", 403)])
def test_a_forged_webhook_is_refused_and_reaches_no_dialogue(rasa, stand_in, token, status):
    phone = new_phone()
    start = len(stand_in.requests)
    assert post(rasa, message("sms", phone, "hello"), token=token).status_code == status
    assert stand_in.since(start) == []
    assert rasa.user_events(f"twilio:{phone}") == []


def test_a_signature_over_another_url_is_refused(rasa, stand_in):
    phone = new_phone()
    form = message("sms", phone, "hello")
    signature = twilio_signature(TWILIO_AUTH_TOKEN, f"{rasa.url}{WEBHOOK_PATH}", form.items())
    answer = requests.post(
        f"{rasa.url}{WEBHOOK_PATH}",
        data=form,
        headers={"X-Twilio-Signature": signature},
        timeout=60,
    )
    assert answer.status_code == 403


@pytest.mark.parametrize("name", ["mms_image", "whatsapp_location"])
def test_media_get_a_polite_text_only_answer(rasa, stand_in, name):
    phone = new_phone()
    start = len(stand_in.requests)
    assert post(rasa, message(name, phone)).status_code == 200
    (call,) = stand_in.since(start)
    assert "i can only read text for now" in call.form["Body"].lower()


def test_status_callbacks_start_nothing(rasa, stand_in):
    start = len(stand_in.requests)
    assert post(rasa, message("status_delivered", new_phone())).status_code == 200
    assert stand_in.since(start) == []


def test_an_agents_reply_reaches_the_phone(rasa, stand_in):
    phone = new_phone()
    say(rasa, stand_in, phone, "hello")
    start = len(stand_in.requests)
    answer = rasa.add_event(f"twilio:{phone}", {"event": "bot", "text": "Hi, I'm **Anna**."})
    assert answer.status_code == 200, answer.text
    (call,) = stand_in.since(start)
    assert call.form == {"To": phone, "From": TWILIO_NUMBER, "Body": "Hi, I'm Anna."}


def test_a_retried_webhook_is_handled_once(rasa, stand_in):
    phone = new_phone()
    form = message("sms", phone, "hello")
    start = len(stand_in.requests)
    assert post(rasa, form).status_code == 200
    replies = stand_in.since(start)
    assert replies
    assert post(rasa, form).status_code == 200
    assert stand_in.since(start) == replies
    (user,) = rasa.user_events(f"twilio:{phone}")
    assert user["message_id"] == form["MessageSid"]
