"""Finding products for a request: relevance from the knowledge index (FAISS product vectors and
BM25 over the catalogue), then the hard filters, which are never broken. When nothing passes, the
nearest products are offered with the constraints they miss."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.commerce.catalogue import Catalogue, CatalogueProduct
from bot.knowledge.bm25 import BM25
from bot.recommend.filters import (
    Miss,
    colour_matches,
    misses,
    of_kind,
    product_text,
    size_matches,
    sizes_in_stock,
)
from bot.recommend.request import Request
from bot.recommend.vocabulary import USES

_USES_BY_LABEL = {kind.label: kind for kind in USES.values()}
# How much a miss weighs when the nearest alternatives are chosen: a product of another kind is a
# worse alternative than one a few euros over budget.
_MISS_WEIGHT = {"kind": 5.0, "recipient": 3.0, "feature": 4.0, "excluded": 4.0}
_MISS_DEFAULT = 1.0


class Relevance(Protocol):
    """How well each product matches the words of a request (higher is better)."""

    def scores(self, query: str) -> Mapping[str, float]:
        """Relevance per SKU of the products that match ``query`` at all."""
        ...


class CatalogueBM25:
    """BM25 over the catalogue's own text (name, subcategory, tags, attributes, description)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._skus = [p.sku for p in catalogue]
        self._bm25 = BM25([product_text(p) for p in catalogue])

    def scores(self, query: str) -> Mapping[str, float]:
        """Normalised BM25 per SKU (1.0 for a product holding every word of the query)."""
        raw = self._bm25.scores(query)
        ceiling = self._bm25.max_score(query) or 1.0
        return {sku: float(s) / ceiling for sku, s in zip(self._skus, raw) if s > 0}


@dataclass(frozen=True)
class Nearest:
    """A product that misses some constraints, and which."""

    product: CatalogueProduct
    missed: tuple[Miss, ...]


@dataclass(frozen=True)
class SearchResult:
    """Products that meet every hard constraint, best first, or the nearest that do not."""

    request: Request
    fits: tuple[CatalogueProduct, ...]
    nearest: tuple[Nearest, ...] = field(default=())


StockOf = Callable[[CatalogueProduct], int]


def _preference(product: CatalogueProduct, request: Request) -> float:
    """Soft preferences: the activity named beside a kind, a gift, a low price when asked."""
    bonus = 0.0
    for label in request.uses:
        use = _USES_BY_LABEL.get(label)
        if use is not None and of_kind(product, use):
            bonus += 0.5
    if request.gift and "gift" in product.tags:
        bonus += 0.3
    # A returning shopper's sizes and colours (their profile) come first, other things equal.
    if request.preferred_sizes and not request.size:
        sizes = sizes_in_stock(product)
        if any(size_matches(sizes, size) for size in request.preferred_sizes):
            bonus += 0.4
    if any(colour_matches(product, c) for c in request.preferred_colours if not request.colour):
        bonus += 0.2
    return bonus


def _weight(miss: Miss, product: CatalogueProduct, request: Request) -> float:
    """How far a miss puts a product from the request (over budget: by how much)."""
    if miss.constraint == "budget" and request.max_price and product.price > request.max_price:
        return _MISS_DEFAULT + float((product.price - request.max_price) / request.max_price)
    return _MISS_WEIGHT.get(miss.constraint, _MISS_DEFAULT)


def search(
    request: Request,
    catalogue: Catalogue,
    relevance: Relevance,
    limit: int = 3,
    stock_of: StockOf | None = None,
) -> SearchResult:
    """The products for ``request``.

    Args:
        request: What the shopper asked for.
        catalogue: Every product.
        relevance: Scores products against the request's words (the knowledge index or BM25).
        limit: How many products to return.
        stock_of: Units that can be bought per product (default: the catalogue's stock).

    Returns:
        Up to ``limit`` products meeting every hard constraint; when there is none, up to
        ``limit`` nearest products with the constraints each one misses.
    """
    if limit <= 0:
        raise ValueError(f"limit must be greater than 0. Currently, limit is {limit}")
    query = request.text
    if request.similar_to and (anchor := catalogue.get(request.similar_to)) is not None:
        query = f"{anchor.name} {anchor.subcategory or ''} {' '.join(anchor.tags)}"
    scores = relevance.scores(query) if query.strip() else {}
    skip = set(request.skip)
    ranked: list[tuple[float, CatalogueProduct, list[Miss]]] = []
    for product in catalogue:
        if product.sku in skip or product.sku == request.similar_to:
            continue
        stock = stock_of(product) if stock_of else None
        score = scores.get(product.sku, 0.0) + _preference(product, request)
        ranked.append((score, product, misses(product, request, stock)))
    fitting = [(s, p) for s, p, m in ranked if not m]
    if request.cheap:
        fitting.sort(key=lambda item: (item[1].price, -item[0]))
    else:
        fitting.sort(key=lambda item: (-item[0], item[1].price))
    if fitting:
        return SearchResult(request, tuple(p for _, p in fitting[:limit]))
    near = [
        (sum(_weight(m, p, request) for m in missed), -s, p.price, p, missed)
        for s, p, missed in ranked
        if all(m.constraint != "stock" for m in missed)  # never offer what cannot be bought
    ]
    near.sort(key=lambda item: item[:3])
    nearest = tuple(Nearest(p, tuple(missed)) for *_, p, missed in near[:limit])
    return SearchResult(request, (), nearest)
