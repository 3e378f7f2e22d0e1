"""The Twilio signature the tests and the stand-in compute (bot.channels.signatures) is the one
twilio's RequestValidator, which the channel uses, accepts (Rasa side: run with .venv-rasa)."""

import pytest

pytest.importorskip("twilio", reason="Rasa-side test: run with .venv-rasa/bin/python")

from twilio.request_validator import RequestValidator

from bot.channels.signatures import twilio_signature

pytestmark = pytest.mark.unit


def test_request_validator_accepts_our_signature_and_refuses_a_changed_form():
    url = "https://chat.example.com/webhooks/twilio/webhook"
    form = {
        "MessageSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
        "From": "+31612345678",
        "Body": "Hello",
    }
    signature = twilio_signature("auth-token", url, form.items())
    validator = RequestValidator("auth-token")
    assert validator.validate(url, form, signature)
    assert not validator.validate(url, {**form, "Body": "cancel my order"}, signature)
    assert not RequestValidator("another-token").validate(url, form, signature)
