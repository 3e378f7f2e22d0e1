"""Live updates for the console: a hub that fans events out to the signed-in browsers (SSE), and a
poller that reads open conversations from Rasa's tracker API.

Why polling: while a conversation is paused Rasa records the shopper's messages but tells no one.
Reading the trackers of open conversations (only those: pending ones are the bot's) every
``console_poll_seconds`` needs nothing more than the HTTP API the console already uses, and it
catches up by itself after a restart of either side (``synced_until`` is stored).
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.handoff.models import Conversation, Message, Status
from bot.handoff.rasa_api import RasaApi, RasaUnavailable
from bot.handoff.transcript import TrackerView, read_tracker
from bot.handoff.workflow import store_sync
from bot.messages import (
    ConsoleEvent,
    StoredMessage,
    conversation_event,
    queue_event,
    read_card,
    stored_message,
)
from bot.messages import message_event as line_event
from bot.scale.pubsub import Leadership, PostgresBus, is_postgres

log = logging.getLogger(__name__)
WATCHED = (Status.OPEN.value, Status.SNOOZED.value)


class Hub:
    """Publish/subscribe of console events (one queue per connected browser).

    Alone it is in-process. With a shared ``bus`` (several web app replicas on one PostgreSQL app
    database) every event goes through the bus and each replica hands it to its own browsers, so
    a reply or a new message seen on one replica reaches agents signed in on another; the
    ``leader`` then decides which replica polls Rasa, so transcripts are stored once.
    """

    def __init__(
        self,
        max_backlog: int = 200,
        bus: PostgresBus | None = None,
        leader: Leadership | None = None,
    ) -> None:
        self._subscribers: set[asyncio.Queue[ConsoleEvent]] = set()
        self._max_backlog = max_backlog
        self._bus, self._leader = bus, leader
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def for_database(cls, app_database_url: str) -> Hub:
        """Shared through PostgreSQL when the app database is there, in-process otherwise."""
        if not is_postgres(app_database_url):
            return cls()
        # The lock's key is the database's address: replicas of one deployment share it.
        leader = Leadership(
            app_database_url, zlib.crc32(f"console-poll {app_database_url}".encode())
        )
        return cls(bus=PostgresBus(app_database_url), leader=leader)

    @property
    def shared(self) -> bool:
        """Whether events cross replicas."""
        return self._bus is not None

    def leads_polling(self) -> bool:
        """Whether this replica should poll Rasa (always, unless another replica leads)."""
        return self._leader is None or self._leader.held()

    def subscribe(self) -> asyncio.Queue[ConsoleEvent]:
        """A new subscriber's queue."""
        self._listen()
        queue: asyncio.Queue[ConsoleEvent] = asyncio.Queue(self._max_backlog)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[ConsoleEvent]) -> None:
        """Forgets a subscriber."""
        self._subscribers.discard(queue)

    def publish(self, event: ConsoleEvent) -> None:
        """Sends ``event`` to every subscriber (of every replica when shared); a browser too slow
        to keep up is dropped."""
        if self._bus is None:
            self._deliver(event)
            return
        self._listen()
        payload: ConsoleEvent = event
        if event["type"] == "message" and not self._bus.fits(dict(event)):
            # Too large for one notification: the pages reload the conversation instead.
            payload = conversation_event(event["conversation_id"])
        try:
            self._bus.publish(dict(payload))
        except Exception:
            log.exception("console event not shared; delivered on this replica only")
            self._deliver(event)

    def close(self) -> None:
        """Stops listening to other replicas and gives up the poller's lead."""
        if self._bus is not None:
            self._bus.close()
        if self._leader is not None:
            self._leader.release()

    def _listen(self) -> None:
        if self._bus is None or self._loop is not None:
            return
        self._loop = asyncio.get_running_loop()
        loop = self._loop

        def from_bus(payload: dict[str, Any]) -> None:
            loop.call_soon_threadsafe(self._deliver, cast(ConsoleEvent, payload))

        self._bus.listen(from_bus)
        # Events published before LISTEN took effect would be lost: wait for it (briefly).
        self._bus.listening.wait(5.0)

    def _deliver(self, event: ConsoleEvent) -> None:
        for queue in list(self._subscribers):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                self._subscribers.discard(queue)


