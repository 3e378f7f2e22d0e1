"""Answers to knowledge questions (products, delivery, refund policy, payments…).

The shopper's question goes to the retriever (with the previous question in front of a
follow-up like "and for express?"); the generator writes a short reply from the passages, the
grounding check guards it (see :mod:`bot.generation.answering`). Every answer carries its
sources: a ``sources`` card for rich channels and, except on the web widget (which shows the
card), a "Sources: …" line. When no passage passes the no-answer threshold, the assistant says
it does not know, offers a person and records the question as a knowledge gap.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.conversation.focus import focused_query
from bot.conversation.product_cards import products_card
from bot.generation.answering import DONT_KNOW, Answer, Answerer, trim
from bot.generation.prompt import PromptContext, Turn
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import Retriever
from bot.messages import (
    BotEvent,
    SourcesCard,
    UserEvent,
    answer_info,
    read_events,
    source_ref,
    sources_card,
)
from bot.messages.replies import Button, Reply

log = logging.getLogger(__name__)

__all__ = [
    "HUMAN_BUTTON",
    "ConversationFacts",
    "answer_question",
    "contextual_query",
    "dont_know",
    "is_follow_up",
    "source_card",
    "trim",
]

HUMAN_BUTTON = Button("Talk to a person", "/contact_human_agent")
WIDGET_CHANNELS = frozenset({"socketio"})  # they render the sources card, so no text line
UPSET_BELOW = -0.3  # VADER compound at or below which a message counts as upset
COMPLAINT = re.compile(
    r"\b(complain\w*|unacceptable|ridiculous|terrible|awful|worst|useless|annoy\w*|angry|furious|"
    r"frustrat\w*|disappoint\w*|fed up|sick of|waste of|still (?:not|no|waiting|hasn'?t|haven'?t)|"
    r"never (?:arrived|came|got)|no one (?:answers|replies|helps))\b",
    re.I,
)
_FOLLOW_UP = re.compile(
    r"^\s*(and|or|also|plus|but|what about|how about|what if|same for|and what about|"
    r"and how about|and for|what of|then)\b",
    re.IGNORECASE,
)


@dataclass
class ConversationFacts:
    """What the action knows about the conversation, read from the tracker.

    Attributes:
        events: The tracker's events (dicts as Rasa sends them), the latest message last.
        channel: The latest input channel (``socketio``, ``rest``, ``telegram``…).
        sender_id: The conversation id.
        name: The shopper's first name, when known.
    """

    events: list[dict[str, Any]] = field(default_factory=list)
    channel: str | None = None
    sender_id: str | None = None
    name: str | None = None

    def user_texts(self) -> list[str]:
        """The shopper's messages, oldest first."""
        return [e.text for e in read_events(self.events) if isinstance(e, UserEvent)]

    def history(self) -> list[Turn]:
        """Messages before the latest one, oldest first."""
        turns = [
            Turn("user" if isinstance(e, UserEvent) else "assistant", e.text)
            for e in read_events(self.events)
            if isinstance(e, UserEvent | BotEvent) and e.text.strip()
        ]
        if turns and turns[-1].role == "user":
            turns = turns[:-1]
        return turns


def verified_first_name(order_id: str | None, email: str | None) -> str | None:
    """The first name on an order whose e-mail was checked in this conversation (None if unknown)."""
    if not order_id or not email:
        return None
    try:
        from bot.commerce.shared import order_service

        return order_service().get_order(order_id, email).customer_first_name or None
    except Exception as error:  # noqa: BLE001 - a name is a courtesy, never a reason to fail
        log.debug("no name for the prompt: %s", error)
        return None


def is_upset(text: str, score: float | None = None) -> bool:
    """True when a message is clearly negative (VADER) or complains."""
    if score is None:
        from bot.sentiment import compound

        score = compound(text)
    return score <= UPSET_BELOW or bool(COMPLAINT.search(text))


def prompt_context(question: str, facts: ConversationFacts | None) -> PromptContext:
    """Mood, upset flag, frustration count, history and name for the prompt."""
    from bot.sentiment import compound, mood

    facts = facts or ConversationFacts()
    score = compound(question)
    texts = facts.user_texts() or [question]
    frustration = sum(1 for text in texts if is_upset(text))
    return PromptContext(
        history=facts.history(),
        mood=mood(score),
        upset=is_upset(question, score),
        name=facts.name,
        frustration=frustration,
    )


