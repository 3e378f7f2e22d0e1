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

Several Rasa replicas: with ``FERNHILL_SOCKETIO_REDIS_URL`` set (the scaled profile sets it),
the socket.io server uses python-socketio's Redis client manager, so a bot or agent message
emitted by any replica reaches the shopper's socket held by another, and the message ids seen
are kept in Redis, so a repeat that reaches another replica is dropped too.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from redis import asyncio as redis_asyncio  # type: ignore[import-untyped]
from sanic import Blueprint
from socketio import AsyncRedisManager, AsyncServer

from rasa_channels.failed_turns import FailedTurnGuard

logger = logging.getLogger(__name__)

CLIENT_MESSAGE_ID = "client_message_id"
# How long a repeat waits for the first copy to be handled before it is acknowledged anyway.
REPEAT_WAIT_SECONDS = 120.0
SHARED_URL_SETTING = "FERNHILL_SOCKETIO_REDIS_URL"
SOCKETIO_CHANNEL = "fernhill-socketio"
SEEN_PREFIX = "fernhill:socketio:seen:"
SEEN_TTL_SECONDS = 86_400


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


class SharedSeenMessages:
    """The message keys seen by every replica, in Redis: ``pending`` while the first copy is
    handled, ``done`` after; forgotten after a day."""

    def __init__(self, url: str, poll_seconds: float = 0.1) -> None:
        self.redis = redis_asyncio.Redis.from_url(url)
        self.poll_seconds = poll_seconds

    async def first_time(self, key: str) -> bool:
        """Registers ``key``; whether no replica had seen it."""
        return bool(
            await self.redis.set(SEEN_PREFIX + key, "pending", nx=True, ex=SEEN_TTL_SECONDS)
        )

    async def handled(self, key: str) -> None:
        """Marks ``key`` handled."""
        await self.redis.set(SEEN_PREFIX + key, "done", ex=SEEN_TTL_SECONDS)

    async def wait_handled(self, key: str) -> None:
        """Returns once ``key`` is handled (or forgotten)."""
        while (await self.redis.get(SEEN_PREFIX + key)) == b"pending":
            await asyncio.sleep(self.poll_seconds)


def share_sockets(sio: AsyncServer, url: str) -> AsyncRedisManager:
    """Makes ``sio`` (not yet serving) emit through Redis to the sockets of every replica."""
    manager = AsyncRedisManager(url, channel=SOCKETIO_CHANNEL)
    sio.manager = manager
    manager.set_server(sio)
    sio.manager_initialized = False
    return manager


def start_sharing(sio: AsyncServer) -> None:
    """Starts listening to the other replicas' emits (python-socketio would wait for the first
    connection to this replica; an emit from another must reach sockets before that)."""
    if not sio.manager_initialized:
        sio.manager_initialized = True
        sio.manager.initialize()


class DeduplicatingSocketIOInput(SocketIOInput):
    """Rasa's socket.io input channel that drops repeats of a message (same client message id)
    and apologises for a turn that a failed custom action left silent
    (:mod:`rasa_channels.failed_turns`)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's socket.io blueprint, with repeated messages filtered out (and the sockets and
        seen messages shared through Redis when ``FERNHILL_SOCKETIO_REDIS_URL`` is set)."""
        guard = FailedTurnGuard()
        return guard.watch(self._deduplicating_blueprint(guard.wrap(on_new_message)))

    def _deduplicating_blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        shared_url = os.environ.get(SHARED_URL_SETTING, "").strip()
        if shared_url:
            return self._shared_blueprint(on_new_message, shared_url)
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

    def _shared_blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], url: str
    ) -> Blueprint:
        seen = SharedSeenMessages(url)

        async def handle_once(message: UserMessage) -> Any:
            key = client_message_key(message)
            if key is None:
                return await on_new_message(message)
            if not await seen.first_time(key):
                logger.info("Dropped a repeat of message %s.", key)
                try:
                    await asyncio.wait_for(seen.wait_handled(key), REPEAT_WAIT_SECONDS)
                except asyncio.TimeoutError:
                    logger.warning("Message %s still not handled; acknowledging its repeat.", key)
                return None
            try:
                return await on_new_message(message)
            finally:
                await seen.handled(key)

        blueprint = super().blueprint(handle_once)
        assert self.sio is not None  # set by Rasa's blueprint
        sio = self.sio
        share_sockets(sio, url)

        async def listen_to_replicas(*_: Any) -> None:
            start_sharing(sio)

        blueprint.listener("after_server_start")(listen_to_replicas)
        return blueprint
