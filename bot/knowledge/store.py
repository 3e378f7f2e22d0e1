"""The index on disk: FAISS index, vectors, passages in row order and a manifest.

Folder layout (all written at once, see :mod:`bot.knowledge.atomic`)::

    manifest.json     model, dimension, normalisation, index kind, source hashes, created at
    passages.jsonl    one passage per line, in passage order
    vectors.npy       float32 embeddings, one row per vector (several per FAQ entry)
    vector_map.json   for each vector row: its passage row and its cache key
    index.faiss       the FAISS index over vectors.npy (row i = vector i)
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.knowledge.atomic import folder_writer
from bot.knowledge.errors import IndexCorruptError, IndexNotFoundError, ModelMismatchError
from bot.knowledge.index import IndexSpec, deserialize, serialize
from bot.knowledge.passages import Passage

FORMAT_VERSION = 1
FILES = ("manifest.json", "passages.jsonl", "vectors.npy", "vector_map.json", "index.faiss")


@dataclass
class StoredIndex:
    """A built index in memory.

    Attributes:
        passages: Passages in row order.
        vectors: Unit-length embeddings, one row per vector.
        vector_passage: For each vector row, the row of its passage.
        vector_keys: For each vector row, the key it is reused by (passage id + text hash).
        faiss_index: The FAISS index over ``vectors``.
        manifest: What ``manifest.json`` says.
        vector_roles: For each vector row, what was embedded (see ``build.vector_texts``).
    """

    passages: list[Passage]
    vectors: np.ndarray
    vector_passage: np.ndarray
    vector_keys: list[str]
    faiss_index: Any
    manifest: dict[str, Any] = field(default_factory=dict)
    vector_roles: list[str] = field(default_factory=list)

    @property
    def model(self) -> str:
        """Name of the embedding model the index was built with."""
        return str(self.manifest.get("model", ""))


def save_index(stored: StoredIndex, folder: Path) -> None:
    """Writes ``stored`` to ``folder`` atomically (the old folder stays until the new is whole)."""
    with folder_writer(folder) as temporary:
        with open(temporary / "passages.jsonl", "w", encoding="utf-8") as handle:
            handle.writelines(p.to_json() + "\n" for p in stored.passages)
        np.save(temporary / "vectors.npy", stored.vectors, allow_pickle=False)
        roles = stored.vector_roles or ["passage"] * len(stored.vector_keys)
        vector_map = {
            "passage": stored.vector_passage.tolist(),
            "key": stored.vector_keys,
            "role": roles,
        }
        (temporary / "vector_map.json").write_text(json.dumps(vector_map), encoding="utf-8")
        (temporary / "index.faiss").write_bytes(serialize(stored.faiss_index))
        manifest = {**stored.manifest, "format_version": FORMAT_VERSION}
        (temporary / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of the index in ``folder``.

    Raises:
        IndexNotFoundError: No index there.
        IndexCorruptError: The manifest is unreadable.
    """
    path = folder / "manifest.json"
    if not path.is_file():
        raise IndexNotFoundError(
            f"no knowledge index in {folder} (build one with: python -m bot kb build)"
        )
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise IndexCorruptError(f"{path}: unreadable manifest ({error})") from error


def _read_all(folder: Path) -> dict[str, bytes]:
    """Every index file, read through one handle on the folder, so that a folder swapped in
    the meantime cannot mix old and new files."""
    if not (folder / "manifest.json").is_file():
        raise IndexNotFoundError(
            f"no knowledge index in {folder} (build one with: python -m bot kb build)"
        )
    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        contents = {}
        for name in FILES:
            try:
                file_fd = os.open(name, os.O_RDONLY, dir_fd=folder_fd)
            except FileNotFoundError as error:
                raise IndexCorruptError(f"{folder / name}: missing; rebuild the index") from error
            with os.fdopen(file_fd, "rb") as handle:
                contents[name] = handle.read()
        return contents
    finally:
        os.close(folder_fd)


def load_index(folder: Path, expected_model: str | None = None) -> StoredIndex:
    """Reads the index in ``folder`` and checks that its parts agree.

    Args:
        folder: The index folder.
        expected_model: The embedding model queries will use; ``None`` skips the check.

    Raises:
        IndexNotFoundError: No index in ``folder``.
        IndexCorruptError: Missing, unreadable or inconsistent files.
        ModelMismatchError: The index was built with another model than ``expected_model``.
    """
    files = _read_all(folder)
    try:
        manifest = json.loads(files["manifest.json"])
        passages = [
            Passage.from_dict(json.loads(line))
            for line in files["passages.jsonl"].splitlines()
            if line.strip()
        ]
        vector_map = json.loads(files["vector_map.json"])
        vectors = np.load(io.BytesIO(files["vectors.npy"]), allow_pickle=False)
        faiss_index = deserialize(files["index.faiss"], IndexSpec(**manifest["index"]["spec"]))
    except (ValueError, KeyError, TypeError, AttributeError, RuntimeError) as error:
        # FAISS raises RuntimeError for a damaged index.faiss.
        raise IndexCorruptError(
            f"{folder}: unreadable index files ({error}); rebuild the index"
        ) from error
    if expected_model is not None and manifest.get("model") != expected_model:
        raise ModelMismatchError(
            f"the index in {folder} was built with the embedding model '{manifest.get('model')}', "
            f"but the configured model is '{expected_model}'; rebuild it with: python -m bot kb build"
        )
    vector_passage = np.asarray(vector_map["passage"], dtype=np.int64)
    counts_agree = (
        len(passages) == manifest.get("passages")
        and len(vectors) == len(vector_passage) == len(vector_map["key"]) == faiss_index.ntotal
        and len(vector_map.get("role") or vector_passage) == len(vector_passage)
        and (not len(vectors) or vectors.shape[1] == manifest.get("dimension"))
        and (not len(vector_passage) or int(vector_passage.max()) < len(passages))
    )
    if not counts_agree:
        raise IndexCorruptError(
            f"{folder}: the index files do not agree with each other; rebuild the index"
        )
    roles = list(vector_map.get("role") or ["passage"] * len(vector_passage))
    return StoredIndex(
        passages, vectors, vector_passage, list(vector_map["key"]), faiss_index, manifest, roles
    )
