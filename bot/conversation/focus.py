"""The product the conversation is about, and follow-ups that lean on it.

"Is the Larkspur backpack waterproof?" then "how much is it?": the second question names no
product, so on its own it retrieves nothing useful. The product in focus is:

- the product of the page the shopper is on, when the message comes from the chat widget on a
  product page (the widget puts the page's SKU in the message metadata as ``page_product``);
- otherwise the product of the latest knowledge answer whose best source was a product.

A follow-up that refers back ("it", "this one", "that backpack", "in black?") is retrieved with
the product's name in front; a message that names something else is left alone, and the answer
to it moves the focus to whatever it was about. "The second one" picks the second product the
latest list of products showed. A short question that refers back to a topic instead ("is it
free?" after a delivery answer) is retrieved with the topic of the latest answer in front, and an
elliptical follow-up ("and for Germany?") leans on the question it follows up, not on another
follow-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from bot.messages import BotEvent, UserEvent, read_events

__all__ = [
    "PAGE_PRODUCT_KEY",
    "focused_query",
    "indexed_product_name",
    "listed_product",
    "ordinal_of",
    "page_product",
    "product_in_focus",
    "question_in_focus",
    "refers_back",
    "subject_in_focus",
    "topic_in_focus",
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
# "the second one", "the 3rd product", "the last one?": a place in the latest list of products.
_ORDINAL = re.compile(
    r"\bthe\s+(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)"
    r"(?=\s+(?:one|product|item|option)\b|\s*[?.!,]|\s*$)",
    re.I,
)
_PLACES = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1}
_PLACES.update({"1st": 0, "2nd": 1, "3rd": 2, "4th": 3, "5th": 4})
# A short question that refers back to the latest answer's topic: "is it free?".
_MAX_TOPIC_FOLLOW_UP_WORDS = 6


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


def best_sources(events: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any] | None]:
    """The best source of each ``sources`` card the assistant sent, latest first (None for a card
    without sources)."""
    for event in reversed(read_events(events)):
        if isinstance(event, BotEvent) and event.card and event.card["type"] == "sources":
            sources = event.card.get("sources") or []
            yield sources[0] if sources else None


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
    listed = listed_product(events)
    if listed:
        return listed
    for best in best_sources(events):
        if best and str(best["id"]).startswith(PRODUCT_SOURCE):
            return str(best["title"]) or None
        return None  # the latest answer was about something else: the focus moved
    return None


def ordinal_of(message: str) -> int | None:
    """The place ``message`` points at in a list ("the second one" → 1, "the last one" → -1)."""
    found = _ORDINAL.search(message or "")
    return _PLACES[found.group(1).lower()] if found else None


def listed_product(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The product "the second one" (the latest message) points at in the latest products the
    assistant showed (a products card, else the product sources of an answer), or None."""
    events = list(events)
    users = [e for e in read_events(events) if isinstance(e, UserEvent)]
    place = ordinal_of(users[-1].text) if users else None
    if place is None:
        return None
    for event in reversed(read_events(events)):
        if not isinstance(event, BotEvent) or event.card is None:
            continue
        card: Mapping[str, Any] = event.card
        if card["type"] == "products":
            names = [str(p["name"]) for p in card.get("products") or []]
        elif card["type"] == "sources":
            names = [
                str(s["title"])
                for s in card.get("sources") or []
                if str(s["id"]).startswith(PRODUCT_SOURCE)
            ]
        else:
            continue
        if -len(names) <= place < len(names):
            return names[place] or None
        return None
    return None


def topic_in_focus(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The title of the latest answer's best source when it is not a product ("How long does
    delivery to Germany take?"), or None."""
    best = next(best_sources(events), None)
    if best and not str(best["id"]).startswith(PRODUCT_SOURCE):
        return str(best["title"]) or None
    return None


def subject_in_focus(
    events: Iterable[Mapping[str, Any]], name_of_sku: Callable[[str], str | None]
) -> str | None:
    """What a follow-up leans on: the product in focus, else, for a short message that refers
    back ("is it free?"), the topic of the latest answer; None when neither applies."""
    events = list(events)
    product = product_in_focus(events, name_of_sku)
    if product:
        return product
    users = [e for e in read_events(events) if isinstance(e, UserEvent)]
    latest = users[-1].text if users else ""
    if len(latest.split()) > _MAX_TOPIC_FOLLOW_UP_WORDS or not refers_back(latest):
        return None
    return topic_in_focus(events)


def question_in_focus(texts: list[str], is_follow_up: Callable[[str], bool]) -> str | None:
    """The question the latest message (the last of ``texts``) may follow up: the shopper's
    latest earlier message that is not itself a follow-up ("how much is delivery to France?",
    "and for Germany?", "and Spain?": the third leans on the first)."""
    earlier = [t for t in texts[:-1] if t and t.strip()]
    for text in reversed(earlier):
        if not is_follow_up(text):
            return text
    return earlier[-1] if earlier else None


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
