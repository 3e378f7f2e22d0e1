"""Twilio webhooks read and SMS replies rendered (parameters from tests/fixtures/channels/twilio)."""

import json
from pathlib import Path

import pytest

from bot.channels import twilio
from bot.messages import product_item, products_card

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "channels" / "twilio"
BUTTONS = [
    {"title": "Suggest a product", "payload": "/product_recommendation"},
    {"title": "Payment methods", "payload": "/check_payment_methods"},
    {"title": "Something else", "payload": "/out_of_scope"},
]


def form(name: str) -> dict[str, str]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_an_sms_is_a_turn_of_the_phone_number():
    (item,) = twilio.parse_form(form("sms"))
    assert item.kind == "text" and item.text == "Hello" and item.app == "sms"
    assert item.conversation_id == "twilio:+31612345678"
    assert item.message_id == "SM1f0e8ae6ade43cb3c0ce4525424e404f"


def test_whatsapp_through_twilio_keeps_the_prefix_and_the_profile_name():
    (item,) = twilio.parse_form(form("whatsapp_text"))
    assert item.conversation_id == "twilio:whatsapp:+31612345678"
    assert item.display_name == "Sheena Nelson" and item.app == "whatsapp"


@pytest.mark.parametrize(
    ("name", "media"), [("mms_image", "image/jpeg"), ("whatsapp_location", "location")]
)
def test_media_are_unsupported(name, media):
    (item,) = twilio.parse_form(form(name))
    assert item.kind == "unsupported" and item.media_type == media


def test_status_callbacks_start_nothing_and_a_broken_form_is_refused():
    assert twilio.parse_form(form("status_delivered")) == []
    with pytest.raises(ValueError, match="MessageSid and From"):
        twilio.parse_form({"Body": "hi"})


def test_options_are_numbered_and_a_digit_chooses_one():
    (call,) = twilio.text_calls(
        "+31612345678", "+3197010250000", "Would you like **help**?", BUTTONS
    )
    assert call == {
        "method": "Messages.json",
        "body": {
            "To": "+31612345678",
            "From": "+3197010250000",
            "Body": "Would you like help?\n\n1. Suggest a product\n2. Payment methods\n"
            "3. Something else\nReply 1, 2 or 3.",
        },
    }
    assert twilio.chosen_option("2", BUTTONS) == "/check_payment_methods"
    assert twilio.chosen_option(" 3. ", BUTTONS) == "/out_of_scope"
    assert twilio.chosen_option("4", BUTTONS) is None
    assert twilio.chosen_option("A1001", BUTTONS) is None
    assert twilio.options_prompt(1) == "Reply 1." and twilio.options_prompt(2) == "Reply 1 or 2."


def test_whatsapp_recipients_get_whatsapp_formatting_from_the_whatsapp_number():
    (call,) = twilio.text_calls("whatsapp:+3161", "+3197010250000", "**Yes**")
    assert call["body"] == {
        "To": "whatsapp:+3161",
        "From": "whatsapp:+3197010250000",
        "Body": "*Yes*",
    }


def test_long_bodies_are_split_at_1600_and_products_are_text_with_their_link():
    calls = twilio.text_calls("+3161", "+3197", "word " * 700)
    assert len(calls) == 3 and all(len(c["body"]["Body"]) <= 1600 for c in calls)
    card = products_card(
        [
            product_item(
                sku="FG-1",
                name="Trail Jacket",
                price=129,
                currency="EUR",
                stock=3,
                image="/static/products/fg-1.jpg",
                url="/products/FG-1",
            )
        ]
    )
    (call,) = twilio.card_calls("+3161", "+3197", card, "https://shop.example")
    assert call["body"]["Body"] == (
        "Trail Jacket\nEUR 129.00 · in stock\nhttps://shop.example/products/FG-1"
    )
