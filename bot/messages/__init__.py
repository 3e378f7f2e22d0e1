"""The messages that travel between the action server, Rasa and the front ends, typed in one place.

- :mod:`bot.messages.cards`: every card the assistant sends (``products``, ``sources``,
  ``order_status``, the handoff notices ``agent_joined`` / ``agent_left`` and ``rating_request``),
  their builders, and the envelope a card travels in (one builder, one reader).
- :mod:`bot.messages.tracker`: a typed reader of Rasa's tracker events and parse data.
- :mod:`bot.messages.replies`: :class:`Reply`, one message for the shopper as the conversation
  and handoff logic make it and the actions send it (text, buttons, cards, slot changes).
- :mod:`bot.messages.console`: a transcript line as the agents' console receives it, and the
  events of the console's live stream.
- :mod:`bot.messages.notices`: the short notices sent when a part of the assistant failed.

This package sits at the bottom layer next to :mod:`bot.settings`: it imports nothing else of the
project, so every layer (actions, conversation, handoff, web) can use it. The web front ends read
the same shapes through ``bot/web/shared/messages.js``.
"""

from __future__ import annotations

from bot.messages.cards import (
    CARD_TYPES,
    AgentJoinedCard,
    AgentLeftCard,
    AnswerInfo,
    Card,
    Envelope,
    OrderItem,
    OrderStatusCard,
    ProductItem,
    ProductsCard,
    RatingRequestCard,
    SourceRef,
    SourcesCard,
    TrackingEvent,
    agent_joined_card,
    agent_left_card,
    answer_info,
    bot_card_event,
    envelope,
    order_item,
    order_status_card,
    product_item,
    products_card,
    rating_request_card,
    read_card,
    source_ref,
    sources_card,
    tracking_event,
)
from bot.messages.console import (
    ConsoleEvent,
    ConversationEvent,
    MessageEvent,
    QueueEvent,
    SourceLink,
    StoredMessage,
    conversation_event,
    message_event,
    queue_event,
    stored_message,
)
from bot.messages.notices import ACTION_FAILED_APOLOGY
from bot.messages.tracker import (
    ActionEvent,
    BotEvent,
    IntentScore,
    OtherEvent,
    ParsedMessage,
    SlotEvent,
    TrackerEvent,
    UserEvent,
    read_event,
    read_events,
    read_parse,
)

__all__ = [
    "ACTION_FAILED_APOLOGY",
    "CARD_TYPES",
    "ActionEvent",
    "AgentJoinedCard",
    "AgentLeftCard",
    "AnswerInfo",
    "BotEvent",
    "Card",
    "ConsoleEvent",
    "ConversationEvent",
    "Envelope",
    "IntentScore",
    "MessageEvent",
    "OrderItem",
    "OrderStatusCard",
    "OtherEvent",
    "ParsedMessage",
    "ProductItem",
    "ProductsCard",
    "QueueEvent",
    "RatingRequestCard",
    "SlotEvent",
    "SourceLink",
    "SourceRef",
    "SourcesCard",
    "StoredMessage",
    "TrackerEvent",
    "TrackingEvent",
    "UserEvent",
    "agent_joined_card",
    "agent_left_card",
    "answer_info",
    "bot_card_event",
    "conversation_event",
    "envelope",
    "message_event",
    "order_item",
    "order_status_card",
    "product_item",
    "products_card",
    "queue_event",
    "rating_request_card",
    "read_card",
    "read_event",
    "read_events",
    "read_parse",
    "source_ref",
    "sources_card",
    "stored_message",
    "tracking_event",
]
