"""Relevance of products from the knowledge index: the FAISS product vectors and BM25 that
answer product questions, restricted to the catalogue's product passages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bot.knowledge.retrieve import RetrievedPassage


class Scorer(Protocol):
    """What the index's retriever offers here (:class:`bot.knowledge.retrieve.HybridRetriever`)."""

    def score(self, query: str) -> list[RetrievedPassage]:
        """Every candidate passage with its scores, best first."""
        ...


class IndexRelevance:
    """Fused dense + BM25 scores of the product passages, divided by the best one's.

    Args:
        retriever: The knowledge index's retriever.
    """

    def __init__(self, retriever: Scorer) -> None:
        self.retriever = retriever

    def scores(self, query: str) -> Mapping[str, float]:
        """Relevance per SKU (the best product 1.0)."""
        found: dict[str, float] = {}
        for hit in self.retriever.score(query):
            passage = hit.passage
            if passage.kind != "product":
                continue
            sku = passage.sku or passage.id.removeprefix("product:")
            if sku and sku not in found:
                found[sku] = max(hit.score, 0.0)
        top = max(found.values(), default=0.0) or 1.0
        return {sku: score / top for sku, score in found.items()}
