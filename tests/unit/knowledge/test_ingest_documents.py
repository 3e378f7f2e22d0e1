"""Ingestion of Markdown and plain text: sections, heading paths, anchors, ids, chunks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.chunking import chunk_text
from bot.knowledge.ingest import discover_sources, ingest

pytestmark = pytest.mark.unit

POLICY = """# Shipping and Delivery

We ship from Utrecht.

## Delivery times

| Zone | Time |
|---|---|
| NL | 1–2 days |

### Express options

Express takes **one** day.

## Delivery times

A second section with the same heading.

```
## not a heading inside code
```
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_markdown_is_split_on_headings_with_paths_anchors_and_urls(tmp_path):
    write(tmp_path, "shipping.md", POLICY)
    passages = {p.id: p for p in ingest(discover_sources([tmp_path]))}
    assert list(passages) == [
        "shipping#shipping-and-delivery",
        "shipping#delivery-times",
        "shipping#express-options",
        "shipping#delivery-times-1",
    ]
    express = passages["shipping#express-options"]
    assert express.title == "Shipping and Delivery > Delivery times > Express options"
    assert express.text == "Express takes one day."
    assert express.url == "https://fernhill-goods.example/help/shipping#express-options"
    assert express.line == 11 and express.kind == "section"
    table = passages["shipping#delivery-times"].text
    assert "|---|" not in table and "| NL | 1–2 days |" in table
    assert "not a heading inside code" in passages["shipping#delivery-times-1"].text
    assert "shipping" in passages["shipping#shipping-and-delivery"].aliases


def test_long_sections_are_chunked_with_overlap_and_keep_the_section_id(tmp_path):
    paragraphs = [f"Paragraph {i} says something about parcels number {i}. " * 6 for i in range(12)]
    write(tmp_path, "guide.md", "# Guide\n\n## Long part\n\n" + "\n\n".join(paragraphs))
    passages = [p for p in ingest(discover_sources([tmp_path])) if p.anchor == "long-part"]
    assert len(passages) >= 3
    assert passages[0].id == "guide#long-part"
    assert passages[1].id == "guide#long-part~2" and "guide#long-part" in passages[1].aliases
    for first, second in zip(passages, passages[1:]):
        last_sentence = first.text.rsplit(". ", 1)[-1]
        assert second.text.split("\n\n")[0].endswith(last_sentence)  # the overlap
        assert second.text.split("\n\n")[0] in first.text
    assert all(len(p.text.split()) <= 180 + 60 for p in passages)


def test_chunk_text_keeps_short_text_whole_and_rejects_bad_sizes():
    assert chunk_text("one short paragraph") == ["one short paragraph"]
    with pytest.raises(ValueError, match="max_words must be greater than 0"):
        chunk_text("text", max_words=0)


def test_plain_text_uses_a_short_first_line_as_title(tmp_path):
    write(tmp_path, "gift-cards.txt", "Gift cards\n\nGift cards are valid for two years.\n")
    [passage] = ingest(discover_sources([tmp_path / "gift-cards.txt"]))
    assert (passage.id, passage.title, passage.kind) == ("gift-cards", "Gift cards", "text")
    assert passage.text == "Gift cards are valid for two years."


def test_ids_are_stable_across_ingestions(tmp_path):
    write(tmp_path, "shipping.md", POLICY)
    first = [(p.id, p.text_hash) for p in ingest(discover_sources([tmp_path]))]
    second = [(p.id, p.text_hash) for p in ingest(discover_sources([tmp_path]))]
    assert first == second


def test_folders_skip_readmes_hidden_and_unknown_files(tmp_path):
    write(tmp_path, "README.md", "# About this folder\n\nnot knowledge")
    write(tmp_path, ".hidden/secret.md", "# Secret\n\nno")
    write(tmp_path, "notes.docx", "binary")
    write(tmp_path, "sub/returns.md", "# Returns\n\n30 days.")
    assert [p.id for p in ingest(discover_sources([tmp_path]))] == ["returns#returns"]


def test_a_named_file_of_unknown_type_or_a_missing_path_is_an_error(tmp_path):
    from bot.knowledge.errors import IngestError

    with pytest.raises(IngestError, match="unsupported file type '.docx'"):
        discover_sources([write(tmp_path, "notes.docx", "x")])
    with pytest.raises(IngestError, match="no such file or folder"):
        discover_sources([tmp_path / "missing"])


def test_the_shop_knowledge_base_ingests_with_unique_ids():
    root = Path(__file__).resolve().parents[3] / "knowledge_base"
    passages = ingest(discover_sources([root]))
    kinds = {p.kind for p in passages}
    assert kinds == {"faq", "product", "section"}
    assert len({p.id for p in passages}) == len(passages)
    assert sum(p.kind == "product" for p in passages) == 175
    assert any(p.id == "shipping#express-shipping" for p in passages)
    assert all(p.source.startswith("knowledge_base/") for p in passages)
