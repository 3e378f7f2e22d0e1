"""Messages the NLU finds unclear: many are knowledge questions phrased in a way the intent
classifier has not seen ("is the pan ok on induction", "what if nobody is home"). When the
knowledge base clearly holds the answer, the assistant answers; otherwise it asks what the
shopper meant (Rasa's two-stage fallback).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from bot.conversation.knowledge_answers import contextual_query
from bot.conversation.message_checks import find_problem
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.retrieve import Retriever
from bot.messages import ActionEvent, UserEvent, read_events

log = logging.getLogger(__name__)

ANSWER_ACTION = "action_answer_or_clarify"
CLARIFY_ACTION = "action_two_stage_fallback"


def knowledge_can_answer(
    message: str,
    previous: str | None = None,
    retriever: Retriever | None = None,
    min_confidence: float | None = None,
    product: str | None = None,
) -> bool:
    """Whether an unclear ``message`` should be answered from the knowledge base.

    Args:
        message: The shopper's message.
        previous: The shopper's previous message (for follow-ups such as "and for express?").
        retriever: The retriever to ask (default: the process-wide one).
        min_confidence: Confidence the best passage needs (default: the
            ``unclear_message_min_confidence`` setting), stricter than the knowledge action's own
            threshold because the message may not be a question about the shop at all.
        product: The name of the product in focus, for a message that refers back to it.
    """
    if find_problem(message) is not None:  # empty, emoji-only, too long, not English
        return False
    if min_confidence is None:
        from bot.settings import get_settings

        min_confidence = get_settings().unclear_message_min_confidence
    try:
        if retriever is None:
            from bot.knowledge.service import get_holder

            retriever = get_holder().get()
        found = retriever.retrieve(contextual_query(message, previous, product), k=1)
    except KnowledgeError as error:
        log.error("knowledge index unavailable for an unclear message: %s", error)
        return False
    return bool(found) and found[0].confidence >= min_confidence


def previous_unclear_was_answered(events: Iterable[Mapping[str, Any]]) -> bool:
    """True when the shopper's previous message was unclear to the NLU but answered from the
    knowledge base: two unclear messages in a row then do not mean the assistant is lost."""
    turns: list[list[str]] = []  # actions run after each user message
    for event in read_events(events):
        if isinstance(event, UserEvent):
            turns.append([])
        elif isinstance(event, ActionEvent) and turns:
            turns[-1].append(event.name)
    if len(turns) < 2:
        return False
    previous = turns[-2]
    return ANSWER_ACTION in previous and CLARIFY_ACTION not in previous
