"""Folding one conversation's tracker events into its tally (pure: no database, no Rasa).

The names below are the assistant's actions and intents as the domain declares them; the
measure definitions in ``docs/insights.md`` say what each count means.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.messages import read_card

KNOWLEDGE_ACTION = "action_answer_knowledge"
DID_YOU_MEAN_ACTION = "action_default_ask_affirmation"
ORDER_TASK_ACTION = "action_run_order_task"
ORDER_TASK_SLOT = "order_task"
FALLBACK_INTENT = "nlu_fallback"
PRODUCT_ENTITY = "product"
# The widget's "Ask about this" on a products card sends its message with this metadata.
CLICK_METADATA = "recommendation_click"
LISTEN_ACTION = "action_listen"
UNKNOWN_CHANNEL = "unknown"
# A shopper's message at or below this VADER compound score counts as upset (the threshold the
# assistant itself uses to answer with empathy).
UPSET_AT_OR_BELOW = -0.3
# order_task slot value -> which order-task counter its run adds to
ORDER_TASK_COUNTERS = {
    "track_order": "orders_tracked",
    "cancel_order": "orders_cancelled",
    "return_item": "returns_opened",
}

Scorer = Callable[[str], float]


def utc(timestamp: float) -> datetime:
    """The UTC time of a Rasa event timestamp (seconds since the epoch)."""
    return datetime.fromtimestamp(timestamp, UTC)


@dataclass
class Tally:
    """What one conversation did so far; :meth:`add` folds in its next event."""

    session_id: str
    channel: str = UNKNOWN_CHANNEL
    started_at: datetime | None = None
    last_event_at: datetime | None = None
    user_messages: int = 0
    bot_messages: int = 0
    fallbacks: int = 0
    did_you_mean: int = 0
    answers_generated: int = 0
    answers_passage: int = 0
    answers_refused: int = 0
    handed_over: bool = False
    sentiment_sum: float = 0.0
    sentiment_count: int = 0
    upset: bool = False
    orders_tracked: int = 0
    orders_cancelled: int = 0
    returns_opened: int = 0
    intents: Counter[str] = field(default_factory=Counter)
    products: Counter[str] = field(default_factory=Counter)
    clicks: Counter[str] = field(default_factory=Counter)  # recommended products asked about
    # The action whose bot messages come next, whether its knowledge answer was classified, and
    # the order task the shopper chose: what the fold needs across batches of events.
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> str:
        """The UTC day the conversation started ("YYYY-MM-DD")."""
        return (self.started_at or datetime.fromtimestamp(0, UTC)).date().isoformat()

    def add(self, event: Mapping[str, Any], score: Scorer) -> None:
        """Folds one tracker event (the dict Rasa stores) into the tally.

        Args:
            event: The event as stored in the tracker store's ``data`` column.
            score: The sentiment scorer of a shopper's message (VADER compound, -1 to 1).
        """
        stamp = event.get("timestamp")
        if isinstance(stamp, int | float):
            at = utc(float(stamp))
            self.started_at = at if self.started_at is None else min(self.started_at, at)
            self.last_event_at = at if self.last_event_at is None else max(self.last_event_at, at)
        kind = event.get("event")
        if kind == "user":
            self._add_user(event, score)
        elif kind == "bot":
            self._add_bot(event)
        elif kind == "action":
            self._add_action(str(event.get("name") or ""))
        elif kind == "slot" and event.get("name") == ORDER_TASK_SLOT:
            value = event.get("value")
            self.state["order_task"] = value if isinstance(value, str) else None
        elif kind == "pause":
            self.handed_over = True

    def _add_user(self, event: Mapping[str, Any], score: Scorer) -> None:
        self.user_messages += 1
        self.state["action"] = None
        channel = event.get("input_channel")
        if self.channel == UNKNOWN_CHANNEL and isinstance(channel, str) and channel:
            self.channel = channel[:64]
        parse = event.get("parse_data")
        parse = parse if isinstance(parse, Mapping) else {}
        intent = parse.get("intent")
        name = intent.get("name") if isinstance(intent, Mapping) else None
        if isinstance(name, str) and name:
            self.intents[name] += 1
            if name == FALLBACK_INTENT:
                self.fallbacks += 1
        for entity in parse.get("entities") or []:
            if isinstance(entity, Mapping) and entity.get("entity") == PRODUCT_ENTITY:
                value = " ".join(str(entity.get("value") or "").lower().split())
                if value:
                    self.products[value[:120]] += 1
        metadata = event.get("metadata")
        click = metadata.get(CLICK_METADATA) if isinstance(metadata, Mapping) else None
        if isinstance(click, Mapping) and isinstance(click.get("sku"), str) and click["sku"]:
            self.clicks[click["sku"][:120]] += 1
        text = event.get("text")
        # Button payloads ("/track_order") are clicks, not words with a mood.
        if isinstance(text, str) and text.strip() and not text.startswith("/"):
            compound = score(text)
            self.sentiment_sum += compound
            self.sentiment_count += 1
            self.upset = self.upset or compound <= UPSET_AT_OR_BELOW

    def _add_bot(self, event: Mapping[str, Any]) -> None:
        self.bot_messages += 1
        if self.state.get("action") != KNOWLEDGE_ACTION or self.state.get("answer_counted"):
            return
        # The first message of a knowledge answer says how it was made.
        self.state["answer_counted"] = True
        card = read_card(event)
        if card is None or card["type"] != "sources":
            self.answers_refused += 1
            return
        made = card.get("answer")
        if made is not None and made["generated"] and not made["fallback"]:
            self.answers_generated += 1
        else:
            self.answers_passage += 1

    def _add_action(self, name: str) -> None:
        if name == LISTEN_ACTION:
            self.state["action"] = None
            return
        self.state["action"] = name
        self.state["answer_counted"] = False
        if name == DID_YOU_MEAN_ACTION:
            self.did_you_mean += 1
        elif name == ORDER_TASK_ACTION:
            counter = ORDER_TASK_COUNTERS.get(str(self.state.get("order_task")))
            if counter is not None:
                setattr(self, counter, getattr(self, counter) + 1)
