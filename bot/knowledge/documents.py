"""Passages from documents: Markdown split on headings, plain text split on paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.chunking import chunk_text, sentences
from bot.knowledge.passages import Passage, help_url, slugify
from bot.settings import setting_default

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class ChunkOptions:
    """How documents are cut and linked.

    Attributes:
        max_words: Soft upper bound of words per passage.
        overlap_words: Words repeated from the previous chunk of a long section.
        site_url: Base address of the shop's pages (help pages: ``<site_url>/help/<doc>``).
    """

    max_words: int = setting_default("chunk_max_words")
    overlap_words: int = setting_default("chunk_overlap_words")
    site_url: str = setting_default("site_url")


@dataclass
class _Section:
    level: int
    path: list[str]
    anchor: str | None
    line: int
    lines: list[str]


def clean_markdown(text: str) -> str:
    """Text as a shopper should read it: no table rules or emphasis markers."""
    lines = [line for line in text.splitlines() if not _TABLE_RULE.match(line)]
    text = "\n".join(lines)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return text.strip()


def _sections(text: str) -> list[_Section]:
    """The document's sections in order, each with its heading path and first line."""
    sections = [_Section(0, [], None, 1, [])]
    open_headings: list[_Section] = []  # the nearest enclosing heading of each level
    used: dict[str, int] = {}
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if not match:
            sections[-1].lines.append(line)
            continue
        level, heading = len(match.group(1)), match.group(2).strip()
        while open_headings and open_headings[-1].level >= level:
            open_headings.pop()
        path = [*(open_headings[-1].path if open_headings else []), heading]
        anchor = slugify(heading) or f"section-{number}"
        if anchor in used:  # GitHub numbers repeated anchors: a, a-1, a-2
            used[anchor] += 1
            anchor = f"{anchor}-{used[anchor]}"
        else:
            used[anchor] = 0
        section = _Section(level, path, anchor, number, [])
        sections.append(section)
        open_headings.append(section)
    return sections


def _probes(title: str, text: str) -> tuple[str, ...]:
    """The heading path, and each sentence prefixed with the nearest heading."""
    heading = title.split(" > ")[-1]
    return (title, *(f"{heading}: {s}" for s in sentences(text)))


def markdown_passages(text: str, doc: str, source: str, options: ChunkOptions) -> list[Passage]:
    """One passage per non-empty section of a Markdown document (long sections: several).

    Args:
        text: The document.
        doc: The document's name (its file stem): ids are ``<doc>#<heading-anchor>``.
        source: The source file, as shown to people.
        options: Chunk sizes and the site address.
    """
    passages: list[Passage] = []
    default_title = doc.replace("-", " ").replace("_", " ").capitalize()
    for section in _sections(text):
        body = clean_markdown("\n".join(section.lines))
        if not body:
            continue
        base = f"{doc}#{section.anchor}" if section.anchor else doc
        aliases: tuple[str, ...] = (doc,) if section.level == 1 else ()
        title = " > ".join(section.path) or default_title
        url = help_url(doc, section.anchor, options.site_url)
        for number, chunk in enumerate(
            chunk_text(body, options.max_words, options.overlap_words), 1
        ):
            passages.append(
                Passage(
                    id=base if number == 1 else f"{base}~{number}",
                    text=chunk,
                    title=title,
                    source=source,
                    kind="section",
                    url=url,
                    anchor=section.anchor,
                    probes=_probes(title, chunk),
                    aliases=aliases if number == 1 else (base, *aliases),
                    line=section.line,
                )
            )
    return passages


def text_passages(text: str, doc: str, source: str, options: ChunkOptions) -> list[Passage]:
    """Passages of a plain-text file: chunks of paragraphs; a short first line is the title.

    Ids are ``<doc>``, then ``<doc>~2``, ``<doc>~3``… for the further chunks.
    """
    lines = text.strip().splitlines()
    title = doc.replace("-", " ").replace("_", " ").capitalize()
    body = text.strip()
    if (
        len(lines) > 1
        and lines[0].strip()
        and len(lines[0]) <= 80
        and not lines[0].rstrip().endswith(".")
    ):
        title, body = lines[0].strip(), "\n".join(lines[1:]).strip()
    chunks = chunk_text(body, options.max_words, options.overlap_words)
    return [
        Passage(
            id=doc if n == 1 else f"{doc}~{n}",
            text=chunk,
            title=title,
            source=source,
            kind="text",
            aliases=() if n == 1 else (doc,),
            line=1,
            probes=_probes(title, chunk),
        )
        for n, chunk in enumerate(chunks, 1)
    ]
