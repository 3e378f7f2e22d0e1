"""Putting a conversation in the people's queue (called by the Rasa actions) and reading the queue.

A conversation that is handed over again (after a hand back or resolve) reuses its row: the
transcript stays in one place and ``handoffs`` counts the times.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from bot.appdata.db import get_app_engine, get_app_sessionmaker
from bot.appdata.migrate import upgrade_app_database
from bot.handoff.models import MAX_DISPLAY_NAME_CHARS, Conversation, Status


class Reason(StrEnum):
    """Why a conversation went to people; each has a default priority."""

    ASKED = "asked"
    NEGATIVE_SENTIMENT = "negative_sentiment"
    FALLBACKS = "repeated_fallback"
    REFUND_OVER_LIMIT = "refund_over_limit"


PRIORITY = {
    Reason.ASKED: 1,
    Reason.FALLBACKS: 1,
    Reason.REFUND_OVER_LIMIT: 2,
    Reason.NEGATIVE_SENTIMENT: 3,
}
PRIORITY_NAMES = {0: "low", 1: "normal", 2: "high", 3: "urgent"}


@dataclass(frozen=True)
class Queued:
    """Where a conversation stands after it was put in the queue."""

    conversation_id: int
    position: int
    reason: Reason


@dataclass(frozen=True)
class Contact:
    """Who the shopper is in their messaging app, as the channel put it on their message
    (``metadata.app`` and ``metadata.display_name``)."""

    app: str | None = None
    display_name: str | None = None

    @classmethod
    def of(cls, metadata: Mapping[str, Any] | None) -> Contact:
        """The contact named in a user message's ``metadata`` (empty values are None)."""
        metadata = metadata or {}

        def text(key: str, limit: int) -> str | None:
            value = metadata.get(key)
            return " ".join(value.split())[:limit] or None if isinstance(value, str) else None

        return cls(text("app", 32), text("display_name", MAX_DISPLAY_NAME_CHARS))


def waiting_queue() -> Select[Conversation]:
    """Open conversations nobody has claimed, most urgent first, then longest waiting."""
    return (
        select(Conversation)
        .where(Conversation.status == Status.OPEN.value, Conversation.assignee_id.is_(None))
        .order_by(Conversation.priority.desc(), Conversation.waiting_since.asc(), Conversation.id)
    )


def enqueue(
    session: Session,
    session_id: str,
    reason: Reason,
    *,
    channel: str | None = None,
    email: str | None = None,
    sentiment: float | None = None,
    metadata: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Queued:
    """Opens (or reopens) the conversation ``session_id`` for people and says its queue position.

    Args:
        session: Open database session; the caller commits.
        session_id: Rasa's sender id.
        reason: Why it goes to people (sets the priority).
        channel: Rasa's input channel of the latest message.
        email: The shopper's verified e-mail, if any.
        sentiment: VADER compound score of the latest message.
        metadata: The latest user message's metadata (the messaging app and the shopper's
            display name, see :class:`Contact`).
        now: The current time (default: now, UTC).
    """
    now = now or datetime.now(UTC)
    row = session.scalar(select(Conversation).where(Conversation.session_id == session_id))
    if row is None:
        row = Conversation(session_id=session_id, created_at=now, handoffs=0, synced_until=0.0)
        session.add(row)
    already_waiting = row.status == Status.OPEN.value and row.waiting_since is not None
    row.status, row.reason, row.updated_at = Status.OPEN.value, reason.value, now
    row.priority = max(PRIORITY[reason], row.priority if already_waiting else 0)
    row.channel = channel or row.channel
    row.contact_email = email or row.contact_email
    row.sentiment = sentiment if sentiment is not None else row.sentiment
    contact = Contact.of(metadata)
    row.app = contact.app or row.app
    row.display_name = contact.display_name or row.display_name
    row.last_contact_at = now  # a handoff follows a message of the shopper
    if not already_waiting:
        row.handoffs = (row.handoffs or 0) + 1
        row.waiting_since, row.assignee_id = now, None
        row.first_response_at, row.resolved_at = None, None
    session.flush()
    ids = list(session.scalars(waiting_queue().with_only_columns(Conversation.id)))
    position = ids.index(row.id) + 1 if row.id in ids else len(ids) + 1
    return Queued(row.id, position, reason)


_lock = threading.Lock()
_sessions: sessionmaker[Session] | None = None


def handoff_sessions() -> sessionmaker[Session]:
    """Sessions of the configured app database (schema created on first use)."""
    global _sessions
    with _lock:
        if _sessions is None:
            engine = get_app_engine()
            upgrade_app_database(engine)
            _sessions = get_app_sessionmaker(engine)
        return _sessions


def use_sessions(sessions: sessionmaker[Session] | None) -> None:
    """Points :func:`handoff_sessions` at another database (tests), or back to the setting."""
    global _sessions
    with _lock:
        _sessions = sessions
