"""Copies a conversation's messages from Rasa's tracker into the app database: the shopper's
(with intent and sentiment) and the bot's (with the sources it cited). Agents' messages and
notices are stored when the console sends them, so their echoes in the tracker are skipped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.handoff.models import Message, Sender
from bot.messages import BotEvent, Card, SourceLink, UserEvent, read_events
from bot.sentiment import compound

# Cards the console itself sends; the transcript holds them as activities already.
CONSOLE_CARDS = {"agent_joined", "agent_left", "rating_request"}


@dataclass(frozen=True)
class TrackerView:
    """What the console needs from a tracker.

    Attributes:
        messages: New transcript lines, oldest first.
        synced_until: Timestamp of the newest event read.
        email: The shopper's e-mail once an order verified it.
        paused: Whether the bot is paused.
        cards: The card each of ``messages`` carried (None for plain lines), same order.
    """

    messages: list[Message]
    synced_until: float
    email: str | None
    paused: bool


def source_links(card: Card) -> list[SourceLink]:
    """The sources a ``sources`` card names, as the transcript shows them (none for others)."""
    if card["type"] != "sources":
        return []
    return [{"title": s["title"] or s["id"] or "", "url": s["url"]} for s in card["sources"]]


def _when(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


def _user(event: UserEvent) -> Message:
    return Message(
        sender=Sender.CONTACT.value,
        text=event.text,
        intent=event.intent,
        confidence=event.confidence,
        sentiment=compound(event.text),
        created_at=_when(event.timestamp),
    )


def read_tracker(tracker: Mapping[str, Any], after: float) -> TrackerView:
    """The messages of ``tracker`` newer than the timestamp ``after``.

    Args:
        tracker: Rasa's tracker JSON.
        after: Timestamp of the newest event already copied.
    """
    messages: list[Message] = []
    newest = after
    for event in read_events(tracker.get("events")):
        if event.timestamp <= after:
            continue
        newest = max(newest, event.timestamp)
        if isinstance(event, UserEvent):
            messages.append(_user(event))
        elif isinstance(event, BotEvent):
            if event.metadata.get("console_message_id"):
                continue
            card = event.card
            if card and card["type"] in CONSOLE_CARDS:
                continue
            if card and card["type"] == "sources":
                last_bot = next(
                    (m for m in reversed(messages) if m.sender == Sender.BOT.value), None
                )
                if last_bot is not None:
                    last_bot.sources = [dict(link) for link in source_links(card)]
                    continue
            text = event.text or (f"[{card['type']} card]" if card else "")
            if text:
                messages.append(
                    Message(
                        sender=Sender.BOT.value,
                        text=text,
                        sources=[dict(link) for link in source_links(card)] if card else None,
                        card=dict(card) if card else None,
                        created_at=_when(event.timestamp),
                    )
                )
    slots = tracker.get("slots") or {}
    email = slots.get("email") if slots.get("verified_order") else None
    return TrackerView(messages, newest, email, bool(tracker.get("paused")))
