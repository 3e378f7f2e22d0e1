"""Questions about how orders work that the intent classifier sends to an order task.

"Is there a fee to cancel once the order is packed?", "what does it mean when my order is
packed?", "how many days do I have to send back a face cream?": the intents of these are order
tasks (cancel, track, return), so the order form starts and asks for the order number. The
shopper asked how something works, though, and may not want anything done. When such a message
reads as a question, names no order and the knowledge base clearly holds the answer, the answer
comes first and the order number is asked for as an offer, not a condition: the order form
still runs, so a shopper who wants the task done goes on as before.
"""

from __future__ import annotations

import re

from bot.conversation.order_numbers import EMAIL
from bot.messages.replies import Reply

QUESTION = re.compile(
    r"^\W*(?:what|what'?s|whats|how|when|where|which|why|is|are|do|does|did|can|could|will|would|should|may)\b"
    r"|\?\s*$",
    re.I,
)
# A question inside a longer message: "my parcel is on its way can i still cancel", "my status
# says pending what does that mean", "tracking hasn't moved in a week what do i do".
INNER_QUESTION = re.compile(
    r"\b(?:can|could|may|should|do|will) (?:i|we) |\bdo you |\bis (?:it|there) |\bare there "
    r"|\bwhat (?:do|does|did|happens|if|is the)\b|\bhow (?:do|does|long|much|many|can)\b",
    re.I,
)
# "Where is my order?", "where's my parcel": a request to look at the shopper's own order.
OWN_ORDER = re.compile(r"\bwhere(?:'?s| is| are)\s+(?:my|our)\b", re.I)
# "Can you check my order?", "could you cancel it please": asking for the task, not how it works.
REQUEST = re.compile(
    r"^\W*(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?"
    r"(?:check|track|cancel|change|find|look|send|update|refund|return|stop|help)\b",
    re.I,
)
ORDER_NUMBER = re.compile(r"(?<![\w-])#?A-?\d{4}\b", re.I)
ASK_AS_OFFER = (
    "If you'd like me to look at one of your orders, what's the order number? It starts with "
    "an A followed by four digits, like A1234."
)


def asks_how_things_work(text: str) -> bool:
    """True for a message that reads as a question and names no order number or e-mail address
    (a button's ``/intent`` payload is not a question)."""
    text = (text or "").strip()
    if not text or text.startswith("/") or ORDER_NUMBER.search(text) or EMAIL.search(text):
        return False
    if OWN_ORDER.search(text) or REQUEST.search(text):
        return False
    return QUESTION.search(text) is not None or INNER_QUESTION.search(text) is not None


def is_answer(reply: Reply) -> bool:
    """True when a knowledge reply answers (it carries its sources), not "I don't know"."""
    return bool(reply.custom and reply.custom.get("type") == "sources")
