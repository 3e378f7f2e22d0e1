"""The hard constraints of a request, checked on one product: each one a product misses is
named, so that "nothing fits" can say which constraint the nearest products miss."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.commerce.catalogue import CatalogueProduct
from bot.commerce.variants import product_variants
from bot.recommend.request import Request
from bot.recommend.vocabulary import COLOURS, FEATURES, KINDS, USES, Kind

KIDS = re.compile(r"\bkids'?\b|\bchildren'?s?\b", re.I)
_INCHES = re.compile(r"(\d{2}(?:\.\d)?)-inch")
_NEGATED = re.compile(r"\b(?:not|no|non|never)[- ](?:\w+[- ])?$")
_KINDS_BY_LABEL = {kind.label: kind for kind in KINDS.values()}
_USES_BY_LABEL = {kind.label: kind for kind in USES.values()}


@dataclass(frozen=True)
class Miss:
    """One hard constraint a product does not meet, in words ("over €30")."""

    constraint: str
    text: str


def product_text(product: CatalogueProduct) -> str:
    """Everything the catalogue says about a product, lower-case, for feature matching."""
    attributes = " ".join(
        " ".join(map(str, v)) if isinstance(v, list) else str(v)
        for v in product.attributes.values()
    )
    return " ".join(
        [product.name, product.subcategory or "", " ".join(product.tags), attributes,
         product.description]
    ).lower()  # fmt: skip


def says(text: str, word: str) -> bool:
    """``text`` states ``word`` (whole word, not negated: "not waterproof" does not count)."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w])", text):
        if not _NEGATED.search(text[max(0, match.start() - 20) : match.start()]):
            return True
    return False


def of_kind(product: CatalogueProduct, kind: Kind) -> bool:
    """The product is of ``kind`` (subcategory, category, or a tag inside ``kind.within``)."""
    if product.subcategory in kind.subcategories or product.category in kind.categories:
        return True
    if kind.within is not None and product.category != kind.within:
        return False
    return bool(kind.tags & set(product.tags))


def has_feature(product: CatalogueProduct, feature: str) -> bool:
    """The catalogue states the feature for this product."""
    text = product_text(product)
    return any(says(text, word) for word in FEATURES[feature][1])


def fits_laptop(product: CatalogueProduct, inches: float) -> bool:
    """The product names a laptop size at least ``inches`` it holds."""
    text = product_text(product)
    sizes = [float(size) for size in _INCHES.findall(text)]
    return "laptop" in text and any(size >= inches for size in sizes)


def colour_matches(product: CatalogueProduct, colour: str) -> bool:
    """The product's colour belongs to the family ``colour`` ("navy" is blue)."""
    value = str(product.attributes.get("colour") or "").lower()
    return any(says(value, word) for word in COLOURS.get(colour, (colour,)))


def size_matches(sizes: list[str], size: str) -> bool:
    """``size`` is among ``sizes`` or inside one of their ranges ("42" in "40-43")."""
    wanted = size.upper()
    for offered in sizes:
        label = offered.upper()
        if label == wanted or wanted in label.split(" ")[0].split("/"):
            return True
        bounds = re.findall(r"\d+", label)
        if wanted.isdigit() and len(bounds) == 2 and "-" in label and "MM" not in label:
            if int(bounds[0]) <= int(wanted) <= int(bounds[1]):
                return True
    return False


def product_sizes(product: CatalogueProduct) -> list[str]:
    """The sizes the catalogue lists for the product (empty when it has none)."""
    sizes = product.attributes.get("sizes") or []
    return [str(s) for s in sizes] if isinstance(sizes, list) else []


def sizes_in_stock(product: CatalogueProduct, colour: str | None = None) -> list[str]:
    """Sizes that can be bought: those of variants with stock (in ``colour``, when a product
    comes in several), or every listed size of a product without variants."""
    variants = product_variants(product)
    if not variants:
        return product_sizes(product) if product.stock > 0 else []
    several = len({v.colour for v in variants}) > 1
    return [
        v.size
        for v in variants
        if v.stock > 0 and (not colour or not several or _colour_word(v.colour, colour))
    ]


def _colour_word(value: str, colour: str) -> bool:
    return any(says(value.lower(), word) for word in COLOURS.get(colour, (colour,)))


def for_kids(product: CatalogueProduct) -> bool:
    """A children's product."""
    return bool(KIDS.search(product.name)) or "kids" in product.tags


def misses(product: CatalogueProduct, request: Request, stock: int | None = None) -> list[Miss]:
    """Every hard constraint of ``request`` the product misses (empty: it fits).

    Args:
        product: The product.
        request: The request.
        stock: Units that can be bought (default: the catalogue's stock).
    """
    found: list[Miss] = []
    available = product.stock if stock is None else stock
    if available <= 0:
        found.append(Miss("stock", "out of stock"))
    kinds = [_KINDS_BY_LABEL[k] for k in request.kinds if k in _KINDS_BY_LABEL]
    if kinds and not any(of_kind(product, kind) for kind in kinds):
        label = request.kinds[0]
        found.append(Miss("kind", f"not {label}" if label.endswith("s") else f"not a {label}"))
    elif not kinds and request.uses:  # an activity alone is the kind ("something for hiking")
        uses = [_USES_BY_LABEL[u] for u in request.uses if u in _USES_BY_LABEL]
        if uses and not any(of_kind(product, use) for use in uses):
            found.append(Miss("kind", f"not for {request.uses[0]}"))
    if request.max_price is not None and product.price > request.max_price:
        found.append(Miss("budget", f"over €{request.max_price:.2f}"))
    if request.min_price is not None and product.price < request.min_price:
        found.append(Miss("budget", f"under €{request.min_price:.2f}"))
    for feature in request.features:
        if feature in FEATURES and not has_feature(product, feature):
            found.append(Miss("feature", f"not {feature}"))
    if request.laptop_inches and not fits_laptop(product, request.laptop_inches):
        found.append(Miss("feature", f"does not fit a {request.laptop_inches:g}-inch laptop"))
    if request.colour and not colour_matches(product, request.colour):
        found.append(Miss("colour", f"not in {request.colour}"))
    if request.size and not size_matches(product_sizes(product), request.size):
        found.append(Miss("size", f"not in size {request.size}"))
    elif request.size and not size_matches(sizes_in_stock(product, request.colour), request.size):
        found.append(Miss("size", f"size {request.size} sold out"))
    if request.kid and not for_kids(product):
        found.append(Miss("recipient", "not made for children"))
    text = product_text(product)
    for word in request.excluded:
        words = FEATURES[word][1] if word in FEATURES else (word,)
        if any(says(text, w) for w in words):
            found.append(Miss("excluded", f"has {word}"))
    return found
