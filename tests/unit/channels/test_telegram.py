"""Telegram updates read and replies rendered (payloads from tests/fixtures/channels/telegram)."""

import json
from pathlib import Path

import pytest

from bot.channels import telegram
from bot.channels.card_text import order_status_text
from bot.messages import (
    order_item,
    order_status_card,
    product_item,
    products_card,
    source_ref,
    sources_card,
)

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "channels" / "telegram"
SITE = "https://shop.example"


def update(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_a_text_message_is_a_turn_of_the_chat():
    (item,) = telegram.parse_update(update("text_message"))
    assert item.kind == "text" and item.text == "/start"
    assert item.conversation_id == "telegram:1111111" and item.message_id == "10000"
    assert item.display_name == "Test Lastname" and item.reply_handle is None
    assert item.metadata("telegram") == {
        "channel": "telegram",
        "app": "telegram",
        "platform_message_id": "10000",
        "display_name": "Test Lastname",
    }


def test_a_pressed_button_is_its_payload_with_the_query_to_answer():
    (item,) = telegram.parse_update(update("callback_query"))
    assert item.kind == "text" and item.text == "Data from button callback"
    assert item.conversation_id == "telegram:1111111" and item.message_id == "10001"
    assert item.reply_handle == "4382bfdwdsb323b2d9"
    assert telegram.answer_callback_call("4382bfdwdsb323b2d9") == {
        "method": "answerCallbackQuery",
        "body": {"callback_query_id": "4382bfdwdsb323b2d9"},
    }


@pytest.mark.parametrize(
    ("name", "media"),
    [("photo", "photo"), ("voice", "voice"), ("location", "location"), ("sticker", "sticker")],
)
def test_media_are_unsupported_messages(name, media):
    (item,) = telegram.parse_update(update(name))
    assert item.kind == "unsupported" and item.media_type == media and item.text == ""


def test_edits_and_bots_start_nothing_and_a_broken_update_is_refused():
    assert telegram.parse_update(update("edited_message")) == []
    from_bot = update("text_message")
    from_bot["message"]["from"]["is_bot"] = True
    assert telegram.parse_update(from_bot) == []
    with pytest.raises(ValueError, match="integer update_id"):
        telegram.parse_update({"message": {}})


def test_text_is_html_and_buttons_an_inline_keyboard_on_the_last_part():
    long = ("Paragraph one is here. " * 200).strip() + "\n\n**End** [shop](https://x.example)"
    buttons = [
        {"title": "Talk to a person", "payload": "/contact_human_agent"},
        {"title": "Open the shop", "url": "https://x.example"},
        {"title": "Long", "payload": "/" + "x" * 80},
    ]
    calls = telegram.text_calls("42", long, buttons)
    assert [c["method"] for c in calls] == ["sendMessage", "sendMessage"]
    assert all(len(c["body"]["text"]) <= 4096 and c["body"]["chat_id"] == "42" for c in calls)
    assert "reply_markup" not in calls[0]["body"]
    assert calls[1]["body"]["parse_mode"] == "HTML"
    assert calls[1]["body"]["text"].endswith('<b>End</b> <a href="https://x.example">shop</a>')
    assert calls[1]["body"]["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Talk to a person", "callback_data": "/contact_human_agent"}],
            [{"text": "Open the shop", "url": "https://x.example"}],
            [{"text": "Long", "callback_data": "Long"}],  # payload over 64 bytes
        ]
    }


def test_buttons_without_text_still_send_a_message():
    (call,) = telegram.text_calls("42", "", [{"title": "Yes", "payload": "/affirm"}])
    assert call["body"]["text"] == "Please choose:"
    assert call["body"]["reply_markup"]["inline_keyboard"] == [
        [{"text": "Yes", "callback_data": "/affirm"}]
    ]


def test_products_are_photos_with_captions_and_other_cards_text():
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
    (call,) = telegram.card_calls("42", card, SITE)
    assert call["method"] == "sendPhoto"
    assert call["body"]["photo"] == "https://shop.example/static/products/fg-1.jpg"
    assert call["body"]["caption"] == (
        "<b>Trail Jacket</b>\nEUR 129.00 · in stock\nhttps://shop.example/products/FG-1"
    )
    sources = sources_card([source_ref("returns#1", "Returns", "/help/returns#window")])
    (text,) = telegram.card_calls("42", sources, SITE)
    assert text["body"]["text"] == (
        'Sources:\n• <a href="https://shop.example/help/returns#window">Returns</a>'
    )


def test_an_order_status_card_reads_as_text():
    from datetime import date, datetime

    card = order_status_card(
        order_id="A1001",
        status="shipped",
        placed_at=datetime(2026, 11, 20, 10, 0),
        total=79.5,
        currency="EUR",
        items=[order_item("FG-1", "Trail Jacket", 1)],
        carrier="DHL",
        tracking_number="JD0123",
        estimated_delivery=date(2026, 11, 25),
    )
    assert order_status_text(card) == (
        "**Order A1001**: on its way\nPlaced 20 Nov 2026 · total EUR 79.50\n"
        "• 1 × Trail Jacket\nCarrier: DHL, tracking number JD0123\n"
        "Expected delivery: 25 Nov 2026"
    )


def test_set_webhook_asks_for_messages_and_button_presses_with_the_secret():
    call = telegram.set_webhook_call("https://bot.example/", "s3cret")
    assert call == {
        "method": "setWebhook",
        "body": {
            "url": "https://bot.example/webhooks/telegram/webhook",
            "secret_token": "s3cret",
            "allowed_updates": ["message", "callback_query"],
        },
    }
