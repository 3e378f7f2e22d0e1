"""Answers to knowledge questions (products, delivery, refund policy, payments…).

The shopper's question goes to the retriever (with the previous question in front of a
follow-up like "and for express?"). Until the reply generator lands, the answer is the best
passage's text, trimmed, with its source as a line of text and as a ``sources`` card. When no
passage passes the no-answer threshold, the assistant says it does not know and offers a
person. It never answers from anything but the passages.
"""

from __future__ import annotations

import logging
import re

from bot.conversation.replies import Button, Reply
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import Retriever

log = logging.getLogger(__name__)

HUMAN_BUTTON = Button("Talk to a person", "/contact_human_agent")
MAX_ANSWER_CHARS = 480
_FOLLOW_UP = re.compile(
    r"^\s*(and|or|also|plus|but|what about|how about|what if|same for|and what about|"
    r"and how about|and for|what of|then)\b", re.IGNORECASE,
)


def is_follow_up(message: str) -> bool:
    """A short message that leans on the previous one: "and for express?", "what about the UK?"."""
    return len(message.split()) <= 7 and bool(_FOLLOW_UP.match(message))


def contextual_query(message: str, previous: str | None) -> str:
    """The text to retrieve for: the message, after the previous question if it follows up."""
    if previous and previous.strip() and is_follow_up(message):
        return f"{previous.strip()} {message.strip()}"
    return message


def trim(text: str, limit: int = MAX_ANSWER_CHARS) -> str:
    """``text`` on one or a few lines, cut after the last whole sentence or line that fits."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    joined = "\n".join(lines)
    if len(joined) <= limit:
        return joined
    kept = ""
    for piece in re.split(r"(?<=[.!?])\s+|\n", joined):
        candidate = f"{kept} {piece}".strip() if kept else piece
        if len(candidate) > limit:
            break
        kept = candidate
    if not kept:  # one very long sentence: cut at a word
        kept = joined[:limit].rsplit(" ", 1)[0]
    return kept.rstrip(" ,;:") + " …"


def source_card(passages: list[Passage]) -> dict[str, object]:
    """The ``sources`` card of a reply."""
    return {"type": "sources",
            "sources": [{"id": p.id, "title": p.title, "url": p.url} for p in passages]}


def dont_know() -> Reply:
    """The honest reply when the knowledge base has no answer."""
    return Reply(
        text=("I'm sorry, I don't know that: I couldn't find it in our shop's information, and I "
              "don't want to guess. A person from our team can help you."),
        buttons=[HUMAN_BUTTON],
    )


def answer_question(
    question: str, intent: str = "", previous: str | None = None, retriever: Retriever | None = None,
) -> Reply:
    """The reply to a knowledge question.

    Args:
        question: The shopper's message.
        intent: The intent Rasa recognised (logged only; the question decides the answer).
        previous: The shopper's previous message, used when ``question`` is a follow-up.
        retriever: The retriever to ask (default: the process-wide one, loaded on first use).
    """
    query = contextual_query(question, previous)
    try:
        if retriever is None:
            from bot.knowledge.service import get_holder

            retriever = get_holder().get()
        from bot.settings import get_settings

        results = retriever.retrieve(query, k=get_settings().retrieval_top_k)
    except KnowledgeError as error:
        log.error("knowledge index unavailable: %s", error)
        return Reply(
            text=("I'm sorry, I can't look that up right now. A person from our team can help "
                  "you, or try again in a moment."),
            buttons=[HUMAN_BUTTON],
        )
    if not results:
        log.info("no answer in the knowledge base (intent %s): %r", intent or "-", query)
        return dont_know()
    best = results[0].passage
    return Reply(text=f"{trim(best.text)}\n\nSources: {best.title}", custom=source_card([best]))
