"""Twilio Programmable Messaging (SMS, and WhatsApp through Twilio with ``whatsapp:`` numbers):
incoming-message webhooks read into :class:`~bot.channels.inbound.Inbound` items and replies built
as Messages API requests.

SMS has no buttons: options are numbered in the text ("Reply 1, 2 or 3") and a reply that is just
one of those digits stands for that option's payload. Text is plain for SMS and in WhatsApp's
formatting for ``whatsapp:`` numbers; bodies are split at Twilio's 1600 characters (Twilio sends a
long body as concatenated segments, see :func:`bot.channels.text.sms_segments`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.channels.calls import ApiCall, Button, button_payload, button_title
from bot.channels.card_text import card_text
from bot.channels.ids import conversation_id
from bot.channels.inbound import Inbound
from bot.channels.text import SMS_BODY_LIMIT, split_text, to_plain, to_whatsapp
from bot.messages import Card

CHANNEL = "twilio"
SIGNATURE_HEADER = "X-Twilio-Signature"
WHATSAPP_PREFIX = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def parse_form(form: Mapping[str, str]) -> list[Inbound]:
    """The shopper's message in an incoming-message webhook; status callbacks (``MessageStatus``
    without a body) start nothing."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    sender = form.get("From")
    if not sid or not sender:
        raise ValueError("a Twilio message webhook has MessageSid and From")
    if "Body" not in form and "NumMedia" not in form:
        return []  # a status callback (queued, sent, delivered, read, failed...)
    conversation = conversation_id(CHANNEL, sender)
    app = "whatsapp" if sender.startswith(WHATSAPP_PREFIX) else "sms"
    name = form.get("ProfileName") or None
    body = (form.get("Body") or "").strip()
    if body:
        return [Inbound("text", conversation, sid, body, name, app=app)]
    media = form.get("MediaContentType0") or ("location" if "Latitude" in form else "media")
    return [Inbound("unsupported", conversation, sid, display_name=name, media_type=media, app=app)]


def options_prompt(count: int) -> str:
    """``Reply 1, 2 or 3.`` for ``count`` options."""
    numbers = [str(n) for n in range(1, count + 1)]
    if count == 1:
        return "Reply 1."
    return f"Reply {', '.join(numbers[:-1])} or {numbers[-1]}."


def numbered_options(markdown: str, buttons: Sequence[Button]) -> str:
    """``markdown`` followed by the buttons as a numbered list and how to choose."""
    lines = [f"{n}. {button_title(b)}" for n, b in enumerate(buttons, start=1)]
    return f"{markdown}\n\n" + "\n".join(lines) + f"\n{options_prompt(len(buttons))}"


def chosen_option(text: str, buttons: Sequence[Button]) -> str | None:
    """The payload of the option a reply of just its number chose (``"2"``, ``"2."``), else
    None."""
    digits = text.strip().rstrip(".)")
    if not digits.isdigit():
        return None
    number = int(digits)
    if 1 <= number <= len(buttons):
        return button_payload(buttons[number - 1])
    return None


def text_calls(
    to: str, sender: str, markdown: str, buttons: Sequence[Button] = ()
) -> list[ApiCall]:
    """Messages API requests for ``markdown`` (with numbered ``buttons``) from ``sender`` (the
    shop's number; ``whatsapp:`` is added for WhatsApp recipients)."""
    whatsapp = to.startswith(WHATSAPP_PREFIX)
    text = numbered_options(markdown, buttons) if buttons else markdown
    body = to_whatsapp(text) if whatsapp else to_plain(text)
    from_ = sender
    if whatsapp and not sender.startswith(WHATSAPP_PREFIX):
        from_ = WHATSAPP_PREFIX + sender
    return [
        {"method": "Messages.json", "body": {"To": to, "From": from_, "Body": part}}
        for part in split_text(body, SMS_BODY_LIMIT)
    ]


def card_calls(to: str, sender: str, card: Card, site_url: str) -> list[ApiCall]:
    """A card as text with its links (products with their page's URL)."""
    return text_calls(to, sender, card_text(card, site_url))
