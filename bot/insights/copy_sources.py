"""What product copy may rest on: the products' catalogue records and the shop's policies.

A product's evidence is the passage the knowledge index holds for it (name, category, price,
stock, description, attributes), the same text the chat replies are checked against. The policies
are the knowledge base's non-product passages nearest to what a shopper of the product would ask
(free shipping, returns or final sale, warranty, care): found by the knowledge index's retriever,
or by BM25 over the knowledge folder's own documents where no index loads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.commerce.catalogue import Catalogue, CatalogueProduct
from bot.knowledge.bm25 import BM25
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.ingest import discover_sources, ingest
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import Retriever
from bot.recommend.filters import product_text
from bot.recommend.reasons import product_passage

log = logging.getLogger(__name__)

MAX_POLICIES = 4
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Evidence:
    """One passage a draft may state facts from.

    Attributes:
        id: ``product:<sku>`` or the knowledge passage's id.
        title: The product's name or the passage's heading.
        text: The passage's text.
        kind: ``product`` or the knowledge passage's kind (``section``, ``faq`` …).
    """

    id: str
    title: str
    text: str
    kind: str

    @property
    def checked_text(self) -> str:
        """The text the grounding check reads: the title on the first line, then the text."""
        return f"{self.title}\n{self.text}"


def product_evidence(product: CatalogueProduct) -> Evidence:
    """The catalogue record of ``product`` as a passage (the knowledge index's text of it)."""
    return Evidence(f"product:{product.sku}", product.name, product_passage(product), "product")


def search_products(
    catalogue: Catalogue, query: str, limit: int = SEARCH_LIMIT
) -> list[CatalogueProduct]:
    """Products whose SKU, name, category, tags, attributes or description hold every word of
    ``query`` (case-insensitive), best matches of the name first; the first ``limit``.

    Raises:
        ValueError: ``limit`` is not positive.
    """
    if limit <= 0:
        raise ValueError(f"limit must be greater than 0. Currently, limit is {limit}")
    words = query.lower().split()
    if not words:
        return list(catalogue)[:limit]
    found = [
        p
        for p in catalogue
        if all(w in product_text(p).lower() or w in p.sku.lower() for w in words)
    ]
    found.sort(key=lambda p: -sum(w in p.name.lower() for w in words))
    return found[:limit]


def policy_queries(product: CatalogueProduct) -> list[str]:
    """What a shopper of ``product`` would ask about the shop's policies."""
    queries = ["free shipping threshold"]
    if product.final_sale:
        queries.append("final sale items cannot be returned")
    else:
        queries.append(f"return window for {product.category.lower()}")
    queries.append(f"warranty on {(product.subcategory or product.category).lower()}")
    material = str(product.attributes.get("material", "")).split(",")[0].strip()
    if material:
        queries.append(f"caring for {material}")
    return queries


class PolicySource(Protocol):
    """Finds the shop's policy passages that bear on some products."""

    def passages_for(self, products: Sequence[CatalogueProduct]) -> list[Evidence]:
        """The policy passages for ``products``, nearest first, at most :data:`MAX_POLICIES`."""
        ...


def _gather(
    products: Sequence[CatalogueProduct], best: Callable[[str], Passage | None]
) -> list[Evidence]:
    chosen: dict[str, Evidence] = {}
    for product in products:
        for query in policy_queries(product):
            passage = best(query)
            if passage is not None and passage.id not in chosen:
                chosen[passage.id] = Evidence(passage.id, passage.title, passage.text, passage.kind)
            if len(chosen) >= MAX_POLICIES:
                return list(chosen.values())
    return list(chosen.values())


class RetrieverPolicies:
    """Policy passages found by the knowledge index's retriever (products' passages skipped)."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever

    def _best(self, query: str) -> Passage | None:
        found = self.retriever.retrieve(query, k=5)
        return next((r.passage for r in found if r.passage.kind != "product"), None)

    def passages_for(self, products: Sequence[CatalogueProduct]) -> list[Evidence]:
        """See :class:`PolicySource`."""
        return _gather(products, self._best)


class LexicalPolicies:
    """Policy passages ranked by BM25 over the knowledge folder's documents and FAQ (no index,
    no embedder: the fallback where the knowledge index does not load)."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = [p for p in passages if p.kind != "product"]
        if not self.passages:
            raise ValueError("the knowledge base holds no policy passages (only products)")
        self._bm25 = BM25([f"{p.title}\n{p.text}" for p in self.passages])

    @classmethod
    def from_folder(cls, folder: Path) -> LexicalPolicies:
        """The policy passages of the knowledge folder (its documents and FAQ, as ``kb build``
        cuts them)."""
        return cls(ingest(discover_sources([folder])))

    def _best(self, query: str) -> Passage | None:
        scores = self._bm25.scores(query)
        best = int(scores.argmax())
        return self.passages[best] if scores[best] > 0 else None

    def passages_for(self, products: Sequence[CatalogueProduct]) -> list[Evidence]:
        """See :class:`PolicySource`."""
        return _gather(products, self._best)


class IndexPolicies:
    """Policy passages from the knowledge index, loaded on the first draft (not before: choosing
    products needs no index); BM25 over the knowledge folder where the index does not load."""

    def __init__(self, load_retriever: Callable[[], Retriever], folder: Path) -> None:
        self._load_retriever = load_retriever
        self._folder = folder
        self._source: PolicySource | None = None
        self._lock = threading.Lock()

    def _chosen(self) -> PolicySource:
        with self._lock:
            if self._source is None:
                try:
                    self._source = RetrieverPolicies(self._load_retriever())
                except KnowledgeError as error:
                    log.warning("copy drafts find policies without the knowledge index: %s", error)
                    self._source = LexicalPolicies.from_folder(self._folder)
            return self._source

    def passages_for(self, products: Sequence[CatalogueProduct]) -> list[Evidence]:
        """See :class:`PolicySource`."""
        return self._chosen().passages_for(products)
