"""A typed reader of Rasa's tracker events and parse data (the dicts Rasa sends to the action
server and answers on ``GET /conversations/{id}/tracker``).

Only the fields the project uses are read; anything missing or malformed reads as empty
(``""``, ``None``, ``0.0``) rather than failing, because a tracker is outside input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from typing_extensions import TypedDict

from bot.messages.cards import Card, read_card


class IntentScore(TypedDict):
    """One entry of an intent ranking."""

    name: str
    confidence: float


@dataclass(frozen=True)
class ParsedMessage:
    """What the NLU made of a shopper's message (a tracker's ``latest_message``)."""

    text: str = ""
    intent: str | None = None
    confidence: float | None = None
    ranking: list[IntentScore] = field(default_factory=list)


@dataclass(frozen=True)
class UserEvent:
    """A shopper's message."""

    timestamp: float
    text: str
    intent: str | None
    confidence: float | None
    metadata: dict[str, Any]


@dataclass(frozen=True)
class BotEvent:
    """A message to the shopper: text, a card, or both."""

    timestamp: float
    text: str
    card: Card | None
    metadata: dict[str, Any]


@dataclass(frozen=True)
class ActionEvent:
    """An action that ran."""

    timestamp: float
    name: str


@dataclass(frozen=True)
class SlotEvent:
    """A slot that was set."""

    timestamp: float
    name: str
    value: Any


@dataclass(frozen=True)
class OtherEvent:
    """Any other event (``session_started``, ``pause``, ``resume``, ``active_loop``…)."""

    timestamp: float
    kind: str


TrackerEvent = UserEvent | BotEvent | ActionEvent | SlotEvent | OtherEvent


def _float(value: object) -> float | None:
    try:
        return float(value) if value is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def read_parse(parse_data: Mapping[str, Any] | None) -> ParsedMessage:
    """The text, intent, confidence and intent ranking of a message's parse data."""
    parsed = _mapping(parse_data)
    intent = _mapping(parsed.get("intent"))
    ranking: list[IntentScore] = [
        {"name": str(entry["name"]), "confidence": _float(entry.get("confidence")) or 0.0}
        for entry in parsed.get("intent_ranking") or []
        if isinstance(entry, Mapping) and entry.get("name")
    ]
    name = intent.get("name")
    return ParsedMessage(
        text=_text(parsed.get("text")),
        intent=str(name) if name else None,
        confidence=_float(intent.get("confidence")),
        ranking=ranking,
    )


def read_event(raw: Mapping[str, Any]) -> TrackerEvent:
    """The typed view of one tracker event."""
    kind = _text(raw.get("event"))
    stamp = _float(raw.get("timestamp")) or 0.0
    if kind == "user":
        parsed = read_parse(raw.get("parse_data"))
        return UserEvent(
            stamp,
            _text(raw.get("text")),
            parsed.intent,
            parsed.confidence,
            dict(_mapping(raw.get("metadata"))),
        )
    if kind == "bot":
        return BotEvent(
            stamp, _text(raw.get("text")), read_card(raw), dict(_mapping(raw.get("metadata")))
        )
    if kind == "action":
        return ActionEvent(stamp, _text(raw.get("name")))
    if kind == "slot":
        return SlotEvent(stamp, _text(raw.get("name")), raw.get("value"))
    return OtherEvent(stamp, kind)


def read_events(raw: Iterable[Mapping[str, Any]] | None) -> list[TrackerEvent]:
    """The typed views of a tracker's events, in order (anything not a dict is skipped)."""
    return [read_event(event) for event in raw or [] if isinstance(event, Mapping)]
