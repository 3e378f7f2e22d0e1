"""A missing or damaged index is a clear state, not a crash: loading says what is wrong (also
for a damaged FAISS file, which FAISS reports as a RuntimeError), the holder remembers it, and
``index_state`` words it for the action server's ``/ready``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.errors import IndexCorruptError, IndexNotFoundError
from bot.knowledge.holder import Holder
from bot.knowledge.service import index_state
from bot.knowledge.store import StoredIndex, load_index

pytestmark = pytest.mark.integration  # the small index is built with the real MiniLM


def damaged_copy(index: Path, target: Path, name: str, content: bytes) -> Path:
    shutil.copytree(index, target)
    (target / name).write_bytes(content)
    return target


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("index.faiss", b"not a faiss index" * 8),
        ("manifest.json", b"{truncated"),
        ("vectors.npy", b"\x93NUMPY garbage"),
        ("passages.jsonl", b"[1, 2, 3]\n"),
    ],
)
def test_a_damaged_index_file_is_a_corrupt_index(small_index, tmp_path, name, content):
    folder = damaged_copy(small_index, tmp_path / "index", name, content)
    with pytest.raises(IndexCorruptError, match="rebuild the index"):
        load_index(folder)


def test_the_index_state_says_loading_missing_corrupt_or_loaded(small_index, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    missing: Holder[StoredIndex] = Holder(lambda: load_index(empty))
    assert index_state(missing, empty) == "loading"  # nothing tried yet
    with pytest.raises(IndexNotFoundError):
        missing.get()
    assert index_state(missing, empty) == f"missing: {empty}"
    assert "no knowledge index in" in missing.status()["last_error"]

    corrupt_dir = damaged_copy(small_index, tmp_path / "corrupt", "index.faiss", b"x" * 64)
    corrupt: Holder[StoredIndex] = Holder(lambda: load_index(corrupt_dir))
    with pytest.raises(IndexCorruptError):
        corrupt.get()
    state = index_state(corrupt, corrupt_dir)
    assert state.startswith(f"corrupt: {corrupt_dir}: unreadable index files")

    # Once the index is there, the next use loads it and the error is forgotten.
    shutil.copytree(small_index, empty, dirs_exist_ok=True)
    assert missing.get().passages
    assert index_state(missing, empty) == "loaded"
    assert missing.status()["last_error"] is None
