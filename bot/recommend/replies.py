"""What the shopper reads: a numbered list with one reason per product (every channel), the
``products`` card (rich channels), an honest "nothing fits" with the nearest alternatives and
what each one misses, and comparisons from both products' data."""

from __future__ import annotations

from collections.abc import Sequence

from bot.commerce.catalogue import CatalogueProduct
from bot.messages import cards
from bot.messages.cards import ProductsCard
from bot.recommend.reasons import reason_for
from bot.recommend.request import Request
from bot.recommend.search import Nearest

ASK_WHAT = (
    "Happy to help you choose! What are you looking for? Tell me the kind of product, who it's "
    'for and your budget, for example "a waterproof backpack under 100 euros".'
)
FOLLOW_UPS = 'You can ask for something cheaper, another colour or size, "show me more", or to compare two of them.'
NO_CONTEXT = (
    "I haven't suggested anything yet. What are you looking for? For example \"a gift for my "
    'mum who likes cooking, budget 40 euros".'
)


def products_card(products: Sequence[CatalogueProduct]) -> ProductsCard:
    """The ``products`` card of up to three products."""
    return cards.products_card([p.card_item() for p in products[:3]])


def describe(request: Request) -> str:
    """The request's hard constraints in a few words ("waterproof backpack, under €100.00")."""
    head = " ".join([*request.features, *(request.kinds[:1] or ("product",))])
    parts = [head]
    if request.kid:
        parts.append("for a child")
    if request.laptop_inches:
        parts.append(f"for a {request.laptop_inches:g}-inch laptop")
    if request.min_price is not None and request.max_price is not None:
        parts.append(f"between €{request.min_price:.2f} and €{request.max_price:.2f}")
    elif request.max_price is not None:
        parts.append(f"under €{request.max_price:.2f}")
    elif request.min_price is not None:
        parts.append(f"over €{request.min_price:.2f}")
    if request.colour:
        parts.append(f"in {request.colour}")
    if request.size:
        parts.append(f"in size {request.size}")
    if request.uses and not request.kinds:
        parts.append(f"for {request.uses[0]}")
    parts += [f"without {word}" for word in request.excluded]
    return ", ".join(parts)


def suggestions_text(products: Sequence[CatalogueProduct], request: Request, more: bool) -> str:
    """The numbered list of suggestions, one reason each."""
    opening = "Here are more ideas" if more else "Here's what I'd suggest"
    lines = [f"{opening} ({describe(request)}):"]
    lines += [f"{i}. {p.name}: {reason_for(p, request)}" for i, p in enumerate(products, 1)]
    lines.append(FOLLOW_UPS)
    return "\n".join(lines)


def nothing_fits_text(nearest: Sequence[Nearest], request: Request, more: bool) -> str:
    """An honest "nothing fits", with the nearest products and which constraint each misses."""
    wanted = describe(request)
    if more:
        head = f"That's everything I have that fits ({wanted})."
    else:
        head = f"Sorry, nothing in stock fits everything you asked for ({wanted})."
    if not nearest:
        return head + " Could you loosen one of the conditions?"
    budget_only = all(all(m.constraint == "budget" for m in n.missed) for n in nearest)
    first = nearest[0]
    if budget_only and request.max_price is not None and not more:
        head = (
            f"Sorry, I have nothing under €{request.max_price:.2f} that fits; the closest is "
            f"{first.product.name}, €{first.product.price:.2f}."
        )
    lines = [head, "The closest I have:"]
    for i, near in enumerate(nearest, 1):
        missed = "; ".join(m.text for m in near.missed)
        lines.append(f"{i}. {near.product.name}, €{near.product.price:.2f} ({missed})")
    return "\n".join(lines)


def comparison_text(products: Sequence[CatalogueProduct]) -> str:
    """Two or three products side by side, from their own data only."""
    if len(products) < 2:
        return 'Which two should I compare? Say for example "compare the first two".'
    lines = [f"Comparing {' and '.join(p.name for p in products)}:"]
    for product in products:
        facts = [f"€{product.price:.2f}", "in stock" if product.stock > 0 else "out of stock"]
        for key in (
            "colour",
            "material",
            "capacity",
            "weight",
            "dimensions",
            "volume",
            "skin_type",
        ):
            value = product.attributes.get(key)
            if value:
                facts.append(f"{key.replace('_', ' ')}: {value}")
        if product.tags:
            facts.append("good for: " + ", ".join(product.tags[:3]))
        lines.append(f"- {product.name}: " + "; ".join(facts))
    cheapest = min(products, key=lambda p: p.price)
    dearest = max(products, key=lambda p: p.price)
    if cheapest.price != dearest.price:
        lines.append(
            f"The {cheapest.name} is €{dearest.price - cheapest.price:.2f} cheaper than the "
            f"{dearest.name}."
        )
    return "\n".join(lines)
