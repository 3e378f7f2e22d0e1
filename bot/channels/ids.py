"""Conversation ids of the messaging apps: ``<channel>:<the platform's user or chat id>``.

The prefix keeps ids of different apps apart (a Telegram chat 4242 and an SMS from 4242 are two
conversations) and tells an operator at a glance where a conversation comes from.
"""

from __future__ import annotations

CHANNEL_NAMES: tuple[str, ...] = ("telegram", "whatsapp", "messenger", "twilio")


def conversation_id(channel: str, platform_id: str | int) -> str:
    """The Rasa sender id of ``platform_id`` on ``channel``, e.g. ``telegram:4242``."""
    if channel not in CHANNEL_NAMES:
        raise ValueError(
            f"channel must be one of {CHANNEL_NAMES}. Currently, channel is {channel!r}"
        )
    text = str(platform_id).strip()
    if not text:
        raise ValueError(f"a {channel} conversation needs a platform id. Currently, it is empty")
    return f"{channel}:{text}"


def platform_id(channel: str, conversation: str) -> str:
    """The platform's user or chat id in ``conversation`` (the inverse of :func:`conversation_id`)."""
    prefix = f"{channel}:"
    if not conversation.startswith(prefix) or len(conversation) == len(prefix):
        raise ValueError(
            f"a {channel} conversation id starts with {prefix!r}. Currently, it is {conversation!r}"
        )
    return conversation[len(prefix) :]
