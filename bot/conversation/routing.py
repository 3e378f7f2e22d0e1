"""Knowledge questions reach the knowledge base whichever intent the classifier picked.

Many shop questions read like another intent to the classifier: "can I pay by invoice as a
business?" like ``check_invoice``, "do you ship to Norway?" like ``contact_customer_service``,
"can I change my e-mail in my account?" like ``edit_account``. Intents whose rule sends a fixed
response go through one action that first asks the knowledge base: when it clearly holds the
answer (the same confidence an unclear message needs) the shopper gets that answer with its
sources; otherwise the intent's own response. A message that names an order number or an e-mail
address is a task with its data and never detours through the knowledge base.

The other way round, a message that only names a kind of product ("a cashmere sweater") is a
search, and a constraint right after suggestions ("in size XXL") refines them: suggestions
answer both, even when the classifier reads them as a product question or finds them unclear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.conversation.order_numbers import EMAIL
from bot.conversation.order_questions import ORDER_NUMBER
from bot.conversation.unclear import knowledge_can_answer
from bot.knowledge.retrieve import Retriever
from bot.recommend.dialogue import context_is_current
from bot.recommend.request import parse_request

__all__ = [
    "FIXED_RESPONSES",
    "ROUTE_ACTION",
    "asks_about_named_product",
    "asks_about_product_in_focus",
    "is_product_search",
    "refines_suggestions",
    "knowledge_first",
    "names_order_data",
    "upset_order_task",
]

ROUTE_ACTION = "action_answer_or_respond"

# The shopper's own order, parcel or refund: "my parcel is two weeks late", "cancel my order".
_OWN_ORDER = re.compile(r"\bmy\s+(?:order|parcel|package|delivery|refund|money)\b", re.I)
_TASK_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("track_refund", re.compile(r"\brefund|\bmy money\b", re.I)),
    ("cancel_order", re.compile(r"\bcancel", re.I)),
    ("return_item", re.compile(r"\breturn|\bsend (?:it|them) back\b", re.I)),
)

# A yes/no question ("are the corran hiking boots waterproof?"), not a request to find something
# ("do you sell…", "can you recommend…", "have you got…", "are there…").
_YES_NO = re.compile(r"^\s*(?:is|are|does|do|can|will|would|has|have|was|were)\b", re.I)
_SHOPPING = re.compile(
    r"^\s*(?:(?:do|does|can|could|will|would)\s+(?:you|u)\s+"
    r"(?:sell|have|stock|carry|offer|make|recommend|suggest|find|show)"
    r"|have\s+(?:you|u)\s+got|(?:is|are)\s+there)\b",
    re.I,
)

# A question ("what is…", "is it…?", "how warm…"), as against a search that names what is wanted.
_QUESTION = re.compile(
    r"\?|^\s*(?:what|which|how|why|when|where|who|whose|is|are|does|do|did|can|could|will|"
    r"would|should|has|have|was|were|may|tell\s+me|i\s+need\s+info)\b",
    re.I,
)
# A statement about something the shopper has or did ("the headphones were broken", "my boots
# leak"), not a search for something to buy.
_STATEMENT = re.compile(
    r"\b(?:my|mine|our|was|were|is|are|am|has|have|had|did|does|do|got|bought|ordered|broke|"
    r"broken|arrived|leaks?|\w+n't)\b",
    re.I,
)
SEARCH_MAX_WORDS = 10
"""A search is short: a longer message is read as the question the classifier saw."""

# Intents answered by a fixed response, and that response.
FIXED_RESPONSES: Mapping[str, str] = {
    "create_account": "utter_create_account",
    "delete_account": "utter_delete_account",
    "edit_account": "utter_edit_account",
    "switch_account": "utter_switch_account",
    "recover_password": "utter_recover_password",
    "registration_problems": "utter_registration_problems",
    "set_up_shipping_address": "utter_set_up_shipping_address",
    "newsletter_subscription": "utter_newsletter_subscription",
    "contact_customer_service": "utter_contact_customer_service",
    "review": "utter_review",
    "place_order": "utter_place_order",
    "out_of_scope": "utter_out_of_scope",
}


def names_order_data(text: str) -> bool:
    """True when ``text`` names an order number or an e-mail address (a task with its data)."""
    return bool(ORDER_NUMBER.search(text) or EMAIL.search(text))


def knowledge_first(
    text: str,
    previous: str | None = None,
    retriever: Retriever | None = None,
    min_confidence: float | None = None,
    product: str | None = None,
) -> bool:
    """Whether ``text`` should get the knowledge base's answer instead of its intent's path.

    Args:
        text: The shopper's message.
        previous: The shopper's previous message (for follow-ups such as "and for express?").
        retriever: The retriever to ask (default: the process-wide one).
        min_confidence: Confidence the best passage needs (default: the
            ``unclear_message_min_confidence`` setting).
        product: The name of the product in focus, for a message that refers back to it.
    """
    text = (text or "").strip()
    if not text or text.startswith("/") or names_order_data(text):
        return False
    return knowledge_can_answer(text, previous, retriever, min_confidence, product)


def asks_about_named_product(text: str, product_names: Iterable[str]) -> bool:
    """Whether ``text`` is a yes/no question about a product the shopper names by its line
    ("are the corran hiking boots waterproof?": the first word of "Corran Waterproof Hiking
    Boots"): a question for the knowledge base, not a request for suggestions, even when the
    classifier reads it as one."""
    if not _YES_NO.search(text) or _SHOPPING.search(text):
        return False
    return _names_a_product_line(_words(text), product_names)


def _words(text: str | None) -> list[str]:
    """The lower-case words of ``text``."""
    return re.findall(r"[a-z]+", (text or "").lower())


def _names_a_product_line(words: Iterable[str], product_names: Iterable[str]) -> bool:
    """Whether ``words`` hold a product's line: the first word of its name ("corran" of
    "Corran Waterproof Hiking Boots")."""
    present = set(words)
    return any(name.split()[0].lower() in present for name in product_names if name.split())


_DEMONSTRATIVE = re.compile(r"\b(?:this|that|these|those|it)\b", re.I)


def asks_about_product_in_focus(text: str, focus: str | None) -> bool:
    """Whether ``text`` is a yes/no question about the product in focus ("does this backpack fit
    a 15 inch laptop?" on that backpack's page, "is it machine washable?" after its answer): a
    question for the knowledge base, not a request for suggestions, even when the classifier
    reads it as one."""
    text = text or ""
    return (
        bool(focus)
        and bool(_YES_NO.search(text))
        and not _SHOPPING.search(text)
        and bool(_DEMONSTRATIVE.search(text))
    )


def is_product_search(text: str, product_names: Iterable[str]) -> bool:
    """Whether ``text`` only names the kind of product the shopper is looking for ("a cashmere
    sweater", "sandals", "a red dress in size XL"): no question, no statement about something
    the shopper has ("the headphones were broken"), no product named by its line, and a kind of
    product the recommender reads. Suggestions that meet its constraints answer
    it, even when the classifier reads it as a product question."""
    words = _words(text)
    if not words or len(words) > SEARCH_MAX_WORDS or _QUESTION.search(text):
        return False
    if _STATEMENT.search(text) or _names_a_product_line(words, product_names):
        return False
    return bool(parse_request(text).kinds)


def refines_suggestions(text: str, events: list[dict[str, Any]]) -> bool:
    """Whether ``text`` adds a constraint ("in size XXL", "under 50 euros", "not leather") to the
    suggestions the previous turn showed, without naming another kind of product: the
    recommendation refines them, even when the classifier found the message unclear."""
    if len(_words(text)) > SEARCH_MAX_WORDS:
        return False
    request = parse_request(text or "")
    return request.adds_constraint() and not request.kinds and context_is_current(events)


def upset_order_task(text: str) -> str | None:
    """The order task an upset message about the shopper's own order asks for ("still no sign of
    my order?? terrible service" → ``track_order``), or None: such a message wants its order
    looked at, with an acknowledgement, not a policy answer."""
    from bot.conversation.knowledge_answers import is_upset

    # Upset (negative, a complaint), not only impatient: "I paid but my order still says
    # pending" is a question about what pending means.
    if not _OWN_ORDER.search(text) or not is_upset(text):
        return None
    return next((task for task, words in _TASK_WORDS if words.search(text)), "track_order")
