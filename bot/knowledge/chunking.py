"""Splits long texts into overlapping chunks on paragraph and sentence boundaries."""

from __future__ import annotations

import re

from bot.settings import setting_default

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(€£$])")


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def _pieces(paragraphs: list[str], max_words: int) -> list[str]:
    """Paragraphs, with any paragraph longer than ``max_words`` cut into sentences (or words)."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        if word_count(paragraph) <= max_words:
            pieces.append(paragraph)
            continue
        for sentence in _SENTENCE_END.split(paragraph):
            words = sentence.split()
            for start in range(0, len(words), max_words):
                pieces.append(" ".join(words[start : start + max_words]))
    return pieces


def _overlap(pieces: list[str], overlap_words: int) -> list[str]:
    """The end of a chunk to repeat at the start of the next: whole pieces if they fit,
    else the last sentences of the last piece."""
    kept: list[str] = []
    for piece in reversed(pieces):
        if word_count(" ".join([piece, *kept])) > overlap_words:
            break
        kept.insert(0, piece)
    if kept or not pieces or overlap_words <= 0:
        return kept
    tail: list[str] = []
    for sentence in reversed(_SENTENCE_END.split(pieces[-1])):
        if word_count(" ".join([sentence, *tail])) > overlap_words:
            break
        tail.insert(0, sentence)
    return [" ".join(tail)] if tail else []


def split_paragraphs(text: str) -> list[str]:
    """Non-empty blocks of text separated by blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def chunk_text(
    text: str,
    max_words: int = setting_default("chunk_max_words"),
    overlap_words: int = setting_default("chunk_overlap_words"),
) -> list[str]:
    """Cuts ``text`` into chunks of at most about ``max_words`` words.

    Chunks end on paragraph (else sentence) boundaries; each chunk after the first starts with
    the last pieces of the previous one, up to ``overlap_words`` words, so that a fact near a
    cut is whole in at least one chunk.

    Args:
        text: The text to cut (paragraphs separated by blank lines).
        max_words: Soft upper bound of words per chunk.
        overlap_words: Words repeated from the end of the previous chunk.

    Returns:
        The chunks, in order; a short text is one chunk.
    """
    if max_words <= 0:
        raise ValueError(f"max_words must be greater than 0. Currently, max_words is {max_words}")
    if word_count(text) <= max_words:
        return [text.strip()] if text.strip() else []
    pieces = _pieces(split_paragraphs(text), max_words)
    chunks: list[list[str]] = []
    current: list[str] = []
    for piece in pieces:
        if current and word_count(" ".join(current + [piece])) > max_words:
            chunks.append(current)
            current = _overlap(current, overlap_words)
        current.append(piece)
    if current:
        chunks.append(current)
    return ["\n\n".join(chunk) for chunk in chunks]


def sentences(text: str, min_words: int = 4) -> list[str]:
    """The sentences, list items and table rows of ``text`` with at least ``min_words`` words."""
    found = []
    for line in text.splitlines():
        line = line.strip().strip("|").strip()
        line = re.sub(r"^([-*•]|\d+\.)\s+", "", line)
        line = re.sub(r"\s*\|\s*", ", ", line)  # a table row reads as a list
        for sentence in _SENTENCE_END.split(line):
            if word_count(sentence) >= min_words:
                found.append(sentence.strip())
    return found
