"""Rasa's socket.io channel, handling each shopper message once even when the widget sends it
again after a dropped connection.

The web widget gives every message a ``metadata.client_message_id`` and re-sends a message
whose acknowledgement it never got (the connection dropped while Rasa was handling it). This
channel remembers the ids it has seen per conversation: a repeat is not handed to Rasa again; it
is acknowledged once the first copy has been handled. Everything else is Rasa's own
``SocketIOInput`` (same name, ``socketio``, so ``output_channel=latest`` still finds it).

Configure it in credentials.yml in place of ``socketio:``::

    rasa_channels.socketio_dedup.DeduplicatingSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

CLIENT_MESSAGE_ID = "client_message_id"
# How long a repeat waits for the first copy to be handled before it is acknowledged anyway.
REPEAT_WAIT_SECONDS = 120.0


class RecentMessages:
    """The latest ``capacity`` message keys, each with an event set once it was handled."""

    def __init__(self, capacity: int = 50_000) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1. Currently, capacity is {capacity}")
        self.capacity = capacity
        self._handled: OrderedDict[str, asyncio.Event] = OrderedDict()

    def first_time(self, key: str) -> tuple[bool, asyncio.Event]:
        """Registers ``key``; returns whether it is new and the event of its handling."""
        event = self._handled.get(key)
        if event is not None:
            self._handled.move_to_end(key)
            return False, event
        event = asyncio.Event()
        self._handled[key] = event
        while len(self._handled) > self.capacity:
            self._handled.popitem(last=False)
        return True, event


def client_message_key(message: UserMessage) -> str | None:
    """``"<conversation>:<client message id>"``, or None when the message carries no id."""
    metadata = message.metadata if isinstance(message.metadata, dict) else {}
    client_id = metadata.get(CLIENT_MESSAGE_ID)
    if not isinstance(client_id, str) or not client_id or len(client_id) > 128:
        return None
    return f"{message.sender_id}:{client_id}"


class DeduplicatingSocketIOInput(SocketIOInput):
    """Rasa's socket.io input channel that drops repeats of a message (same client message id)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's socket.io blueprint, with repeated messages filtered out."""
        recent = RecentMessages()

        async def handle_once(message: UserMessage) -> Any:
            key = client_message_key(message)
            if key is None:
                return await on_new_message(message)
            first, handled = recent.first_time(key)
            if not first:
                logger.info("Dropped a repeat of message %s.", key)
                try:
                    await asyncio.wait_for(handled.wait(), REPEAT_WAIT_SECONDS)
                except asyncio.TimeoutError:
                    logger.warning("Message %s still not handled; acknowledging its repeat.", key)
                return None
            try:
                return await on_new_message(message)
            finally:
                handled.set()

        return super().blueprint(handle_once)
