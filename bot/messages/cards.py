"""The cards the assistant sends to rich channels, and the envelope they travel in.

A card is a JSON object with a ``type``. The action server sends one as ``json_message`` =
``{"data": card}`` (:func:`envelope`): Rasa's socket.io channel emits ``json_message``'s items as
keyword arguments of ``sio.emit``, so the widget's ``bot_uttered`` payload is the card itself;
the REST channel answers ``{"custom": {"data": card}}``, and the tracker keeps the message as a
``bot`` event whose ``data`` is ``{"custom": {"data": card}}`` (:func:`bot_card_event`, which is
also how the console sends its notices). :func:`read_card` reads a card out of any of these.

Every card type is a ``TypedDict`` below and a member of :data:`Card`; :data:`CARD_TYPES` is read
from that union, so a new card type is one class added to it (and a renderer on both front ends:
``tests/browser/test_card_contract.py`` checks that).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, cast, get_args, get_type_hints

from typing_extensions import NotRequired, TypedDict


class ProductItem(TypedDict):
    """One product of a ``products`` card (links relative to the web app)."""

    sku: str
    name: str
    price: str  # two decimals, e.g. "49.00"
    currency: str
    stock: int
    image: str
    url: str


class ProductsCard(TypedDict):
    """Products a knowledge answer is about: picture, name, price, stock, link."""

    type: Literal["products"]
    products: list[ProductItem]


class SourceRef(TypedDict):
    """A passage an answer rests on."""

    id: str
    title: str
    url: str | None


class AnswerInfo(TypedDict):
    """How a knowledge answer was made."""

    grounded: bool
    fallback: bool
    generated: bool
    too_slow: bool


class SourcesCard(TypedDict):
    """The sources of a knowledge answer (and how the answer was made, when known)."""

    type: Literal["sources"]
    sources: list[SourceRef]
    answer: NotRequired[AnswerInfo]


class OrderItem(TypedDict):
    """One line of an order."""

    sku: str
    name: str
    qty: int


class TrackingEvent(TypedDict):
    """One carrier scan of a parcel."""

    at: str  # ISO 8601
    location: str
    description: str


class OrderStatusCard(TypedDict):
    """An order's status, items, total, carrier and tracking history."""

    type: Literal["order_status"]
    order_id: str
    status: str
    placed_at: str  # ISO 8601
    total: str  # two decimals
    currency: str
    items: list[OrderItem]
    carrier: str | None
    tracking_number: str | None
    estimated_delivery: str | None  # ISO 8601 date
    events: list[TrackingEvent]


class AgentJoinedCard(TypedDict):
    """A person of the team joined the chat."""

    type: Literal["agent_joined"]
    agent: str


class AgentLeftCard(TypedDict):
    """The person left; the assistant answers again."""

    type: Literal["agent_left"]


class RatingRequestCard(TypedDict):
    """The conversation was resolved: the shopper is asked for a rating."""

    type: Literal["rating_request"]


Card = (
    ProductsCard
    | SourcesCard
    | OrderStatusCard
    | AgentJoinedCard
    | AgentLeftCard
    | RatingRequestCard
)


def _card_types() -> tuple[str, ...]:
    """The ``type`` value of every member of :data:`Card`."""
    types: list[str] = []
    for member in get_args(Card):
        (value,) = get_args(get_type_hints(member)["type"])
        types.append(str(value))
    return tuple(types)


CARD_TYPES: tuple[str, ...] = _card_types()


class Envelope(TypedDict):
    """How a card travels from the action server: ``json_message`` of an utterance."""

    data: Card


class CustomPayload(TypedDict):
    """The ``data`` of a tracker ``bot`` event that carries a card."""

    custom: Envelope


class BotCardEvent(TypedDict):
    """A ``bot`` event carrying a card, as appended through Rasa's tracker API."""

    event: Literal["bot"]
    data: CustomPayload


def envelope(card: Card) -> Envelope:
    """The ``json_message`` that sends ``card`` from an action."""
    return {"data": card}


