"""What a webhook delivery from a messaging app means, in one shape for every app.

An app's parser turns a delivery into :class:`Inbound` items: a shopper's text (or a button they
pressed) becomes a turn of the conversation; a photo, voice note, sticker, location or file gets a
polite "text only" answer; status callbacks, echoes, reactions and the like are acknowledged and
start nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

InboundKind = Literal["text", "unsupported"]

TEXT_ONLY_REPLY = (
    "Thanks for sending that! I can only read text for now, so please type your question "
    "and I'll gladly help."
)


@dataclass(frozen=True)
class Inbound:
    """One message from a shopper.

    Attributes:
        kind: ``text`` (a turn of the conversation) or ``unsupported`` (media: answered politely).
        conversation_id: the Rasa sender id, ``<channel>:<platform id>``.
        message_id: the platform's id of this delivery, unique per channel (for deduplication).
        text: what the shopper wrote, or the payload of the button they pressed.
        display_name: the shopper's name as the app gives it, when it does.
        reply_handle: an id the app wants acknowledged (Telegram's callback query id).
        media_type: what an ``unsupported`` message held (``photo``, ``voice``, ``location``...).
        app: the app, where one channel serves several (``instagram`` on the messenger channel,
            ``whatsapp`` on twilio).
    """

    kind: InboundKind
    conversation_id: str
    message_id: str
    text: str = ""
    display_name: str | None = None
    reply_handle: str | None = None
    media_type: str | None = None
    app: str | None = None

    def metadata(self, channel: str) -> dict[str, str]:
        """The user event's metadata: the channel, the app (the channel's name unless it serves
        several), the shopper's display name and the platform's message id (the agents' console
        reads the app and the name)."""
        data = {
            "channel": channel,
            "app": self.app or channel,
            "platform_message_id": self.message_id,
        }
        if self.display_name:
            data["display_name"] = self.display_name
        return data