def is_follow_up(message: str) -> bool:
    """A short message that leans on the previous one: "and for express?", "what about the UK?"."""
    return len(message.split()) <= 7 and bool(_FOLLOW_UP.match(message))


def contextual_query(message: str, previous: str | None, product: str | None = None) -> str:
    """The text to retrieve for: the message, after the previous question if it follows up, with
    the product in focus in front when it refers back to it (see :mod:`bot.conversation.focus`)."""
    if previous and previous.strip() and is_follow_up(message):
        message = f"{previous.strip()} {message.strip()}"
    return focused_query(message, product)


def source_card(passages: list[Passage], answer: Answer | None = None) -> SourcesCard:
    """The ``sources`` card of a reply (with how the answer was made, when known)."""
    made = (
        answer_info(
            grounded=answer.grounded,
            fallback=answer.fallback,
            generated=answer.generated is not None,
            too_slow=answer.too_slow,
        )
        if answer is not None
        else None
    )
    return sources_card([source_ref(p.id, p.title, p.url) for p in passages], made)


def dont_know() -> Reply:
    """The honest reply when the knowledge base has no answer."""
    return Reply(text=DONT_KNOW, buttons=[HUMAN_BUTTON])


def to_reply(answer: Answer, channel: str | None = None) -> Reply:
    """The :class:`Reply` of an answer: sources as a card, and as a line outside the widget; the
    products it is about as a ``products`` card."""
    buttons = [HUMAN_BUTTON] if answer.offer_human else []
    if not answer.sources:
        return Reply(text=answer.text, buttons=buttons)
    text = answer.text
    if channel not in WIDGET_CHANNELS:
        text += "\n\nSources: " + "; ".join(dict.fromkeys(p.title for p in answer.sources))
    products = (
        products_card(shown_products(answer))
        if answer.kind == "answer" and not answer.refused
        else None
    )
    return Reply(
        text=text,
        buttons=buttons,
        custom=source_card(answer.sources, answer),
        extra_cards=[products] if products else [],
    )


def shown_products(answer: Answer) -> list[Passage]:
    """The product passages worth a card under ``answer``: the best source when it is a
    product, and any other product source the reply names."""
    reply = answer.text.lower()
    return [
        p
        for i, p in enumerate(answer.sources)
        if p.kind == "product" and (i == 0 or (p.title and p.title.lower() in reply))
    ]


def answer_question(
    question: str,
    intent: str = "",
    previous: str | None = None,
    retriever: Retriever | None = None,
    facts: ConversationFacts | None = None,
    on_gap: Callable[[str], None] | None = None,
    product: str | None = None,
) -> Reply:
    """The reply to a knowledge question.

    Args:
        question: The shopper's message.
        intent: The intent Rasa recognised (logged and stored with knowledge gaps).
        previous: The shopper's previous message, used when ``question`` is a follow-up.
        retriever: The retriever to ask (default: the process-wide one, loaded on first use).
        facts: The conversation (history, channel, sender, name).
        on_gap: Records an unanswered question (default: the app database's knowledge gaps).
        product: The name of the product in focus, for a question that refers back to it.
    """
    from bot.generation.service import answer_config, current_generator, record_gap

    query = contextual_query(question, previous, product)
    facts = facts or ConversationFacts()
    try:
        if retriever is None:
            from bot.knowledge.service import get_holder

            retriever = get_holder().get()
        answerer = Answerer(retriever, current_generator(), answer_config())
        gap = on_gap or (lambda q: record_gap(q, facts.sender_id, facts.channel, intent))
        answer = answerer.answer(question, query, prompt_context(question, facts), gap)
    except KnowledgeError as error:
        log.error("knowledge index unavailable: %s", error)
        return Reply(
            text=(
                "I'm sorry, I can't look that up right now. A person from our team can help "
                "you, or try again in a moment."
            ),
            buttons=[HUMAN_BUTTON],
        )
    log.info(
        "knowledge answer (intent %s): kind=%s grounded=%s fallback=%s %.0f ms",
        intent or "-",
        answer.kind,
        answer.grounded,
        answer.fallback,
        answer.latency_ms,
    )
    return to_reply(answer, facts.channel)
