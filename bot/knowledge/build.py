"""Builds the index from the sources, re-embedding only passages whose text changed."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from bot.knowledge.documents import ChunkOptions
from bot.knowledge.embedder import Embedder, get_embedder
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.index import IndexSpec, build_faiss_index, index_kind, measure_recall
from bot.knowledge.ingest import discover_sources, ingest
from bot.knowledge.passages import Passage, content_hash
from bot.knowledge.store import StoredIndex, load_index, read_manifest, save_index
from bot.settings import setting_default

# Bump when ingestion or vector layout changes, so that existing indexes are rebuilt.
BUILDER_VERSION = 2


@dataclass(frozen=True)
class BuildOptions:
    """Everything that shapes a built index (a change of any of it forces a rebuild).

    Attributes:
        model: Embedding model setting (see :func:`bot.knowledge.embedder.resolve_model`).
        index: Which FAISS index to build.
        chunk: How documents are cut.
        faq_question_vectors: Also embed each FAQ question on its own.
        probe_vectors: Also embed each passage's probes (section headings and sentences,
            product names), so a question that matches one sentence finds its passage.
    """

    model: str
    index: IndexSpec = field(default_factory=IndexSpec)
    chunk: ChunkOptions = field(default_factory=ChunkOptions)
    faq_question_vectors: bool = setting_default("faq_question_vectors")
    probe_vectors: bool = setting_default("probe_vectors")

    def fingerprint(self) -> dict[str, Any]:
        """The options as plain data, kept in the manifest."""
        return {
            "builder": BUILDER_VERSION,
            "index": self.index.to_dict(),
            "chunk": asdict(self.chunk),
            "faq_question_vectors": self.faq_question_vectors,
            "probe_vectors": self.probe_vectors,
        }


@dataclass
class BuildReport:
    """What a build did."""

    folder: Path
    up_to_date: bool = False
    passages: int = 0
    vectors: int = 0
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    index_kind: str = "flat"
    recall_at_10: float = 1.0
    sources: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        if self.up_to_date:
            return f"knowledge index in {self.folder} is up to date ({self.passages} passages)"
        rate = self.embedded / self.seconds if self.seconds else 0.0
        recall = (
            "" if self.index_kind == "flat" else f", recall@10 vs exact {self.recall_at_10:.3f}"
        )
        return (
            f"built {self.folder}: {self.passages} passages from {len(self.sources)} files, "
            f"{self.vectors} vectors ({self.embedded} embedded, {self.reused} reused), "
            f"{self.index_kind} index{recall}, {self.seconds:.1f} s ({rate:.0f} texts/s)"
        )


def vector_texts(passage: Passage, options: BuildOptions) -> list[tuple[str, str]]:
    """The (role, text) pairs embedded for a passage, one vector each; the passage scores
    its best. Roles: ``passage`` (title with text), ``question`` (a FAQ question alone),
    ``heading`` (a section's heading path or a product's name) and ``sentence``."""
    main = passage.text if passage.kind == "product" else f"{passage.title}\n{passage.text}"
    pairs = [("passage", main)]
    if options.faq_question_vectors and passage.question:
        pairs.append(("question", passage.question))
    if options.probe_vectors and passage.probes:
        pairs.append(("heading", passage.probes[0]))
        pairs.extend(("sentence", probe) for probe in passage.probes[1:])
    seen: set[str] = set()
    unique = []
    for role, text in pairs:
        if text.strip() and text not in seen:
            seen.add(text)
            unique.append((role, text))
    return unique


def _cache(folder: Path, model: str) -> dict[str, np.ndarray]:
    """Vectors of the previous build by key, when it used the same model; else nothing."""
    try:
        old = load_index(folder)
    except KnowledgeError:
        return {}
    if old.model != model:
        return {}
    return {key: old.vectors[row] for row, key in enumerate(old.vector_keys)}


def _is_current(
    folder: Path, options: BuildOptions, hashes: dict[str, str]
) -> dict[str, Any] | None:
    try:
        manifest = read_manifest(folder)
    except KnowledgeError:
        return None
    same = (
        manifest.get("sources") == hashes
        and manifest.get("model") == options.model
        and manifest.get("build") == options.fingerprint()
        and (folder / "index.faiss").is_file()
    )
    return manifest if same else None


def build_index(
    sources: list[Path],
    folder: Path,
    options: BuildOptions,
    *,
    embedder: Embedder | None = None,
    force: bool = False,
    progress: bool = False,
) -> BuildReport:
    """Builds (or refreshes) the index in ``folder`` from ``sources``.

    Nothing is done when the sources and options match the existing manifest (unless
    ``force``). Otherwise every source is ingested first, so that a bad file stops the build
    before anything is written; vectors of passages whose text did not change are reused.

    Raises:
        IngestError: A source cannot be read; the existing index is untouched.
    """
    started = time.perf_counter()
    files = discover_sources(sources)
    hashes = {f.name: f.sha256 for f in files}
    current = None if force else _is_current(folder, options, hashes)
    if current is not None:
        return BuildReport(
            folder,
            up_to_date=True,
            passages=int(current.get("passages", 0)),
            vectors=int(current.get("vectors", 0)),
            sources=list(hashes),
        )
    passages = ingest(files, options.chunk)
    cache = _cache(folder, options.model)
    keys: list[str] = []
    texts: list[str] = []
    roles: list[str] = []
    owners: list[int] = []
    for row, passage in enumerate(passages):
        for role, text in vector_texts(passage, options):
            keys.append(f"{passage.id}|{role}|{content_hash(text)}")
            texts.append(text)
            roles.append(role)
            owners.append(row)
    missing = [i for i, key in enumerate(keys) if key not in cache]
    embedder = embedder or get_embedder(options.model)
    fresh = embedder.encode([texts[i] for i in missing], progress=progress)
    dimension = (
        fresh.shape[1]
        if len(missing)
        else next(iter(cache.values())).shape[0]
        if cache
        else embedder.dimension
    )
    vectors = np.zeros((len(keys), dimension), dtype=np.float32)
    for row, key in enumerate(keys):
        if key in cache:
            vectors[row] = cache[key]
    if missing:
        vectors[missing] = fresh
    faiss_index = build_faiss_index(vectors, options.index)
    kind = index_kind(faiss_index)
    recall = measure_recall(faiss_index, vectors)
    manifest = {
        "model": options.model,
        "dimension": int(dimension),
        "normalized": True,
        "metric": "inner_product",
        "index": {"spec": options.index.to_dict(), "kind": kind, "recall_at_10": round(recall, 4)},
        "sources": hashes,
        "passages": len(passages),
        "vectors": len(keys),
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build": options.fingerprint(),
    }
    stored = StoredIndex(
        passages, vectors, np.asarray(owners, dtype=np.int64), keys, faiss_index, manifest, roles
    )
    save_index(stored, folder)
    return BuildReport(
        folder,
        passages=len(passages),
        vectors=len(keys),
        embedded=len(missing),
        reused=len(keys) - len(missing),
        seconds=time.perf_counter() - started,
        index_kind=kind,
        recall_at_10=recall,
        sources=list(hashes),
    )
