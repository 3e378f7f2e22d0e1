"""Hybrid retrieval: the question normalised (spelling corrected to the index's words, shop
synonyms added for BM25), dense (FAISS) + BM25, fused, exact SKU/name matches first, and a
calibrated confidence below which the knowledge base has no answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from bot.knowledge.bm25 import BM25
from bot.knowledge.embedder import Embedder
from bot.knowledge.matching import ExactMatcher
from bot.knowledge.normalize import NormalizedQuery, QueryNormalizer, model_words
from bot.knowledge.passages import Passage
from bot.knowledge.store import StoredIndex
from bot.settings import setting_default


@dataclass(frozen=True)
class RetrievedPassage:
    """A passage found for a question.

    Attributes:
        passage: The passage.
        score: The fused ranking score.
        dense: Best cosine similarity between the question and the passage's vectors, each
            less the offset of its role (see :class:`RetrievalConfig`).
        lexical: BM25 score divided by the score of a passage holding every query term.
        confidence: The value compared with the no-answer threshold: the cosine similarity
            between the (spelling-corrected) question and the passage, as ``dense`` (1.0 for a
            product the question names).
        exact: True when the question names this product (SKU or full name).
    """

    passage: Passage
    score: float
    dense: float
    lexical: float
    confidence: float
    exact: bool = False


@dataclass(frozen=True)
class RetrievalConfig:
    """How candidates are found, fused and cut off.

    Attributes:
        candidates: Passages taken from each of the dense and the BM25 ranking.
        fusion: ``weighted`` (cosine + lexical_weight · normalised BM25 + support_weight ·
            support) or ``rrf`` (reciprocal-rank fusion with constant ``rrf_k``).
        lexical_weight: Weight of normalised BM25 in the weighted fusion (BM25 ranks the
            candidates; the no-answer decision rests on the cosine alone, which is on the same
            scale for every question, where BM25 is not).
        support_weight: Weight, in the weighted fusion, of the passage's second-best vector
            similarity (its "support": a passage whose text, heading and sentences all match
            beats one with a single close sentence).
        rrf_k: Reciprocal-rank constant.
        question_offset: Subtracted from the similarity to a FAQ question vector, and
        heading_offset: from the similarity to a heading or product-name vector: a question
            compared with another question or a title scores higher than with the passage
            that answers it, so these put all vectors on one scale for the threshold.
        min_confidence: No-answer threshold on the top passage's confidence (see
            ``python -m bot kb calibrate``).
        spelling: Correct misspelt words of the question to the index's words first.
        synonyms: Add the shop's words for shoppers' words to the BM25 query
            (:data:`bot.knowledge.normalize.SHOP_SYNONYMS`).
        dense_synonyms: Also embed the question with those words added, and keep each
            passage's better cosine of the two (with ``synonyms`` only).
    """

    candidates: int = 50
    fusion: str = setting_default("retrieval_fusion")
    lexical_weight: float = setting_default("retrieval_lexical_weight")
    support_weight: float = setting_default("retrieval_support_weight")
    rrf_k: int = 60
    question_offset: float = setting_default("retrieval_question_offset")
    heading_offset: float = setting_default("retrieval_heading_offset")
    min_confidence: float = setting_default("retrieval_min_confidence")
    spelling: bool = setting_default("retrieval_spelling")
    synonyms: bool = setting_default("retrieval_synonyms")
    dense_synonyms: bool = True

    def __post_init__(self) -> None:
        if self.fusion not in ("weighted", "rrf"):
            raise ValueError(
                f"fusion must be 'weighted' or 'rrf'. Currently, fusion is {self.fusion!r}"
            )
        if self.candidates <= 0:
            raise ValueError(
                f"candidates must be greater than 0. Currently, candidates is {self.candidates}"
            )


class Retriever(Protocol):
    """Finds the passages that answer a question (empty: the knowledge base cannot)."""

    def retrieve(
        self, query: str, k: int = setting_default("retrieval_top_k")
    ) -> list[RetrievedPassage]:
        """The best ``k`` passages for ``query``, best first; ``[]`` when none is confident."""
        ...


@dataclass
class _Scores:
    dense: np.ndarray
    lexical: np.ndarray
    exact: list[int] = field(default_factory=list)


class HybridRetriever:
    """Dense + BM25 retrieval over a :class:`StoredIndex`.

    Args:
        stored: The loaded index.
        embedder: Embeds questions with the model the index was built with.
        config: Fusion and threshold settings.
    """

    def __init__(
        self, stored: StoredIndex, embedder: Embedder, config: RetrievalConfig | None = None
    ) -> None:
        self.stored = stored
        self.embedder = embedder
        self.config = config or RetrievalConfig()
        self.passages = stored.passages
        self.bm25 = BM25([f"{p.title}\n{p.text}" for p in stored.passages])
        self.matcher = ExactMatcher(stored.passages)
        self._owner = stored.vector_passage
        # Vector rows of each passage, to score a passage exactly without scanning every row.
        order = np.argsort(self._owner, kind="stable")
        counts = (
            np.bincount(self._owner, minlength=len(self.passages))
            if len(self._owner)
            else np.zeros(0, int)
        )
        self._rows_of = np.split(order, np.cumsum(counts)[:-1]) if len(self.passages) else []
        offsets = {"question": self.config.question_offset, "heading": self.config.heading_offset}
        roles = stored.vector_roles or ["passage"] * len(stored.vector_keys)
        self._offset = np.asarray([offsets.get(role, 0.0) for role in roles], dtype=np.float32)
        self.normalizer: QueryNormalizer | None = None
        if self.config.spelling or self.config.synonyms:
            self.normalizer = QueryNormalizer(
                (f"{p.title}\n{p.text}" for p in stored.passages),
                _model_words(stored),
                None if self.config.synonyms else {},
                spelling=self.config.spelling,
            )

    def normalize(self, query: str) -> NormalizedQuery:
        """The question as it is embedded (spelling corrected) and scored by BM25 (with synonyms)."""
        query = " ".join(query.split())
        return self.normalizer(query) if self.normalizer else NormalizedQuery(query, query)

    def _dense(self, vector: np.ndarray) -> dict[int, float]:
        """Best cosine per passage among the nearest vectors."""
        rows_wanted = min(self.stored.faiss_index.ntotal, self.config.candidates * 3)
        if rows_wanted == 0:
            return {}
        scores, rows = self.stored.faiss_index.search(vector[None, :], rows_wanted)
        best: dict[int, float] = {}
        for score, row in zip(scores[0].tolist(), rows[0].tolist()):
            if row < 0:
                continue
            passage = int(self._owner[row])
            score -= float(self._offset[row])
            if score > best.get(passage, -1.0):
                best[passage] = score
        return best

    def _exact_dense(self, vector: np.ndarray, passage_rows: list[int]) -> dict[int, float]:
        """Exact best cosine of chosen passages (those found by BM25 or by name only)."""
        result = {}
        for row in passage_rows:
            mine = self._rows_of[row]
            scores = self.stored.vectors[mine] @ vector - self._offset[mine]
            result[row] = float(scores.max()) if len(mine) else 0.0
        return result

    def _support(self, vector: np.ndarray, passage_rows: list[int]) -> dict[int, float]:
        """Second-best similarity among each passage's vectors (its best if it has one)."""
        rows_of = [self._rows_of[row] for row in passage_rows]
        if not rows_of:
            return {}
        every = np.concatenate(rows_of)
        similarities = self.stored.vectors[every] @ vector - self._offset[every]
        result, start = {}, 0
        for row, mine in zip(passage_rows, rows_of):
            own = similarities[start : start + len(mine)]
            start += len(mine)
            if len(own) == 0:
                result[row] = 0.0
            elif len(own) == 1:
                result[row] = float(own[0])
            else:
                result[row] = float(np.partition(own, -2)[-2])
        return result

    def score(self, query: str) -> list[RetrievedPassage]:
        """Every candidate passage with its scores, best first (no threshold applied)."""
        normalized = self.normalize(query)
        if not normalized.text or not self.passages:
            return []
        # The question as written and with the shop's words for the shopper's ("parcel gone
        # missing" also as "… package lost"): each passage keeps the better of the two cosines.
        texts = [normalized.text]
        if self.config.dense_synonyms and normalized.expanded != normalized.text:
            texts.append(normalized.expanded)
        vectors = list(self.embedder.encode(texts))
        dense = _best_of([self._dense(v) for v in vectors])
        bm25 = self.bm25.scores(normalized.expanded)
        ceiling = self.bm25.max_score(normalized.expanded) or 1.0
        top_lexical = [int(r) for r in np.argsort(-bm25)[: self.config.candidates] if bm25[r] > 0]
        dense_top = sorted(dense, key=dense.get, reverse=True)[: self.config.candidates]  # type: ignore[arg-type]
        exact = self.matcher.match(normalized.text)
        rows = list(dict.fromkeys([*exact, *dense_top, *top_lexical]))
        missing = [r for r in rows if r not in dense]
        dense.update(_best_of([self._exact_dense(v, missing) for v in vectors]))
        lexical = {r: float(bm25[r]) / ceiling for r in rows}
        dense_rank = {r: i for i, r in enumerate(sorted(rows, key=lambda r: -dense[r]))}
        lexical_rank = {r: i for i, r in enumerate(sorted(rows, key=lambda r: -lexical[r]))}
        results = []
        weight, support_weight = self.config.lexical_weight, self.config.support_weight
        support = (
            _best_of([self._support(v, rows) for v in vectors])
            if support_weight and self.config.fusion == "weighted"
            else {}
        )
        for row in rows:
            confidence = dense[row]
            if self.config.fusion == "rrf":
                fused = 1 / (self.config.rrf_k + dense_rank[row])
                if lexical[row] > 0:
                    fused += 1 / (self.config.rrf_k + lexical_rank[row])
            else:
                fused = dense[row] + weight * lexical[row] + support_weight * support.get(row, 0.0)
            is_exact = row in exact
            if is_exact:  # named products come first, in the order they were named
                fused = 10.0 - exact.index(row) * 0.01
                confidence = max(confidence, 1.0)
            results.append(
                RetrievedPassage(
                    self.passages[row], fused, dense[row], lexical[row], confidence, is_exact
                )
            )
        results.sort(key=lambda r: -r.score)
        return results

    def retrieve(
        self, query: str, k: int = setting_default("retrieval_top_k")
    ) -> list[RetrievedPassage]:
        """The best ``k`` passages, or ``[]`` when the best is below the no-answer threshold."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        results = self.score(query)
        if not results or results[0].confidence < self.config.min_confidence:
            return []
        return results[:k]


def _best_of(scores: list[dict[int, float]]) -> dict[int, float]:
    """Each passage's best score among the query's vectors."""
    best: dict[int, float] = {}
    for mine in scores:
        for row, value in mine.items():
            if value > best.get(row, -2.0):
                best[row] = value
    return best


def _model_words(stored: StoredIndex) -> frozenset[str]:
    """Ordinary words the index's model knows (its tokenizer's whole words), if it has them."""
    try:
        from bot.knowledge.embedder import resolve_model

        return model_words(resolve_model(str(stored.manifest.get("model", ""))))
    except Exception:  # noqa: BLE001 - no vocabulary only means fewer words count as known
        return frozenset()
