"""Handles each platform delivery once, also when the platform retries it after a restart.

Platforms retry a webhook call that timed out or failed, so the same message can arrive twice.
A delivery is recognised by its platform message id: first among the ids this process has seen
(this also holds back a retry that arrives while the first copy is still being handled), then
among the user events of the conversation in Rasa's tracker store, where every message handed to
Rasa is kept with that id as its ``message_id``. A message that starts no turn (a photo, a voice
note) leaves its polite answer in the tracker with the delivery's id in ``metadata.in_reply_to``.
A persistent tracker store (SQL, the project's default) therefore keeps the ids across a
restart.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from rasa.core.channels.channel import OutputChannel
from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.inbound import Inbound

logger = logging.getLogger(__name__)

# metadata of a bot message that answered a delivery without a turn: the delivery's platform id
IN_REPLY_TO = "in_reply_to"


class RecentDeliveries:
    """The platform message ids handled lately, backed by the tracker store."""

    def __init__(self, capacity: int = 20_000) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1. Currently, capacity is {capacity}")
        self.capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()

    @staticmethod
    def _key(item: Inbound) -> str:
        return f"{item.conversation_id}/{item.message_id}"

    async def first_time(self, agent: Any, item: Inbound) -> bool:
        """Whether ``item`` is new; it counts as seen from now on (see :meth:`forget`)."""
        key = self._key(item)
        if key in self._seen:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = None
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        if await self._in_tracker(agent, item):
            return False
        return True

    def forget(self, item: Inbound) -> None:
        """Lets a retry of ``item`` through again (its handling failed)."""
        self._seen.pop(self._key(item), None)

    @staticmethod
    async def _in_tracker(agent: Any, item: Inbound) -> bool:
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return False
        tracker = await store.retrieve(item.conversation_id)
        if tracker is None:
            return False
        return any(
            (isinstance(event, UserUttered) and event.message_id == item.message_id)
            or (
                isinstance(event, BotUttered)
                and (event.metadata or {}).get(IN_REPLY_TO) == item.message_id
            )
            for event in reversed(tracker.events)
        )


async def record_reply(agent: Any, item: Inbound, text: str, output: OutputChannel) -> None:
    """Keeps the reply ``text`` to ``item`` (a message that starts no turn, e.g. a photo) in the
    conversation's tracker, marked with ``item``'s id: a retry after a restart is then recognised
    like a retried text, and agents see the reply in the transcript."""
    processor = getattr(agent, "processor", None)
    if processor is None:
        return
    async with agent.lock_store.lock(item.conversation_id):
        tracker = await processor.fetch_tracker_with_initial_session(
            item.conversation_id, output, item.metadata(output.name())
        )
        metadata = {IN_REPLY_TO: item.message_id, "media_type": item.media_type or "media"}
        tracker.update(BotUttered(text, metadata=metadata))
        await processor.save_tracker(tracker)
