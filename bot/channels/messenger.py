"""Facebook Messenger and Instagram messaging (the same webhook shape, ``object`` ``page`` or
``instagram``): deliveries read into :class:`~bot.channels.inbound.Inbound` items and replies
built as Send API requests.

Buttons are quick replies (at most 13, titles of at most 20 characters); products are a generic
template (picture, name, price, a button to the product page); text is plain (Messenger shows no
Markdown) and split at 2000 characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.channels.calls import ApiCall, Button, button_payload, button_title
from bot.channels.card_text import absolute_url, card_text
from bot.channels.ids import conversation_id
from bot.channels.inbound import Inbound
from bot.channels.text import MESSENGER_TEXT_LIMIT, split_text, to_plain
from bot.messages import Card, ProductItem

CHANNEL = "messenger"
OBJECTS = ("page", "instagram")
QUICK_REPLIES_MAX = 13
QUICK_REPLY_TITLE_MAX = 20
QUICK_REPLY_PAYLOAD_MAX = 1000
TEMPLATE_ELEMENTS_MAX = 10
TEMPLATE_TEXT_MAX = 80


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _event_item(event: Mapping[str, Any], platform: str) -> Inbound | None:
    sender = str((event.get("sender") or {}).get("id") or "")
    if not sender:
        return None
    conversation = conversation_id(CHANNEL, sender)
    postback = event.get("postback")
    if isinstance(postback, Mapping):
        message_id = str(postback.get("mid") or f"postback-{sender}-{event.get('timestamp')}")
        text = str(postback.get("payload") or postback.get("title") or "")
        return Inbound("text", conversation, message_id, text, app=platform)
    message = event.get("message")
    if not isinstance(message, Mapping) or message.get("is_echo") or message.get("is_deleted"):
        return None  # deliveries, reads, reactions, echoes of the page's own messages
    message_id = str(message["mid"])
    quick_reply = message.get("quick_reply")
    if isinstance(quick_reply, Mapping) and quick_reply.get("payload"):
        return Inbound("text", conversation, message_id, str(quick_reply["payload"]), app=platform)
    if isinstance(message.get("text"), str) and message["text"]:
        return Inbound("text", conversation, message_id, message["text"], app=platform)
    attachments = message.get("attachments") or []
    if attachments or "sticker_id" in message:
        kind = "sticker" if "sticker_id" in message else str(attachments[0].get("type") or "file")
        return Inbound("unsupported", conversation, message_id, media_type=kind, app=platform)
    return None


def parse_delivery(payload: Mapping[str, Any]) -> list[Inbound]:
    """The shoppers' messages (and pressed buttons) in a Messenger or Instagram delivery."""
    platform = payload.get("object")
    if platform not in OBJECTS:
        raise ValueError(f"not a Messenger or Instagram delivery: object is {platform!r}")
    items: list[Inbound] = []
    for entry in payload.get("entry") or []:
        for event in entry.get("messaging") or []:
            item = _event_item(event, platform_of(payload))
            if item is not None:
                items.append(item)
    return items


def platform_of(payload: Mapping[str, Any]) -> str:
    """``messenger`` or ``instagram``: which app a delivery came from."""
    return "instagram" if payload.get("object") == "instagram" else "messenger"


def _send(psid: str, message: dict[str, Any]) -> ApiCall:
    body = {"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": message}
    return {"method": "me/messages", "body": body}


def quick_replies(buttons: Sequence[Button]) -> list[dict[str, str]]:
    """Buttons as quick replies (at most 13; titles cut to 20 characters)."""
    return [
        {
            "content_type": "text",
            "title": _cut(button_title(button), QUICK_REPLY_TITLE_MAX),
            "payload": button_payload(button)[:QUICK_REPLY_PAYLOAD_MAX],
        }
        for button in buttons[:QUICK_REPLIES_MAX]
    ]


def text_calls(psid: str, markdown: str, buttons: Sequence[Button] = ()) -> list[ApiCall]:
    """Plain-text messages for ``markdown`` (split at 2000 characters); quick replies go with
    the last part (link buttons become a button template)."""
    parts = split_text(to_plain(markdown), MESSENGER_TEXT_LIMIT) or ["Please choose:"]
    links = [b for b in buttons if b.get("url")]
    replies = [b for b in buttons if not b.get("url")]
    calls = [_send(psid, {"text": part}) for part in parts]
    if replies:
        calls[-1]["body"]["message"]["quick_replies"] = quick_replies(replies)
    if links:
        template = {
            "template_type": "button",
            "text": _cut(parts[-1], 640),
            "buttons": [
                {"type": "web_url", "url": str(b["url"]), "title": _cut(button_title(b), 20)}
                for b in links[:3]
            ],
        }
        calls.append(_send(psid, {"attachment": {"type": "template", "payload": template}}))
    return calls


def image_call(psid: str, url: str) -> ApiCall:
    """An image attachment."""
    return _send(
        psid, {"attachment": {"type": "image", "payload": {"url": url, "is_reusable": True}}}
    )


def _element(product: ProductItem, site_url: str) -> dict[str, Any]:
    url = absolute_url(product["url"], site_url) or site_url
    stock = "in stock" if product["stock"] > 0 else "out of stock"
    element: dict[str, Any] = {
        "title": _cut(product["name"], TEMPLATE_TEXT_MAX),
        "subtitle": _cut(f"{product['currency']} {product['price']} · {stock}", TEMPLATE_TEXT_MAX),
        "default_action": {"type": "web_url", "url": url},
        "buttons": [{"type": "web_url", "url": url, "title": "View product"}],
    }
    image = absolute_url(product["image"], site_url)
    if image:
        element["image_url"] = image
    return element


def card_calls(psid: str, card: Card, site_url: str) -> list[ApiCall]:
    """A card as Messenger messages: a generic template for products, text otherwise."""
    if card["type"] == "products":
        elements = [_element(p, site_url) for p in card["products"][:TEMPLATE_ELEMENTS_MAX]]
        payload = {"template_type": "generic", "elements": elements}
        return [_send(psid, {"attachment": {"type": "template", "payload": payload}})]
    return text_calls(psid, card_text(card, site_url))


def tagged(calls: list[ApiCall], tag: str) -> list[ApiCall]:
    """``calls`` sent as tagged messages (``messaging_type: MESSAGE_TAG``): with ``HUMAN_AGENT``
    an agent may answer up to 7 days after the shopper's last message, not only 24 hours."""
    return [
        {
            "method": call["method"],
            "body": {**call["body"], "messaging_type": "MESSAGE_TAG", "tag": tag},
        }
        for call in calls
    ]


def profile_fields(app: str | None) -> str:
    """The profile fields to ask the Graph API for: a Messenger user's names, an Instagram
    user's name and username."""
    return "name,username" if app == "instagram" else "first_name,last_name"


def profile_name(profile: Any) -> str | None:
    """The display name in a Graph API profile answer (None when it holds none)."""
    if not isinstance(profile, Mapping):
        return None
    parts = [profile.get("first_name"), profile.get("last_name")]
    name = " ".join(str(p).strip() for p in parts if isinstance(p, str) and p.strip())
    for key in ("name", "username"):
        value = profile.get(key)
        if not name and isinstance(value, str) and value.strip():
            name = value.strip()
    return name or None
