"""Why this product: one short reason in words, drawn from the product's own data ("waterproof
roll-top backpack, holds a 15-inch laptop, €89.00") and checked claim by claim against the
product's passage, like every other reply."""

from __future__ import annotations

import re
from typing import Any

from bot.commerce.catalogue import CatalogueProduct
from bot.generation.grounding import check_grounding
from bot.knowledge.tables import render_product
from bot.recommend.filters import colour_matches, says
from bot.recommend.request import Request
from bot.recommend.vocabulary import FEATURES

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_CLAUSES = re.compile(r",\s+|\s+and\s+|;\s+")
MAX_CLAUSE = 80
_DANGLING = {"that", "for", "with", "and", "the", "of", "to", "a", "an", "in", "on", "by", "from"}


def product_record(product: CatalogueProduct) -> dict[str, Any]:
    """The product as a catalogue record (what the knowledge index renders as its passage)."""
    return {
        "sku": product.sku,
        "name": product.name,
        "category": product.category,
        "subcategory": product.subcategory,
        "price": float(product.price),
        "currency": product.currency,
        "stock": product.stock,
        "attributes": dict(product.attributes),
        "description": product.description,
    }


def product_passage(product: CatalogueProduct) -> str:
    """The text the knowledge index holds for the product (its reason is checked against it)."""
    return render_product(product_record(product))[1]


def _words(request: Request) -> list[str]:
    """Words the shopper cares about, as the catalogue writes them."""
    words: list[str] = []
    for feature in request.features:
        words.extend(FEATURES.get(feature, ("", (feature,)))[1])
    if request.laptop_inches:
        words.extend(["inch", "laptop", "laptop"])
    words.extend(request.uses)
    words.extend(w for text in request.kinds for w in text.split())
    return [w for w in words if w]


def _best_clause(product: CatalogueProduct, words: list[str]) -> str:
    """The description clause that says most of ``words`` (the first clause when none does)."""
    clauses: list[str] = []
    for sentence in _SENTENCES.split(product.description.strip()):
        clauses.extend(c.strip().rstrip(".") for c in _CLAUSES.split(sentence) if c.strip())
    if not clauses:
        return ""
    lowered = [c.lower() for c in clauses]
    hits = [sum(w.lower() in c for w in words) for c in lowered]
    best = max(range(len(clauses)), key=lambda i: (hits[i], -i))
    clause = clauses[best]
    if len(clause) > MAX_CLAUSE:
        kept = clause[:MAX_CLAUSE].rsplit(" ", 1)[0].split()
        while kept and kept[-1].lower() in _DANGLING:
            kept.pop()
        clause = " ".join(kept)
    return clause[0].lower() + clause[1:] if clause[:2] not in {"A ", "An"} else clause


def reason_for(product: CatalogueProduct, request: Request) -> str:
    """One short reason to suggest ``product`` for ``request``, from the product's data only.

    The reason names the features asked for that the product has (in its own words), the
    clause of its description that says most about the request, the colour when one was
    asked for, and the price. It is sent only when the grounding check finds every claim in
    the product's passage; otherwise the description's first sentence and the price are.
    """
    passage = product_passage(product)
    text = passage.lower()
    parts: list[str] = []
    clause = _best_clause(product, _words(request))
    for feature in request.features:
        shown = next((w for w in FEATURES.get(feature, ("", ()))[1] if says(text, w)), None)
        if shown and shown not in clause.lower():
            parts.append(shown)
    if clause:
        parts.append(clause)
    colour = str(product.attributes.get("colour") or "")
    if request.colour and colour and colour_matches(product, request.colour):
        parts.append(colour)
    parts.append(f"€{product.price:.2f}")
    reason = ", ".join(parts)
    reason = reason[0].upper() + reason[1:]
    if check_grounding(reason, [passage], require_statement=False).grounded:
        return reason
    first = _SENTENCES.split(product.description.strip())[0].rstrip(".")
    return f"{first}, €{product.price:.2f}" if first else f"€{product.price:.2f}"


def reason_is_grounded(reason: str, product: CatalogueProduct) -> bool:
    """The grounding check of a reason against the product's passage."""
    return check_grounding(reason, [product_passage(product)], require_statement=False).grounded
