"""Copies a conversation's messages from Rasa's tracker into the app database: the shopper's
(with intent and sentiment) and the bot's (with the sources it cited). Agents' messages and
notices are stored when the console sends them, so their echoes in the tracker are skipped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.handoff.models import Message, Sender
from bot.sentiment import compound

# Cards the console itself sends; the transcript holds them as activities already.
CONSOLE_CARDS = {"agent_joined", "agent_left", "rating_request"}


@dataclass(frozen=True)
class TrackerView:
    """What the console needs from a tracker."""

    messages: list[Message]
    synced_until: float
    email: str | None
    paused: bool


def _card(event: dict[str, Any]) -> dict[str, Any] | None:
    data = event.get("data") or {}
    custom = data.get("custom") if isinstance(data, dict) else None
    card = custom.get("data") if isinstance(custom, dict) else None
    return card if isinstance(card, dict) and isinstance(card.get("type"), str) else None


def _sources(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"title": str(s.get("title") or s.get("id") or ""), "url": s.get("url")}
        for s in card.get("sources") or []
        if isinstance(s, dict)
    ]


def _when(event: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(float(event.get("timestamp") or 0), UTC)


def _user(event: dict[str, Any]) -> Message:
    text = str(event.get("text") or "")
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return Message(
        sender=Sender.CONTACT.value,
        text=text,
        intent=intent.get("name"),
        confidence=intent.get("confidence"),
        sentiment=compound(text),
        created_at=_when(event),
    )


def read_tracker(tracker: dict[str, Any], after: float) -> TrackerView:
    """The messages of ``tracker`` newer than the timestamp ``after``.

    Args:
        tracker: Rasa's tracker JSON.
        after: Timestamp of the newest event already copied.
    """
    messages: list[Message] = []
    newest = after
    for event in tracker.get("events") or []:
        stamp = float(event.get("timestamp") or 0)
        if stamp <= after:
            continue
        newest = max(newest, stamp)
        kind = event.get("event")
        if kind == "user":
            messages.append(_user(event))
        elif kind == "bot":
            if (event.get("metadata") or {}).get("console_message_id"):
                continue
            card = _card(event)
            if card and card["type"] in CONSOLE_CARDS:
                continue
            if card and card["type"] == "sources":
                last_bot = next(
                    (m for m in reversed(messages) if m.sender == Sender.BOT.value), None
                )
                if last_bot is not None:
                    last_bot.sources = _sources(card)
                    continue
            text = event.get("text") or (f"[{card['type']} card]" if card else "")
            if text:
                messages.append(
                    Message(
                        sender=Sender.BOT.value,
                        text=str(text),
                        sources=_sources(card) if card else None,
                        created_at=_when(event),
                    )
                )
    slots = tracker.get("slots") or {}
    email = slots.get("email") if slots.get("verified_order") else None
    return TrackerView(messages, newest, email, bool(tracker.get("paused")))
