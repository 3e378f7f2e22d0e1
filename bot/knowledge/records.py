"""Reads tabular sources (CSV, JSON lists, JSONL) into records that remember their line."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.knowledge.errors import IngestError


@dataclass(frozen=True)
class Record:
    """One row or object of a tabular source.

    Attributes:
        data: The fields, keys as written in the file.
        line: Line of the file where the record starts (1-based).
        number: Position of the record in the file (1-based, header not counted).
    """

    data: dict[str, Any]
    line: int
    number: int


def read_csv(text: str, path: Path) -> list[Record]:
    """Rows of a CSV (or TSV) file with a header row; every row must have the header's width."""
    first_line = text.split("\n", 1)[0]
    if path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:  # the header decides between comma, semicolon and tab
        delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Record] = []
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                if len(set(header)) != len(header):
                    raise IngestError(
                        path, f"repeated column names in the header: {header}", line=line
                    )
                continue
            if len(row) != len(header):
                raise IngestError(
                    path,
                    f"expected {len(header)} fields like the header, found {len(row)}",
                    line=line,
                    record=len(records) + 1,
                )
            records.append(Record(dict(zip(header, row)), line, len(records) + 1))
    except csv.Error as error:
        raise IngestError(path, f"malformed CSV ({error})", line=reader.line_num) from error
    if header is None:
        raise IngestError(path, "the file is empty (a header row is expected)", line=1)
    return records


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _check_object(value: Any, path: Path, line: int, number: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise IngestError(
            path, f"expected an object, found {type(value).__name__}", line=line, record=number
        )
    return value


def read_json(text: str, path: Path) -> list[Record]:
    """Objects of a JSON list (or of the one list inside a top-level object), with their lines."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(path, f"invalid JSON: {error.msg}", line=error.lineno) from error
    if isinstance(document, dict):
        lists = [key for key, value in document.items() if isinstance(value, list)]
        if len(lists) != 1:
            raise IngestError(
                path, "expected a list of objects (or an object holding one list)", line=1
            )
        key = lists[0]
        items = document[key]
        start = text.index("[", text.index(json.dumps(key, ensure_ascii=False)))
    elif isinstance(document, list):
        items, start = document, text.index("[")
    else:
        raise IngestError(path, "expected a list of objects", line=1)
    # Walk the list again to find where each element starts (json gives no positions).
    decoder = json.JSONDecoder()
    position = start + 1
    records: list[Record] = []
    for number, item in enumerate(items, start=1):
        while text[position] in " \t\r\n,":
            position += 1
        _, end = decoder.raw_decode(text, position)
        line = _line_of(text, position)
        records.append(Record(_check_object(item, path, line, number), line, number))
        position = end
    return records


def read_jsonl(text: str, path: Path) -> list[Record]:
    """One JSON object per non-empty line."""
    records: list[Record] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        number = len(records) + 1
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise IngestError(
                path, f"invalid JSON: {error.msg}", line=line_number, record=number
            ) from error
        records.append(Record(_check_object(value, path, line_number, number), line_number, number))
    return records


def read_records(text: str, path: Path) -> list[Record]:
    """The records of a CSV/TSV, JSON or JSONL file, chosen by its extension."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return read_csv(text, path)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(text, path)
    return read_json(text, path)
