"""Messenger and Instagram deliveries read and replies rendered (payloads from
tests/fixtures/channels/messenger)."""

import json
from pathlib import Path

import pytest

from bot.channels import messenger
from bot.messages import product_item, products_card

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "channels" / "messenger"
SITE = "https://shop.example"


def delivery(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_a_text_message_is_a_turn_of_the_psid():
    (item,) = messenger.parse_delivery(delivery("text_message"))
    assert item.kind == "text" and item.text == "hello, world!"
    assert item.conversation_id == "messenger:6789012345678901"
    assert item.message_id == "m_1457764197618:41d102a3e1ae206a38"
    assert item.metadata("messenger")["app"] == "messenger"


def test_instagram_uses_the_same_channel_and_says_so():
    (item,) = messenger.parse_delivery(delivery("instagram_text"))
    assert item.conversation_id == "messenger:17841400000000001"
    assert item.text == "hello from instagram" and item.app == "instagram"


def test_quick_replies_and_postbacks_are_their_payloads():
    (quick,) = messenger.parse_delivery(delivery("quick_reply"))
    assert quick.text == "<DEVELOPER_DEFINED_PAYLOAD>"
    (postback,) = messenger.parse_delivery(delivery("postback"))
    assert postback.text == "<USER_DEFINED_PAYLOAD>" and postback.message_id.startswith("m_")


@pytest.mark.parametrize(
    ("name", "media"), [("image", "image"), ("audio", "audio"), ("sticker", "sticker")]
)
def test_attachments_are_unsupported_messages(name, media):
    (item,) = messenger.parse_delivery(delivery(name))
    assert item.kind == "unsupported" and item.media_type == media


@pytest.mark.parametrize("name", ["echo", "delivery", "read", "reaction"])
def test_echoes_deliveries_reads_and_reactions_start_nothing(name):
    assert messenger.parse_delivery(delivery(name)) == []


def test_other_objects_are_refused():
    with pytest.raises(ValueError, match="not a Messenger or Instagram delivery"):
        messenger.parse_delivery({"object": "whatsapp_business_account"})


def test_text_is_plain_with_quick_replies_on_the_last_part():
    buttons = [
        {"title": "Talk to a person", "payload": "/contact_human_agent"},
        {"title": "A title that is far too long", "payload": "/x"},
    ]
    calls = messenger.text_calls("6789", "**Sorry** " + "word " * 500, buttons)
    assert len(calls) == 2 and all(len(c["body"]["message"]["text"]) <= 2000 for c in calls)
    assert calls[0]["body"]["message"]["text"].startswith("Sorry word")
    assert calls[0]["body"]["recipient"] == {"id": "6789"}
    assert calls[0]["body"]["messaging_type"] == "RESPONSE"
    assert "quick_replies" not in calls[0]["body"]["message"]
    assert calls[1]["body"]["message"]["quick_replies"] == [
        {"content_type": "text", "title": "Talk to a person", "payload": "/contact_human_agent"},
        {"content_type": "text", "title": "A title that is far…", "payload": "/x"},
    ]


def test_products_are_a_generic_template():
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
    (call,) = messenger.card_calls("6789", card, SITE)
    payload = call["body"]["message"]["attachment"]["payload"]
    assert payload == {
        "template_type": "generic",
        "elements": [
            {
                "title": "Trail Jacket",
                "subtitle": "EUR 129.00 · in stock",
                "default_action": {"type": "web_url", "url": "https://shop.example/products/FG-1"},
                "buttons": [
                    {
                        "type": "web_url",
                        "url": "https://shop.example/products/FG-1",
                        "title": "View product",
                    }
                ],
                "image_url": "https://shop.example/static/products/fg-1.jpg",
            }
        ],
    }
