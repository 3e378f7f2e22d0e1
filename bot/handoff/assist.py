"""Help for the agent who takes a conversation over: a summary of what happened, the shopper's
recent orders, and a reply suggested from the knowledge base (extractive: the best passage)."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.handoff.models import Conversation, Message, Sender
from bot.handoff.queue import PRIORITY_NAMES
from bot.intent_labels import INTENT_LABELS
from bot.knowledge.retrieve import Retriever
from bot.sentiment import mood

log = logging.getLogger(__name__)
REASONS = {
    "asked": "the shopper asked for a person",
    "negative_sentiment": "the shopper was upset",
    "repeated_fallback": "the bot did not understand twice in a row",
    "refund_over_limit": "a refund above the limit needs a person",
}
NOT_A_QUESTION = {
    "contact_human_agent",
    "contact_customer_service",
    "complaint",
    "greet",
    "thank",
    "goodbye",
    "affirm",
    "deny",
    "bot_challenge",
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Summary:
    """An automatic summary of a conversation."""

    text: str
    reason: str
    priority: str
    topics: list[str]
    mood: str
    sentiment: float | None
    shopper_messages: int
    orders: list[dict[str, Any]] = field(default_factory=list)


def summarise(
    conversation: Conversation,
    messages: Sequence[Message],
    orders: list[dict[str, Any]] | None = None,
) -> Summary:
    """Summarises the transcript: why it came to people, what was asked, the shopper's mood.

    Args:
        conversation: The conversation.
        messages: Its transcript, oldest first.
        orders: The shopper's recent orders (when the e-mail is verified).
    """
    said = [m for m in messages if m.sender == Sender.CONTACT.value and m.text.strip()]
    counts = Counter(m.intent for m in said if m.intent and m.intent in INTENT_LABELS)
    topics = [INTENT_LABELS[name] for name, _ in counts.most_common(4)]
    scores = [m.sentiment for m in said if m.sentiment is not None]
    average = sum(scores) / len(scores) if scores else None
    reason = REASONS.get(conversation.reason, conversation.reason)
    parts = [f"Handed over because {reason}."]
    if said:
        parts.append(f"First message: \u201c{_clip(said[0].text)}\u201d.")
    if topics:
        parts.append(f"Topics: {', '.join(topics)}.")
    if len(said) > 1:
        parts.append(f"Latest: \u201c{_clip(said[-1].text)}\u201d.")
    feeling = mood(average) if average is not None else "unknown"
    parts.append(f"Mood: {feeling}" + (f" ({average:+.2f})." if average is not None else "."))
    if conversation.contact_email:
        parts.append(
            f"Verified e-mail: {conversation.contact_email}, {len(orders or [])} recent order(s)."
        )
    return Summary(
        " ".join(parts),
        reason,
        PRIORITY_NAMES.get(conversation.priority, "normal"),
        topics,
        feeling,
        average,
        len(said),
        orders or [],
    )


def recent_orders(email: str | None, limit: int = 5) -> list[dict[str, Any]]:
    """The shopper's newest orders from the shop database ([] without an e-mail or on errors)."""
    if not email:
        return []
    from bot.commerce.shared import order_service

    try:
        found = order_service().recent_orders(email, limit=limit)
    except Exception:
        log.exception("could not read the recent orders of a shopper")
        return []
    return [
        {
            "order_id": o.order_id,
            "status": str(o.status),
            "placed_at": o.placed_at.isoformat(),
            "total": f"{o.total:.2f}",
            "currency": o.currency,
            "items": o.item_count,
        }
        for o in found
    ]


@dataclass(frozen=True)
class Suggestion:
    """A reply the agent may edit and send, with the passage it comes from."""

    text: str
    source_title: str | None = None
    source_url: str | None = None
    confidence: float | None = None


def suggest_reply(
    messages: Sequence[Message], agent_name: str, retriever: Retriever | None = None
) -> Suggestion:
    """Drafts a reply to the shopper's latest messages from the best knowledge-base passage.

    Args:
        messages: The transcript, oldest first.
        agent_name: The agent's name, for the greeting.
        retriever: The retriever (default: the process-wide one, loaded on first use).
    """
    shopper = [m for m in messages if m.sender == Sender.CONTACT.value and m.text.strip()]
    # "I want a person" says nothing about the question; small talk neither.
    topical = [m for m in shopper if m.intent not in NOT_A_QUESTION]
    said = [m.text for m in (topical or shopper)]
    greeting = f"Hi, I'm {agent_name.split()[0]} from the Fernhill Goods team."
    if not said:
        return Suggestion(f"{greeting} How can I help?")
    if retriever is None:
        from bot.knowledge.service import get_holder

        retriever = get_holder().get()
    query = " ".join(said[-2:])[-500:]
    results = retriever.retrieve(query, k=1)
    if not results:
        return Suggestion(
            f"{greeting} I've read the conversation so far. Let me look into it for you."
        )
    best = results[0]
    sentences = SENTENCE_END.split(" ".join(best.passage.text.split()))
    return Suggestion(
        f"{greeting} {' '.join(sentences[:2])}",
        best.passage.title,
        best.passage.url,
        round(best.confidence, 3),
    )
