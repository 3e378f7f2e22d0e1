"""Answers to knowledge questions (products, delivery, refund policy, payments).

Retrieval over the knowledge base is not wired in yet, so the assistant says plainly that it
cannot look the answer up, and where the shopper can find it. It never invents an answer.
"""

from __future__ import annotations

from bot.conversation.intent_labels import INTENT_LABELS
from bot.conversation.replies import Button, Reply

HELP_PAGES = "https://fernhill-goods.example/help"


def answer_question(question: str, intent: str) -> Reply:
    """The reply to a knowledge question.

    Args:
        question: The shopper's message.
        intent: The intent Rasa recognised (used to name the topic).
    """
    topic = INTENT_LABELS.get(intent, "that").lower()
    return Reply(
        text=(
            f"I'm sorry, I can't look up answers about {topic} yet, and I don't want to guess. "
            f"You'll find our policies and product details at {HELP_PAGES}, "
            "or a person from our team can help you."
        ),
        buttons=[Button("Talk to a person", "/contact_human_agent")],
    )
