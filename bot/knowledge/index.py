"""FAISS vector indexes: exact inner product, or HNSW / IVF above a size, with recall measured.

Vectors are L2-normalised, so inner product is cosine similarity.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.settings import setting_default

if TYPE_CHECKING:
    import faiss

INDEX_TYPES = ("auto", "flat", "hnsw", "ivf")


@dataclass(frozen=True)
class IndexSpec:
    """Which FAISS index to build and how to search it.

    Attributes:
        kind: ``flat`` (exact), ``hnsw``, ``ivf`` or ``auto`` (flat up to ``approx_above``
            vectors, HNSW beyond).
        approx_above: Vector count above which ``auto`` picks HNSW.
        hnsw_m: HNSW links per node.
        ef_construction: HNSW build-time beam width.
        ef_search: HNSW search-time beam width (recall vs speed).
        nlist: IVF cells (0: about 4·sqrt(n)).
        nprobe: IVF cells visited per query.
    """

    kind: str = setting_default("index_type")
    approx_above: int = setting_default("index_approx_above")
    hnsw_m: int = 32
    ef_construction: int = 100
    ef_search: int = setting_default("hnsw_ef_search")
    nlist: int = 0
    nprobe: int = setting_default("ivf_nprobe")

    def __post_init__(self) -> None:
        if self.kind not in INDEX_TYPES:
            raise ValueError(
                f"index kind must be one of {INDEX_TYPES}. Currently, kind is {self.kind!r}"
            )

    def resolved(self, count: int) -> str:
        """The concrete kind for ``count`` vectors."""
        if self.kind != "auto":
            return self.kind
        return "hnsw" if count > self.approx_above else "flat"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the manifest."""
        return asdict(self)


def build_faiss_index(vectors: np.ndarray, spec: IndexSpec) -> faiss.Index:
    """A FAISS index over ``vectors`` (row i of the index is row i of ``vectors``)."""
    import faiss

    count, dimension = vectors.shape
    kind = spec.resolved(count)
    if kind == "flat":
        index: faiss.Index = faiss.IndexFlatIP(dimension)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, spec.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = spec.ef_construction
    else:
        nlist = spec.nlist or max(1, min(count // 39, int(4 * np.sqrt(max(count, 1)))))
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFFlat(quantizer, dimension, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
    if count:
        index.add(vectors)
    configure_search(index, spec)
    return index


def configure_search(index: faiss.Index, spec: IndexSpec) -> None:
    """Applies the search-time parameters (efSearch / nprobe) to a built or loaded index."""
    import faiss

    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = spec.ef_search
    elif isinstance(index, faiss.IndexIVF):
        index.nprobe = spec.nprobe


def index_kind(index: faiss.Index) -> str:
    """``flat``, ``hnsw`` or ``ivf``."""
    import faiss

    if isinstance(index, faiss.IndexHNSW):
        return "hnsw"
    if isinstance(index, faiss.IndexIVF):
        return "ivf"
    return "flat"


def measure_recall(
    index: faiss.Index, vectors: np.ndarray, k: int = 10, queries: int = 200, seed: int = 0
) -> float:
    """Recall@k of ``index`` against exact search over ``vectors``.

    Queries are stored vectors with a little noise, so that they are near, not on, the data.
    Returns 1.0 for an exact index.
    """
    import faiss

    if index_kind(index) == "flat" or len(vectors) == 0:
        return 1.0
    rng = np.random.default_rng(seed)
    picked = vectors[rng.choice(len(vectors), size=min(queries, len(vectors)), replace=False)]
    probes = picked + rng.normal(scale=0.05, size=picked.shape).astype(np.float32)
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    k = min(k, len(vectors))
    _, truth = exact.search(probes, k)
    _, found = index.search(probes, k)
    hits = sum(len(set(t) & set(f)) for t, f in zip(truth.tolist(), found.tolist()))
    return hits / truth.size


def serialize(index: faiss.Index) -> bytes:
    """The index as bytes (written to ``index.faiss``)."""
    import faiss

    return faiss.serialize_index(index).tobytes()


def deserialize(data: bytes, spec: IndexSpec) -> faiss.Index:
    """An index read back from :func:`serialize`, with the search parameters of ``spec``."""
    import faiss

    index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
    configure_search(index, spec)
    return index
