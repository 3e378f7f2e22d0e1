"""A reply as the conversation and handoff logic make it and the Rasa actions send it: text,
buttons, cards and the conversation state it changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.messages.cards import Card


@dataclass(frozen=True)
class Button:
    """A quick-reply button: ``payload`` is sent back as if the shopper typed it."""

    title: str
    payload: str


@dataclass
class Reply:
    """One message for the shopper plus the conversation state it changes.

    Attributes:
        text: What the shopper reads.
        buttons: Quick replies offered with the text.
        custom: A structured card for rich channels (``order_status``, ``sources``…; every
            type is in :mod:`bot.messages.cards`), sent with the text in its envelope.
        slots: Slot values to set after the message (``None`` clears a slot).
        response: Name of a domain response to send instead of ``text``.
        followup: Name of an action (e.g. a form) Rasa should run next.
        extra_cards: Further cards, each sent as a message of its own after the text (the
            ``products`` card under a knowledge answer about products).
    """

    text: str = ""
    buttons: list[Button] = field(default_factory=list)
    custom: Card | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    response: str | None = None
    followup: str | None = None
    extra_cards: list[Card] = field(default_factory=list)
