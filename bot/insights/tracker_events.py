"""Reading Rasa's SQL tracker store: the ``events`` table Rasa writes (one row per event, in
``id`` order), described here as a plain table so that Rasa need not be imported."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    Column,
    Connection,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)
from typing_extensions import TypedDict

from bot.insights.tally import utc
from bot.messages import read_card
from bot.settings import setting_default

# Where Rasa's default SQL tracker store (endpoints.yml) keeps its events.
DEFAULT_TRACKER_URL: str = setting_default("tracker_store_url")
tracker_metadata = MetaData()
# The columns of rasa.core.tracker_store.SQLTrackerStore.SQLEvent (rasa 3.6).
events_table = Table(
    "events",
    tracker_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass(frozen=True)
class StoredEvent:
    """One event of the tracker store."""

    id: int
    sender_id: str
    data: dict[str, Any]


def _decode(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def events_after(connection: Connection, after_id: int, limit: int) -> list[StoredEvent]:
    """Up to ``limit`` events with an id above ``after_id``, oldest first.

    Raises:
        ValueError: ``limit`` is not positive.
    """
    if limit <= 0:
        raise ValueError(f"limit must be greater than 0. Currently, limit is {limit}")
    rows = connection.execute(
        select(events_table.c.id, events_table.c.sender_id, events_table.c.data)
        .where(events_table.c.id > after_id)
        .order_by(events_table.c.id)
        .limit(limit)
    )
    return [StoredEvent(int(id_), str(sender), _decode(data)) for id_, sender, data in rows]


def last_event_id(connection: Connection) -> int:
    """The id of the newest event in the tracker store (0 when it holds none)."""
    return int(
        connection.execute(select(func.coalesce(func.max(events_table.c.id), 0))).scalar_one()
    )


class TranscriptLine(TypedDict):
    """One message of a conversation as the tracker store holds it."""

    sender: Literal["contact", "bot"]
    text: str
    at: str


def transcript(connection: Connection, sender_id: str, limit: int = 500) -> list[TranscriptLine]:
    """The shopper's and the assistant's messages of one conversation, oldest first (the
    messages of a card without text read as the card's type in brackets)."""
    rows = connection.execute(
        select(events_table.c.data)
        .where(events_table.c.sender_id == sender_id, events_table.c.type_name.in_(["user", "bot"]))
        .order_by(events_table.c.id)
        .limit(limit)
    )
    lines: list[TranscriptLine] = []
    for (raw,) in rows:
        event = _decode(raw)
        text = event.get("text") if isinstance(event.get("text"), str) else ""
        card = read_card(event)
        if not text and card is not None:
            text = f"[{card['type']}]"
        stamp = event.get("timestamp")
        at = utc(float(stamp)).isoformat() if isinstance(stamp, int | float) else ""
        sender: Literal["contact", "bot"] = "contact" if event.get("event") == "user" else "bot"
        lines.append({"sender": sender, "text": str(text), "at": at})
    return lines
