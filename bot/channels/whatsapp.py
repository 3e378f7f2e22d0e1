"""WhatsApp Business Cloud API: webhook deliveries read into
:class:`~bot.channels.inbound.Inbound` items and replies built as ``/messages`` requests.

Buttons are interactive reply buttons (at most 3, titles of at most 20 characters) or, beyond
that, a list message (up to 10 rows); replies use WhatsApp's formatting and are split at 4096
characters; products are image messages with a caption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.channels.calls import ApiCall, Button, button_payload, button_title
from bot.channels.card_text import absolute_url, card_text, product_caption
from bot.channels.ids import conversation_id
from bot.channels.inbound import Inbound
from bot.channels.text import WHATSAPP_TEXT_LIMIT, split_text, to_whatsapp
from bot.messages import Card

CHANNEL = "whatsapp"
REPLY_BUTTONS_MAX = 3
REPLY_BUTTON_TITLE_MAX = 20
LIST_ROWS_MAX = 10
LIST_ROW_TITLE_MAX = 24
LIST_ROW_DESCRIPTION_MAX = 72
INTERACTIVE_BODY_MAX = 1024
CAPTION_MAX = 1024
LIST_BUTTON_LABEL = "Choose"
# Message types that carry no text: answered with the "text only" reply.
MEDIA_TYPES = ("image", "audio", "video", "document", "sticker", "location", "contacts")
# Error code of a free-form message outside the 24-hour customer-service window.
WINDOW_CLOSED_ERROR = 131047


def _message_text(message: Mapping[str, Any]) -> str | None:
    kind = message.get("type")
    if kind == "text":
        return str((message.get("text") or {}).get("body") or "")
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return str(reply.get("id") or reply.get("title") or "")
    if kind == "button":  # a template's quick-reply button
        button = message.get("button") or {}
        return str(button.get("payload") or button.get("text") or "")
    return None


def parse_delivery(payload: Mapping[str, Any]) -> list[Inbound]:
    """The shoppers' messages in a webhook delivery; statuses (sent, delivered, read, failed),
    reactions and system messages start nothing."""
    if payload.get("object") != "whatsapp_business_account":
        raise ValueError(f"not a WhatsApp delivery: object is {payload.get('object')!r}")
    items: list[Inbound] = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            if change.get("field") != "messages":
                continue
            value = change.get("value") or {}
            names = {
                str(c.get("wa_id")): (c.get("profile") or {}).get("name")
                for c in value.get("contacts") or []
            }
            for message in value.get("messages") or []:
                sender = str(message["from"])
                conversation = conversation_id(CHANNEL, sender)
                name = names.get(sender)
                text = _message_text(message)
                if text is not None:
                    items.append(Inbound("text", conversation, str(message["id"]), text, name))
                elif message.get("type") in (*MEDIA_TYPES, "unsupported"):
                    items.append(
                        Inbound(
                            "unsupported",
                            conversation,
                            str(message["id"]),
                            display_name=name,
                            media_type=str(message.get("type")),
                        )
                    )
    return items


def _message(to: str, kind: str, content: dict[str, Any]) -> ApiCall:
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: content,
    }
    return {"method": "messages", "body": body}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def interactive(to: str, text: str, buttons: Sequence[Button]) -> ApiCall:
    """Reply buttons when there are at most 3 with short titles, a list message otherwise."""
    body = {"text": text or "Please choose:"}
    titles = [button_title(b) for b in buttons]
    if len(buttons) <= REPLY_BUTTONS_MAX and all(len(t) <= REPLY_BUTTON_TITLE_MAX for t in titles):
        replies = [
            {"type": "reply", "reply": {"id": button_payload(b)[:256], "title": t}}
            for b, t in zip(buttons, titles)
        ]
        return _message(
            to, "interactive", {"type": "button", "body": body, "action": {"buttons": replies}}
        )
    rows = []
    for button, title in zip(buttons[:LIST_ROWS_MAX], titles):
        row = {"id": button_payload(button)[:200], "title": _cut(title, LIST_ROW_TITLE_MAX)}
        if len(title) > LIST_ROW_TITLE_MAX:
            row["description"] = _cut(title, LIST_ROW_DESCRIPTION_MAX)
        rows.append(row)
    action = {"button": LIST_BUTTON_LABEL, "sections": [{"title": "Options", "rows": rows}]}
    return _message(to, "interactive", {"type": "list", "body": body, "action": action})


def text_calls(to: str, markdown: str, buttons: Sequence[Button] = ()) -> list[ApiCall]:
    """Text messages for ``markdown`` (split at 4096 characters); with buttons, the last part (at
    most 1024 characters) is the body of an interactive message."""
    text = to_whatsapp(markdown)
    if not buttons:
        return [
            _message(to, "text", {"preview_url": True, "body": part})
            for part in split_text(text, WHATSAPP_TEXT_LIMIT)
        ]
    parts = split_text(text, INTERACTIVE_BODY_MAX)
    calls = text_calls(to, "\n\n".join(parts[:-1])) if len(parts) > 1 else []
    return [*calls, interactive(to, parts[-1] if parts else "", buttons)]


def image_call(to: str, url: str, caption: str = "") -> ApiCall:
    """An image message (the caption cut to 1024 characters)."""
    content: dict[str, Any] = {"link": url}
    if caption:
        content["caption"] = split_text(to_whatsapp(caption), CAPTION_MAX)[0]
    return _message(to, "image", content)


def card_calls(to: str, card: Card, site_url: str) -> list[ApiCall]:
    """A card as WhatsApp messages: an image with a caption per product, text otherwise."""
    if card["type"] == "products":
        calls: list[ApiCall] = []
        for product in card["products"]:
            image = absolute_url(product["image"], site_url)
            caption = product_caption(product, site_url)
            calls += [image_call(to, image, caption)] if image else text_calls(to, caption)
        return calls
    return text_calls(to, card_text(card, site_url))


def window_closed(error: Mapping[str, Any]) -> bool:
    """Whether an API error says the 24-hour customer-service window is closed (a template
    message is needed)."""
    inner = error.get("error") if isinstance(error.get("error"), Mapping) else error
    return isinstance(inner, Mapping) and inner.get("code") == WINDOW_CLOSED_ERROR
