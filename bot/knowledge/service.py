"""The knowledge part as the rest of the assistant uses it, configured from the settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.knowledge.build import BuildOptions
from bot.knowledge.documents import ChunkOptions
from bot.knowledge.embedder import get_embedder
from bot.knowledge.errors import IndexCorruptError, IndexNotFoundError, ModelMismatchError
from bot.knowledge.holder import Holder
from bot.knowledge.index import IndexSpec
from bot.knowledge.retrieve import HybridRetriever, RetrievalConfig
from bot.knowledge.store import load_index
from bot.settings import Settings, get_settings


def build_options(settings: Settings | None = None) -> BuildOptions:
    """How ``kb build`` builds, from the settings."""
    settings = settings or get_settings()
    spec = IndexSpec(
        kind=settings.index_type,
        approx_above=settings.index_approx_above,
        ef_search=settings.hnsw_ef_search,
        nprobe=settings.ivf_nprobe,
    )
    chunk = ChunkOptions(
        max_words=settings.chunk_max_words,
        overlap_words=settings.chunk_overlap_words,
        site_url=settings.site_url,
    )
    return BuildOptions(
        model=settings.embedding_model,
        index=spec,
        chunk=chunk,
        faq_question_vectors=settings.faq_question_vectors,
        probe_vectors=settings.probe_vectors,
    )


def retrieval_config(settings: Settings | None = None) -> RetrievalConfig:
    """Fusion and threshold settings."""
    settings = settings or get_settings()
    return RetrievalConfig(
        fusion=settings.retrieval_fusion,
        lexical_weight=settings.retrieval_lexical_weight,
        support_weight=settings.retrieval_support_weight,
        question_offset=settings.retrieval_question_offset,
        heading_offset=settings.retrieval_heading_offset,
        min_confidence=settings.retrieval_min_confidence,
        spelling=settings.retrieval_spelling,
        synonyms=settings.retrieval_synonyms,
    )


def load_retriever(
    index_dir: Path | None = None, settings: Settings | None = None
) -> HybridRetriever:
    """A retriever over the index in ``index_dir`` (default: the configured one).

    Raises:
        IndexNotFoundError, IndexCorruptError, ModelMismatchError: See :func:`load_index`.
    """
    settings = settings or get_settings()
    import faiss
    import torch

    # FAISS's OpenMP setting also changes torch's thread count, so set both, FAISS first.
    faiss.omp_set_num_threads(max(1, settings.faiss_threads))
    torch.set_num_threads(max(1, settings.embedding_threads))
    stored = load_index(
        Path(index_dir or settings.index_dir), expected_model=settings.embedding_model
    )
    embedder = get_embedder(
        settings.embedding_model,
        settings.embedding_batch_size,
        settings.embedding_runtime,
        settings.embedding_cache_dir,
        max(1, settings.embedding_threads),
    )
    embedder.warm_up()
    return HybridRetriever(stored, embedder, retrieval_config(settings))


def describe(retriever: HybridRetriever) -> dict[str, Any]:
    """Facts about a loaded retriever for status pages."""
    manifest = retriever.stored.manifest
    return {
        "passages": len(retriever.passages),
        "vectors": int(manifest.get("vectors", 0)),
        "model": manifest.get("model"),
        "index_kind": manifest.get("index", {}).get("kind"),
        "created_at": manifest.get("created_at"),
    }


@lru_cache(maxsize=1)
def get_holder() -> Holder[HybridRetriever]:
    """The process-wide retriever holder (loads the configured index on first use)."""
    return Holder(load_retriever, describe)


def index_state(
    holder: Holder[HybridRetriever] | None = None, index_dir: Path | None = None
) -> str:
    """The knowledge index's state in words, for ``/ready``: ``loaded``, ``loading`` (no load
    finished yet), ``missing: <folder>``, ``corrupt: <what is wrong>``, ``model mismatch: …``
    or ``unavailable: …`` (any other failure to load)."""
    holder = holder or get_holder()
    if holder.status()["loaded"]:
        return "loaded"
    failure = holder.last_failure
    if failure is None:
        return "loading"
    if isinstance(failure, IndexNotFoundError):
        return f"missing: {index_dir or get_settings().index_dir}"
    if isinstance(failure, IndexCorruptError):
        return f"corrupt: {failure}"
    if isinstance(failure, ModelMismatchError):
        return f"model mismatch: {failure}"
    return f"unavailable: {type(failure).__name__}: {failure}"