@dataclass(frozen=True)
class _Watched:
    id: int
    session_id: str
    synced_until: float


def stored(message: Message) -> StoredMessage:
    """A stored transcript line in the console's shape, with the card it carried."""
    return stored_message(
        id=message.id,
        sender=message.sender,
        text=message.text,
        agent=message.agent.name if message.agent else None,
        intent=message.intent,
        confidence=message.confidence,
        sentiment=message.sentiment,
        sources=[{"title": str(s.get("title") or ""), "url": s.get("url")} for s in message.sources]
        if message.sources is not None
        else None,
        created_at=message.created_at,
        card=read_card(message.card),
    )


def message_event(conversation_id: int, message: Message) -> ConsoleEvent:
    """The hub event of a new transcript line."""
    return line_event(conversation_id, stored(message))


class Poller:
    """Reads the open conversations' trackers and publishes new messages and queue changes."""

    def __init__(
        self, sessions: sessionmaker[Session], rasa: RasaApi, hub: Hub, interval: float
    ) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be greater than 0. Currently, interval is {interval}")
        self.sessions, self.rasa, self.hub, self.interval = sessions, rasa, hub, interval
        self._queue_state: tuple[Any, ...] = ()
        self.ticks = 0

    async def run(self) -> None:
        """Polls until cancelled; errors are logged and the next tick tries again. A failure that
        repeats (a database down for a while) is logged with its traceback once, then one line
        each tick until a tick works again."""
        failing: str | None = None
        while True:
            try:
                await self.tick()
            except Exception as error:  # noqa: BLE001 - the console keeps polling through outages
                what = f"{type(error).__name__}: {error}".splitlines()[0]
                if what != failing:
                    log.exception("console poll failed")
                else:
                    log.warning("console poll failed again: %s", what)
                failing = what
            else:
                if failing is not None:
                    log.info("console polling works again")
                failing = None
            await asyncio.sleep(self.interval)

    async def tick(self) -> None:
        """One round: sync every watched conversation, then announce queue changes (only on the
        replica that leads the polling, when several share the app database)."""
        if not await asyncio.to_thread(self.hub.leads_polling):
            self.ticks += 1
            return
        watched, state = await asyncio.to_thread(self._watched)
        results = await asyncio.gather(*(self._sync(w) for w in watched))
        if any(results) or state != self._queue_state:
            self._queue_state = state
            self.hub.publish(queue_event())
        self.ticks += 1

    def _watched(self) -> tuple[list[_Watched], tuple[Any, ...]]:
        with self.sessions() as session:
            rows = (
                session.scalars(select(Conversation).where(Conversation.status.in_(WATCHED)))
                .unique()
                .all()
            )
            state = tuple(
                sorted((r.id, r.status, r.assignee_id, r.priority, r.handoffs) for r in rows)
            )
            return [_Watched(r.id, r.session_id, r.synced_until or 0.0) for r in rows], state

    async def _sync(self, watched: _Watched) -> bool:
        try:
            tracker = await self.rasa.tracker(watched.session_id)
        except RasaUnavailable as error:
            log.warning("cannot read conversation %s: %s", watched.session_id, error)
            return False
        view = read_tracker(tracker, watched.synced_until)
        if not view.messages and view.synced_until == watched.synced_until:
            return False
        events = await asyncio.to_thread(self._store, watched.id, view)
        for event in events:
            self.hub.publish(event)
        return bool(events)

    def _store(self, conversation_id: int, view: TrackerView) -> list[ConsoleEvent]:
        with self.sessions() as session, session.begin():
            lines = store_sync(session, conversation_id, view)
            return [message_event(conversation_id, m) for m in lines]
