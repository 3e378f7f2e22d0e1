"""Exact matches that beat any similarity score: SKUs and full product names in a question."""

from __future__ import annotations

import re

from bot.knowledge.passages import Passage

_SKU = re.compile(r"\b([A-Za-z]{2,4})[-\s]?([A-Za-z]{2,4})[-\s]?(\d{3,6})\b")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*")


def _normalise(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


class ExactMatcher:
    """Finds the products a question names by SKU (``FH-BA-0001``, ``fh ba 0001``) or by
    their full name (``Larkspur 22L Roll-Top Backpack``, any case and punctuation).

    Args:
        passages: The index's passages, in row order.
    """

    def __init__(self, passages: list[Passage]) -> None:
        self.by_sku: dict[str, int] = {}
        self.names: list[tuple[str, int]] = []
        for row, passage in enumerate(passages):
            if passage.sku:
                self.by_sku[_normalise(passage.sku).strip()] = row
            if passage.kind == "product":
                name = _normalise(passage.title)
                # A one-word or very short name ("Mug") is too common to count as a mention.
                if len(name.split()) >= 2 and len(name.strip()) >= 8:
                    self.names.append((name, row))
        self.names.sort(key=lambda item: -len(item[0]))

    def match(self, query: str) -> list[int]:
        """Rows of the passages named in ``query``: SKUs first, then names (longest first)."""
        rows: list[int] = []
        keys = [" ".join(m.groups()).lower() for m in _SKU.finditer(query)]
        # Any other SKU format: a word with a digit in it that is a known SKU.
        keys += [_normalise(t).strip() for t in _WORD.findall(query) if any(c.isdigit() for c in t)]
        for key in keys:
            if key in self.by_sku and self.by_sku[key] not in rows:
                rows.append(self.by_sku[key])
        if len(query) < 400 and self.names:
            text = _normalise(query)
            for name, row in self.names:
                if name in text and row not in rows:
                    rows.append(row)
        return rows
