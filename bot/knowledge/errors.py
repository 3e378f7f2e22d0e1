"""Errors of the knowledge part, each naming the file (and line or record) at fault."""

from __future__ import annotations

from pathlib import Path


class KnowledgeError(Exception):
    """Base class: a problem with the knowledge sources or the index, meant for people."""


class IngestError(KnowledgeError):
    """A source file that cannot be read: malformed, not UTF-8, missing columns.

    Attributes:
        path: The file at fault.
        line: The line at fault (1-based), when known.
        record: The record at fault (1-based, JSON lists and JSONL), when known.
        reason: What is wrong, in words.
    """

    def __init__(
        self, path: Path | str, reason: str, *, line: int | None = None, record: int | None = None
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.record = record
        self.reason = reason
        where = str(self.path)
        if line is not None:
            where += f", line {line}"
        if record is not None:
            where += f", record {record}"
        super().__init__(f"{where}: {reason}")


class IndexNotFoundError(KnowledgeError):
    """No built index where one was expected."""


class IndexCorruptError(KnowledgeError):
    """An index folder whose files are missing, unreadable or inconsistent."""


class ModelMismatchError(KnowledgeError):
    """The index was built with another embedding model than the one configured."""
