"""A short acknowledgement in the first reply of an order task started by an upset shopper.

"I'm so frustrated, my refund still hasn't arrived after 3 weeks" should not get a cheerful
"Sure. What's the order number?". When the message that starts a task is upset (clearly negative,
a complaint) or impatient (waiting for weeks, "??", "still no…"), the question for the order
number opens with a sentence about what went wrong, worded for the task (a refund, a parcel, a
cancellation…) and varied from one message to the next; a calm message keeps the plain question.
"""

from __future__ import annotations

import re
import zlib

from bot.conversation.knowledge_answers import is_upset

__all__ = ["ASK_NUMBER", "acknowledgement", "ask_order_number", "sounds_upset"]

ASK_NUMBER = (
    "What's the order number? It starts with an A followed by four digits, like A1234, and is "
    "in your order confirmation e-mail."
)
IMPATIENT = re.compile(
    r"\?\?|!!|\?!|\b(?:still|yet again|already|finally|hurry|asap|now|ages|forever|"
    r"nobody|no one|never|lost|late|stuck|damaged|broken|wrong|charged twice|nightmare|"
    r"last time|joke)\b|\b(?:\d+|two|three|four|several|many) (?:days|weeks|months|times)\b|"
    r"\ba (?:week|month)\b",
    re.I,
)
CALM_QUESTION = re.compile(r"^\W*(?:has|have|is|when|where'?s?|what'?s?|can|could)\b", re.I)

# What went wrong, by task: first halves of the acknowledgement.
SORRY: dict[str, tuple[str, ...]] = {
    "refund": (
        "I'm sorry your refund is taking this long",
        "I'm sorry you're still waiting for your money",
        "Waiting this long for a refund is frustrating, I'm sorry",
    ),
    "parcel": (
        "I'm sorry your order hasn't reached you yet",
        "I'm sorry about the wait for your parcel",
        "That's a long wait for a parcel, and I'm sorry about it",
    ),
    "cancel": (
        "I'm sorry this order has caused you trouble",
        "I'm sorry things went wrong with this order",
    ),
    "return": (
        "I'm sorry the item let you down",
        "I'm sorry about the trouble with what you received",
    ),
    "invoice": (
        "I'm sorry about the trouble with your invoice",
        "Sorry the paperwork has been a hassle",
    ),
    "other": (
        "I'm sorry about the trouble",
        "I'm sorry this has been frustrating",
    ),
}
# Second halves: the promise to look at it.
TOGETHER = (
    "let's look at it together.",
    "let me check what's going on.",
    "let's sort it out now.",
)
TOPIC_OF_TASK = {
    "track_refund": "refund",
    "get_refund": "refund",
    "track_order": "parcel",
    "cancel_order": "cancel",
    "change_order": "cancel",
    "check_cancellation_fee": "cancel",
    "change_shipping_address": "parcel",
    "return_item": "return",
    "get_invoice": "invoice",
    "check_invoice": "invoice",
}
_REFUND_WORDS = re.compile(r"\b(?:refund\w*|money back|my money|charged)\b", re.I)
_PARCEL_WORDS = re.compile(r"\b(?:parcel|package|delivery|courier|arriv\w*|shipp?\w*)\b", re.I)


def sounds_upset(text: str) -> bool:
    """True when ``text`` is upset (clearly negative or a complaint), or impatient and not a plain
    question ("has my refund been processed yet" is calm; "still no refund??" is not)."""
    if not text.strip():
        return False
    if is_upset(text):
        return True
    impatient = IMPATIENT.findall(text)
    if not impatient:
        return False
    return len(impatient) >= 2 or not CALM_QUESTION.search(text)


def topic(task: str, text: str) -> str:
    """What the shopper's trouble is about: the words of the message first, then the task."""
    if _REFUND_WORDS.search(text):
        return "refund"
    if _PARCEL_WORDS.search(text) and task not in ("cancel_order", "return_item"):
        return "parcel"
    return TOPIC_OF_TASK.get(task, "other")


def acknowledgement(text: str, task: str) -> str | None:
    """The sentence that acknowledges an upset ``text`` starting ``task`` (None when calm).

    The wording is picked from the message itself, so two messages rarely get the same sentence
    while one message always gets the same one (replays and tests are stable).
    """
    if not sounds_upset(text):
        return None
    seed = zlib.crc32(text.strip().lower().encode("utf-8"))
    sorry = SORRY[topic(task, text)]
    return f"{sorry[seed % len(sorry)]} — {TOGETHER[(seed // 7) % len(TOGETHER)]}"


def ask_order_number(text: str, task: str) -> str | None:
    """The first question of an order task started by an upset ``text``: the acknowledgement,
    then the question for the order number (None when calm: the domain's question is used)."""
    sorry = acknowledgement(text, task)
    return f"{sorry} {ASK_NUMBER}" if sorry else None
