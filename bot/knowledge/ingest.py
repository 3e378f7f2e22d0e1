"""Ingestion: finds the source files, reads them strictly and turns them into passages.

Formats are chosen by extension and content: Markdown (``.md``) and plain text (``.txt``)
documents; FAQ files and product catalogues as CSV/TSV, JSON (a list of objects) or JSONL,
told apart by their columns (question/answer vs sku/name/price).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.documents import ChunkOptions, markdown_passages, text_passages
from bot.knowledge.errors import IngestError
from bot.knowledge.passages import Passage
from bot.knowledge.records import read_records
from bot.knowledge.tables import detect_table_kind, faq_passages, product_passages

DOCUMENT_SUFFIXES = {".md", ".markdown", ".txt", ".text"}
TABLE_SUFFIXES = {".csv", ".tsv", ".json", ".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = DOCUMENT_SUFFIXES | TABLE_SUFFIXES


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest and how it is named in ids, sources and the manifest."""

    path: Path
    name: str  # shown to people and kept in the manifest
    sha256: str


PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _display_name(path: Path) -> str:
    """The path relative to the project (the same from any working directory), else absolute."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path.resolve())


def _is_skipped(path: Path, root: Path) -> bool:
    """Hidden files, READMEs and unsupported files inside a folder are not knowledge."""
    parts = path.relative_to(root).parts
    return (
        any(part.startswith((".", "_")) for part in parts)
        or path.stem.lower() == "readme"
        or path.suffix.lower() not in SUPPORTED_SUFFIXES
    )


def discover_sources(sources: Iterable[Path | str]) -> list[SourceFile]:
    """The files named, and the supported files inside the folders named, in a stable order.

    Raises:
        IngestError: A source does not exist, or a file named has an unsupported type.
    """
    files: dict[Path, None] = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if not _is_skipped(found, path):
                    files[found.resolve()] = None
        elif path.is_file():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
                raise IngestError(
                    path, f"unsupported file type '{path.suffix}' (supported: {supported})"
                )
            files[path.resolve()] = None
        else:
            raise IngestError(path, "no such file or folder")
    return [
        SourceFile(p, _display_name(p), hashlib.sha256(p.read_bytes()).hexdigest()) for p in files
    ]


def decode_utf8(data: bytes, path: Path) -> str:
    """The text of a file that must be UTF-8 (a BOM is allowed); else an error with the line."""
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        raise IngestError(
            path,
            f"not valid UTF-8 (byte 0x{bad} at offset {error.start}); save the file as UTF-8",
            line=line,
        ) from error


def passages_from_file(source: SourceFile, options: ChunkOptions) -> list[Passage]:
    """The passages of one source file.

    Raises:
        IngestError: The file is not UTF-8, malformed, or of no known shape.
    """
    path = source.path
    text = decode_utf8(path.read_bytes(), path)
    suffix = path.suffix.lower()
    doc = path.stem
    if suffix in (".md", ".markdown"):
        return markdown_passages(text, doc, source.name, options)
    if suffix in (".txt", ".text"):
        return text_passages(text, doc, source.name, options)
    records = read_records(text, path)
    if not records:
        return []
    columns: set[str] = set()
    for record in records:
        columns.update(record.data)
    kind = detect_table_kind(columns)
    if kind == "faq":
        return faq_passages(records, path, source.name, options.site_url)
    if kind == "product":
        return product_passages(records, path, source.name, options.site_url)
    raise IngestError(
        path,
        "neither a FAQ (question and answer columns) nor a product catalogue "
        f"(sku, or name and price); columns found: {', '.join(sorted(columns))}",
        line=records[0].line,
    )


def ingest(sources: list[SourceFile], options: ChunkOptions | None = None) -> list[Passage]:
    """Every passage of every source, checked for unique ids.

    Raises:
        IngestError: A file cannot be read, or two passages share an id.
    """
    options = options or ChunkOptions()
    passages: list[Passage] = []
    seen: dict[str, Passage] = {}
    for source in sources:
        for passage in passages_from_file(source, options):
            if passage.id in seen:
                first = seen[passage.id]
                raise IngestError(
                    source.path,
                    f"passage id '{passage.id}' is used twice "
                    f"(first in {first.source}, line {first.line})",
                    line=passage.line,
                )
            seen[passage.id] = passage
            passages.append(passage)
    return passages
