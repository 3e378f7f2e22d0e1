"""Whether an agent may still write to a shopper in a messaging app, and how.

WhatsApp (the Cloud API, and WhatsApp through Twilio) takes free-form messages only within 24
hours of the shopper's last message; after that only an approved template message may start the
conversation again. Messenger and Instagram take normal replies within 24 hours, and an agent's
reply up to 7 days after the shopper's last message when it carries the ``HUMAN_AGENT`` message
tag. Other channels (the web widget, SMS, Telegram) have no window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WHATSAPP_WINDOW = timedelta(hours=24)
MESSENGER_STANDARD_WINDOW = timedelta(hours=24)
MESSENGER_HUMAN_AGENT_WINDOW = timedelta(days=7)
HUMAN_AGENT_TAG = "HUMAN_AGENT"

WHATSAPP_CLOSED = "WhatsApp's 24-hour window is closed — a template message is needed"
MESSENGER_CLOSED = (
    "Messenger's 7-day window for agents' replies is closed — the shopper has to write first"
)


@dataclass(frozen=True)
class ReplyWindow:
    """Whether an agent's reply can reach the shopper now.

    Attributes:
        open: Whether a reply can be sent.
        closes_at: When the window closes (None: no window, or the last message is unknown).
        message_tag: The tag a reply must carry (Messenger's ``HUMAN_AGENT`` after 24 hours).
        reason: Why no reply can be sent (set when ``open`` is False).
    """

    open: bool = True
    closes_at: datetime | None = None
    message_tag: str | None = None
    reason: str | None = None


def is_whatsapp(channel: str | None, app: str | None) -> bool:
    """Whether the conversation is in WhatsApp (its own channel or WhatsApp through Twilio)."""
    return channel == "whatsapp" or app == "whatsapp"


def reply_window(
    channel: str | None, app: str | None, last_contact_at: datetime | None, now: datetime
) -> ReplyWindow:
    """The reply window of a conversation on ``channel`` (and ``app``) whose shopper last wrote
    at ``last_contact_at`` (timezone-aware; None when unknown: the window counts as open)."""
    if last_contact_at is None:
        return ReplyWindow()
    since = now - last_contact_at
    if is_whatsapp(channel, app):
        closes_at = last_contact_at + WHATSAPP_WINDOW
        if since >= WHATSAPP_WINDOW:
            return ReplyWindow(False, closes_at, reason=WHATSAPP_CLOSED)
        return ReplyWindow(True, closes_at)
    if channel == "messenger":
        closes_at = last_contact_at + MESSENGER_HUMAN_AGENT_WINDOW
        if since >= MESSENGER_HUMAN_AGENT_WINDOW:
            return ReplyWindow(False, closes_at, reason=MESSENGER_CLOSED)
        if since >= MESSENGER_STANDARD_WINDOW:
            return ReplyWindow(True, closes_at, message_tag=HUMAN_AGENT_TAG)
        return ReplyWindow(True, closes_at)
    return ReplyWindow()
