"""WhatsApp Cloud API deliveries read and replies rendered (payloads from
tests/fixtures/channels/whatsapp)."""

import json
from pathlib import Path

import pytest

from bot.channels import whatsapp
from bot.channels.meta import verification_challenge
from bot.messages import product_item, products_card, source_ref, sources_card

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "channels" / "whatsapp"
SITE = "https://shop.example"


def delivery(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_a_text_message_is_a_turn_with_the_senders_name():
    (item,) = whatsapp.parse_delivery(delivery("text_message"))
    assert item.kind == "text" and item.text == "Does it come in another color?"
    assert item.conversation_id == "whatsapp:16505551234"
    assert item.message_id == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
    assert item.display_name == "Sheena Nelson"


def test_pressed_buttons_and_list_rows_are_their_ids():
    (button,) = whatsapp.parse_delivery(delivery("button_reply"))
    assert button.kind == "text" and button.text == "unique-button-identifier-here"
    (row,) = whatsapp.parse_delivery(delivery("list_reply"))
    assert row.text == "priority_express"


@pytest.mark.parametrize(
    ("name", "media"), [("image", "image"), ("audio", "audio"), ("location", "location")]
)
def test_media_are_unsupported_messages(name, media):
    (item,) = whatsapp.parse_delivery(delivery(name))
    assert item.kind == "unsupported" and item.media_type == media


def test_statuses_and_reactions_start_nothing_and_other_objects_are_refused():
    assert whatsapp.parse_delivery(delivery("status_delivered")) == []
    assert whatsapp.parse_delivery(delivery("reaction")) == []
    with pytest.raises(ValueError, match="not a WhatsApp delivery"):
        whatsapp.parse_delivery({"object": "page", "entry": []})


def test_meta_verification_echoes_the_challenge_only_for_the_right_token():
    params = {"hub.mode": "subscribe", "hub.verify_token": "vt", "hub.challenge": "1158201444"}
    assert verification_challenge(params, "vt") == "1158201444"
    assert verification_challenge({**params, "hub.verify_token": "other"}, "vt") is None
    assert verification_challenge({**params, "hub.mode": "unsubscribe"}, "vt") is None
    assert verification_challenge({"hub.mode": "subscribe", "hub.challenge": "1"}, "vt") is None


def test_text_uses_whatsapp_marks_and_is_split_at_4096():
    calls = whatsapp.text_calls("16505551234", "**Yes**, see [returns](https://x.example/r).")
    assert calls == [
        {
            "method": "messages",
            "body": {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "16505551234",
                "type": "text",
                "text": {"preview_url": True, "body": "*Yes*, see returns (https://x.example/r)."},
            },
        }
    ]
    long = whatsapp.text_calls("1", "word " * 2000)
    assert len(long) == 3 and all(len(c["body"]["text"]["body"]) <= 4096 for c in long)


def test_up_to_three_short_buttons_are_reply_buttons():
    buttons = [
        {"title": "Suggest a product", "payload": "/product_recommendation"},
        {"title": "Payment methods", "payload": "/check_payment_methods"},
    ]
    (call,) = whatsapp.text_calls("1", "Would you like a product suggestion?", buttons)
    assert call["body"]["type"] == "interactive"
    assert call["body"]["interactive"] == {
        "type": "button",
        "body": {"text": "Would you like a product suggestion?"},
        "action": {
            "buttons": [
                {
                    "type": "reply",
                    "reply": {"id": "/product_recommendation", "title": "Suggest a product"},
                },
                {
                    "type": "reply",
                    "reply": {"id": "/check_payment_methods", "title": "Payment methods"},
                },
            ]
        },
    }


def test_more_buttons_or_long_titles_become_a_list_message():
    buttons = [{"title": f"Option {n}", "payload": f"/intent_{n}"} for n in range(4)]
    (call,) = whatsapp.text_calls("1", "Did you mean one of these?", buttons)
    content = call["body"]["interactive"]
    assert content["type"] == "list" and content["action"]["button"] == "Choose"
    assert [r["id"] for r in content["action"]["sections"][0]["rows"]] == [
        "/intent_0",
        "/intent_1",
        "/intent_2",
        "/intent_3",
    ]
    long_title = [{"title": "Change the delivery address of my order", "payload": "/x"}]
    (call,) = whatsapp.text_calls("1", "Choose", long_title)
    (row,) = call["body"]["interactive"]["action"]["sections"][0]["rows"]
    assert len(row["title"]) <= 24 and row["description"].startswith("Change the delivery")


def test_a_long_text_with_buttons_ends_in_an_interactive_body_of_1024():
    calls = whatsapp.text_calls("1", "Sentence here. " * 120, [{"title": "OK", "payload": "/ok"}])
    assert [c["body"]["type"] for c in calls] == ["text", "interactive"]
    assert len(calls[-1]["body"]["interactive"]["body"]["text"]) <= 1024


def test_products_are_image_messages_and_sources_text():
    card = products_card(
        [
            product_item(
                sku="FG-1",
                name="Trail Jacket",
                price=129,
                currency="EUR",
                stock=0,
                image="/static/products/fg-1.jpg",
                url="/products/FG-1",
            )
        ]
    )
    (call,) = whatsapp.card_calls("1", card, SITE)
    assert call["body"]["type"] == "image"
    assert call["body"]["image"] == {
        "link": "https://shop.example/static/products/fg-1.jpg",
        "caption": "*Trail Jacket*\nEUR 129.00 · out of stock\nhttps://shop.example/products/FG-1",
    }
    sources = sources_card([source_ref("r#1", "Returns", "/help/returns")])
    (text,) = whatsapp.card_calls("1", sources, SITE)
    assert text["body"]["text"]["body"] == "Sources:\n• Returns (https://shop.example/help/returns)"


def test_the_closed_service_window_error_is_recognised():
    error = {
        "error": {"message": "Re-engagement message", "code": 131047, "type": "OAuthException"}
    }
    assert whatsapp.window_closed(error)
    assert not whatsapp.window_closed({"error": {"code": 100}})
