"""A transcript line as the agents' console receives it, and the events of its live stream.

One shape (:class:`StoredMessage`, made by :func:`stored_message`) serves the transcript of
``GET /api/console/conversations/{id}``, the reply an agent's message gets, and the ``message``
event of the live stream (``/api/console/events``); ``bot/web/shared/messages.js`` mirrors it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from typing_extensions import TypedDict

from bot.messages.cards import Card


class SourceLink(TypedDict):
    """A source shown under a bot line of the transcript."""

    title: str
    url: str | None


class StoredMessage(TypedDict):
    """One line of a transcript.

    ``sender`` is ``contact``, ``bot``, ``agent`` or ``system``; ``agent`` names the agent who
    wrote it; ``intent``, ``confidence`` and ``sentiment`` are the shopper's; ``card`` is the
    card a bot line carried, when the console read it from Rasa just now (transcripts store its
    one-line description as ``text``).
    """

    id: int
    sender: str
    text: str
    agent: str | None
    intent: str | None
    confidence: float | None
    sentiment: float | None
    sources: list[SourceLink] | None
    created_at: str  # ISO 8601
    card: Card | None


def stored_message(
    *,
    id: int,  # noqa: A002 - the wire name
    sender: str,
    text: str,
    created_at: datetime,
    agent: str | None = None,
    intent: str | None = None,
    confidence: float | None = None,
    sentiment: float | None = None,
    sources: list[SourceLink] | None = None,
    card: Card | None = None,
) -> StoredMessage:
    """The console's shape of one transcript line."""
    return {
        "id": id,
        "sender": sender,
        "text": text,
        "agent": agent,
        "intent": intent,
        "confidence": confidence,
        "sentiment": sentiment,
        "sources": sources,
        "created_at": created_at.isoformat(),
        "card": card,
    }


class QueueEvent(TypedDict):
    """The queue changed: browsers reload their list."""

    type: Literal["queue"]


class ConversationEvent(TypedDict):
    """A conversation changed: the browser showing it reloads it."""

    type: Literal["conversation"]
    conversation_id: int


class MessageEvent(TypedDict):
    """A new transcript line of a conversation."""

    type: Literal["message"]
    conversation_id: int
    message: StoredMessage


ConsoleEvent = QueueEvent | ConversationEvent | MessageEvent


def queue_event() -> QueueEvent:
    """The live-stream event saying the queue changed."""
    return {"type": "queue"}


def conversation_event(conversation_id: int) -> ConversationEvent:
    """The live-stream event saying a conversation changed."""
    return {"type": "conversation", "conversation_id": conversation_id}


def message_event(conversation_id: int, message: StoredMessage) -> MessageEvent:
    """The live-stream event of a new transcript line."""
    return {"type": "message", "conversation_id": conversation_id, "message": message}
