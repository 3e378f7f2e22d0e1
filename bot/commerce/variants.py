"""Variants of clothing and shoes: one SKU per size (and colour, where a product lists several),
each with its own stock.

The catalogue lists a product's sizes and colours; its variants and their stock are derived from
them here, the same way every time (the demo shop's database is seeded from this function, and the
recommender reads it): the product's stock is spread over its variants, and some variants are
sold out, as in a real shop. A product without sizes, or outside clothing and shoes, has none.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from bot.commerce.catalogue import CatalogueProduct

VARIANT_CATEGORIES = frozenset({"Clothing", "Shoes"})
# One variant in SOLD_OUT_ONE_IN (chosen by its SKU's hash) has none left.
SOLD_OUT_ONE_IN = 6


@dataclass(frozen=True)
class Variant:
    """One size (and colour) of a product, with its own SKU and stock."""

    sku: str
    product_sku: str
    size: str
    colour: str
    stock: int


def _code(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "", text.upper())[:8] or "X"


def _weight(sku: str) -> int:
    return int(hashlib.sha256(sku.encode("utf-8")).hexdigest()[:8], 16)


def product_colours(product: CatalogueProduct) -> list[str]:
    """The colours a product comes in ("oatmeal, charcoal, rust" is three; "olive / brown
    leather trim" is one)."""
    colour = str(product.attributes.get("colour") or "").strip()
    if not colour:
        return [""]
    parts = [part.strip() for part in colour.split(",") if part.strip()]
    return parts if len(parts) > 1 and " and " not in colour else [colour]


def product_variants(product: CatalogueProduct) -> tuple[Variant, ...]:
    """The product's variants (empty for a product that has none), stock summing to its own."""
    sizes = product.attributes.get("sizes")
    if product.category not in VARIANT_CATEGORIES or not isinstance(sizes, list) or not sizes:
        return ()
    colours = product_colours(product)
    several = len(colours) > 1
    keys = [
        (
            f"{product.sku}-{_code(colour) + '-' if several else ''}{_code(str(size))}",
            str(size),
            colour,
        )
        for colour in colours
        for size in sizes
    ]
    available = [k for k in keys if _weight(k[0]) % SOLD_OUT_ONE_IN != 0] or keys[:1]
    weights = {k[0]: 1 + _weight(k[0]) % 5 for k in available}
    total = sum(weights.values())
    stock: dict[str, int] = {k[0]: 0 for k in keys}
    given = 0
    for sku, weight in weights.items():
        stock[sku] = product.stock * weight // total
        given += stock[sku]
    # What rounding left goes to the first available variants, one each.
    for sku in list(weights)[: product.stock - given]:
        stock[sku] += 1
    return tuple(Variant(sku, product.sku, size, colour, stock[sku]) for sku, size, colour in keys)
