"""Telegram Bot API: updates read into :class:`~bot.channels.inbound.Inbound` items and replies
built as API calls (``sendMessage``, ``sendPhoto``, ``answerCallbackQuery``).

Replies are HTML (``parse_mode=HTML``); buttons are an inline keyboard whose ``callback_data`` is
the button's payload (Telegram allows 64 bytes); a pressed button arrives as a ``callback_query``
that is answered at once so the app stops its spinner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.channels.calls import ApiCall, Button, button_payload, button_title
from bot.channels.card_text import absolute_url, card_text, product_caption
from bot.channels.ids import conversation_id
from bot.channels.inbound import Inbound
from bot.channels.text import (
    TELEGRAM_CAPTION_LIMIT,
    TELEGRAM_TEXT_LIMIT,
    split_text,
    to_telegram_html,
)
from bot.messages import Card

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CALLBACK_DATA_LIMIT = 64
# Message fields that carry something other than text: answered with the "text only" reply.
MEDIA_FIELDS = (
    "photo",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "sticker",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
)


def _display_name(user: Mapping[str, Any] | None) -> str | None:
    if not user:
        return None
    name = " ".join(str(user[k]) for k in ("first_name", "last_name") if user.get(k))
    return name or (f"@{user['username']}" if user.get("username") else None)


def parse_update(update: Mapping[str, Any]) -> list[Inbound]:
    """The shopper's message in a webhook ``update`` (none for updates that start no turn:
    edits, channel posts, membership changes, a bot's own messages)."""
    update_id = update.get("update_id")
    if not isinstance(update_id, int):
        raise ValueError(
            f"a Telegram update has an integer update_id. Currently, it is {update_id!r}"
        )
    message_id = str(update_id)
    query = update.get("callback_query")
    if isinstance(query, Mapping):
        chat = (query.get("message") or {}).get("chat") or query.get("from") or {}
        if "id" not in chat:
            return []
        return [
            Inbound(
                kind="text",
                conversation_id=conversation_id(CHANNEL, chat["id"]),
                message_id=message_id,
                text=str(query.get("data") or ""),
                display_name=_display_name(query.get("from")),
                reply_handle=str(query["id"]),
            )
        ]
    message = update.get("message")
    if not isinstance(message, Mapping) or "chat" not in message:
        return []
    sender = message.get("from") or {}
    if sender.get("is_bot"):
        return []
    conversation = conversation_id(CHANNEL, message["chat"]["id"])
    name = _display_name(sender)
    if isinstance(message.get("text"), str):
        return [Inbound("text", conversation, message_id, message["text"], name)]
    media = next((field for field in MEDIA_FIELDS if field in message), None)
    if media is not None:
        return [Inbound("unsupported", conversation, message_id, "", name, media_type=media)]
    return []  # service messages (a member joined, a pinned message...)


def _callback_data(button: Button) -> str:
    data = button_payload(button)
    if len(data.encode()) <= CALLBACK_DATA_LIMIT:
        return data
    return button_title(button).encode()[:CALLBACK_DATA_LIMIT].decode(errors="ignore")


def inline_keyboard(buttons: Sequence[Button]) -> dict[str, Any]:
    """An inline keyboard with one button per row (link buttons open their URL)."""
    rows: list[list[dict[str, str]]] = []
    for button in buttons:
        if button.get("url"):
            rows.append([{"text": button_title(button), "url": str(button["url"])}])
        else:
            rows.append([{"text": button_title(button), "callback_data": _callback_data(button)}])
    return {"inline_keyboard": rows}


def text_calls(chat_id: str, markdown: str, buttons: Sequence[Button] = ()) -> list[ApiCall]:
    """``sendMessage`` calls for ``markdown`` (split at 4096 characters); the buttons go with the
    last part."""
    parts = split_text(markdown, TELEGRAM_TEXT_LIMIT) or ["Please choose:" if buttons else "…"]
    calls: list[ApiCall] = []
    for number, part in enumerate(parts, start=1):
        body: dict[str, Any] = {
            "chat_id": chat_id,
            "text": to_telegram_html(part),
            "parse_mode": "HTML",
            "disable_web_page_preview": True,
        }
        if buttons and number == len(parts):
            body["reply_markup"] = inline_keyboard(buttons)
        calls.append({"method": "sendMessage", "body": body})
    return calls


def photo_call(chat_id: str, photo_url: str, caption: str = "") -> ApiCall:
    """A ``sendPhoto`` call (the caption cut to Telegram's 1024 characters)."""
    body: dict[str, Any] = {"chat_id": chat_id, "photo": photo_url}
    if caption:
        body["caption"] = to_telegram_html(split_text(caption, TELEGRAM_CAPTION_LIMIT)[0])
        body["parse_mode"] = "HTML"
    return {"method": "sendPhoto", "body": body}


def card_calls(chat_id: str, card: Card, site_url: str) -> list[ApiCall]:
    """A card as Telegram messages: a photo with a caption per product, text otherwise."""
    if card["type"] == "products":
        calls: list[ApiCall] = []
        for product in card["products"]:
            image = absolute_url(product["image"], site_url)
            caption = product_caption(product, site_url)
            calls += (
                [photo_call(chat_id, image, caption)] if image else text_calls(chat_id, caption)
            )
        return calls
    return text_calls(chat_id, card_text(card, site_url))


def answer_callback_call(callback_query_id: str) -> ApiCall:
    """``answerCallbackQuery``: stops the pressed button's spinner."""
    return {"method": "answerCallbackQuery", "body": {"callback_query_id": callback_query_id}}


def set_webhook_call(public_url: str, secret: str) -> ApiCall:
    """``setWebhook`` to this channel's URL under ``public_url``, with the secret Telegram sends
    back in every call's ``X-Telegram-Bot-Api-Secret-Token`` header."""
    return {
        "method": "setWebhook",
        "body": {
            "url": f"{public_url.rstrip('/')}/webhooks/{CHANNEL}/webhook",
            "secret_token": secret,
            "allowed_updates": ["message", "callback_query"],
        },
    }
