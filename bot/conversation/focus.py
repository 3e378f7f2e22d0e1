"""The product the conversation is about, and follow-ups that lean on it.

"Is the Larkspur backpack waterproof?" then "how much is it?": the second question names no
product, so on its own it retrieves nothing useful. The product in focus is:

- the product of the page the shopper is on, when the message comes from the chat widget on a
  product page (the widget puts the page's SKU in the message metadata as ``page_product``);
- otherwise the product of the latest knowledge answer whose best source was a product.

A follow-up that refers back ("it", "this one", "that backpack", "in black?") is retrieved with
the product's name in front; a message that names something else is left alone, and the answer
to it moves the focus to whatever it was about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.messages import BotEvent, UserEvent, read_events

__all__ = [
    "PAGE_PRODUCT_KEY",
    "focused_query",
    "indexed_product_name",
    "page_product",
    "product_in_focus",
    "refers_back",
]

PAGE_PRODUCT_KEY = "page_product"
PRODUCT_SOURCE = "product:"
_REFERS_BACK = re.compile(
    r"\b(?:it|its|it's|itself|this|that|these|those|them|they|the same|this one|that one|"
    r"the (?:first|second|third|last|other) one)\b",
    re.I,
)
# A short fragment that only adds a detail: "in black?", "for kids?", "with the lid?".
_FRAGMENT = re.compile(r"^\W*(?:in|for|with|without|from|size|colour|color)\b", re.I)
_MAX_FRAGMENT_WORDS = 4
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def refers_back(message: str) -> bool:
    """True when ``message`` leans on something said before: a pronoun or "this/that …", or a
    short fragment such as "in black?"."""
    text = message.strip()
    if not text or text.startswith("/"):
        return False
    if _REFERS_BACK.search(text):
        return True
    return len(text.split()) <= _MAX_FRAGMENT_WORDS and bool(_FRAGMENT.match(text))


def page_product(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The SKU the widget sent with the shopper's latest message (None when not on a product
    page, or when the value is not a plausible SKU)."""
    users = [e for e in read_events(events) if isinstance(e, UserEvent)]
    if not users:
        return None
    value = users[-1].metadata.get(PAGE_PRODUCT_KEY)
    return value.strip() if isinstance(value, str) and _SKU.match(value.strip()) else None


def product_in_focus(
    events: Iterable[Mapping[str, Any]], name_of_sku: Callable[[str], str | None]
) -> str | None:
    """The name of the product the conversation is about, or None.

    Args:
        events: The tracker's events, the latest message last.
        name_of_sku: The product name of a SKU (None for an unknown SKU).
    """
    events = list(events)
    sku = page_product(events)
    if sku:
        name = name_of_sku(sku)
        if name:
            return name
    for event in reversed(read_events(events)):
        if not isinstance(event, BotEvent) or event.card is None:
            continue
        if event.card["type"] != "sources":
            continue
        sources = event.card.get("sources") or []
        if sources and str(sources[0]["id"]).startswith(PRODUCT_SOURCE):
            return str(sources[0]["title"]) or None
        return None  # the latest answer was about something else: the focus moved
    return None


def focused_query(message: str, product: str | None) -> str:
    """The text to retrieve for ``message``: with the product in focus in front when the message
    refers back to it and does not already name it."""
    if not product or not refers_back(message):
        return message
    if product.lower() in message.lower():
        return message
    return f"{product}: {message.strip()}"


def indexed_product_name(sku: str) -> str | None:
    """The name of the product ``sku`` in the loaded knowledge index (None when unknown)."""
    from bot.knowledge.service import get_holder

    passages = getattr(get_holder().get(), "passages", [])
    wanted = sku.strip().upper()
    for passage in passages:
        if passage.kind == "product" and (passage.sku or "").upper() == wanted:
            return str(passage.title) or None
    return None