def bot_card_event(card: Card) -> BotCardEvent:
    """The tracker ``bot`` event that sends ``card`` to the shopper's channel."""
    return {"event": "bot", "data": {"custom": envelope(card)}}


def read_card(message: Mapping[str, Any] | None) -> Card | None:
    """The card in ``message``, or None when it carries none (or one of an unknown type).

    ``message`` may be a tracker ``bot`` event, its ``data`` or a REST reply
    (``{"custom": {"data": card}}``), an :class:`Envelope`, or the card itself.
    """
    value: object = message
    for key in ("event", "custom", "data"):
        if isinstance(value, Mapping) and key in value:
            value = value.get("data") if key == "event" else value.get(key)
    if isinstance(value, Mapping) and value.get("type") in CARD_TYPES:
        return cast(Card, dict(value))
    return None


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def product_item(
    *, sku: str, name: str, price: Decimal | float, currency: str, stock: int, image: str, url: str
) -> ProductItem:
    """One product of a ``products`` card (the price with two decimals)."""
    return {
        "sku": sku,
        "name": name,
        "price": f"{Decimal(str(price)):.2f}",
        "currency": currency,
        "stock": int(stock),
        "image": image,
        "url": url,
    }


def products_card(products: list[ProductItem]) -> ProductsCard:
    """The ``products`` card of ``products`` (at least one)."""
    if not products:
        raise ValueError("a products card needs at least one product. Currently, it has none")
    return {"type": "products", "products": list(products)}


def source_ref(id: str, title: str, url: str | None) -> SourceRef:  # noqa: A002 - the wire name
    """One source of a ``sources`` card."""
    return {"id": id, "title": title, "url": url}


def sources_card(sources: list[SourceRef], answer: AnswerInfo | None = None) -> SourcesCard:
    """The ``sources`` card of an answer (with how it was made, when known)."""
    card: SourcesCard = {"type": "sources", "sources": list(sources)}
    if answer is not None:
        card["answer"] = answer
    return card


def answer_info(*, grounded: bool, fallback: bool, generated: bool, too_slow: bool) -> AnswerInfo:
    """How a knowledge answer was made, for its ``sources`` card."""
    return {
        "grounded": grounded,
        "fallback": fallback,
        "generated": generated,
        "too_slow": too_slow,
    }


def order_item(sku: str, name: str, qty: int) -> OrderItem:
    """One line of an ``order_status`` card."""
    return {"sku": sku, "name": name, "qty": int(qty)}


def tracking_event(at: datetime, location: str, description: str) -> TrackingEvent:
    """One carrier scan of an ``order_status`` card."""
    return {"at": at.isoformat(), "location": location, "description": description}


def order_status_card(
    *,
    order_id: str,
    status: str,
    placed_at: datetime,
    total: Decimal | float,
    currency: str,
    items: list[OrderItem],
    carrier: str | None = None,
    tracking_number: str | None = None,
    estimated_delivery: date | None = None,
    events: list[TrackingEvent] | None = None,
) -> OrderStatusCard:
    """The ``order_status`` card of an order."""
    return {
        "type": "order_status",
        "order_id": order_id,
        "status": status,
        "placed_at": placed_at.isoformat(),
        "total": f"{Decimal(str(total)):.2f}",
        "currency": currency,
        "items": list(items),
        "carrier": carrier,
        "tracking_number": tracking_number,
        "estimated_delivery": _iso(estimated_delivery),
        "events": list(events or []),
    }


def agent_joined_card(agent: str) -> AgentJoinedCard:
    """Tells the shopper that ``agent`` joined the chat."""
    return {"type": "agent_joined", "agent": agent}


def agent_left_card() -> AgentLeftCard:
    """Tells the shopper that the person left and the assistant is back."""
    return {"type": "agent_left"}


def rating_request_card() -> RatingRequestCard:
    """Asks the shopper to rate the resolved conversation."""
    return {"type": "rating_request"}
