"""Publishing an edited FAQ draft into the shop's knowledge base.

The entry is appended to the knowledge folder's ``faq.csv`` (``id,question,answer``, RFC 4180
quoting) under the next free ``faq-insights-NN`` id; then the index is rebuilt incrementally
(only the new passage is embedded) and the running processes are asked to load it: the caller's
own retriever holder and the action server (its ``/knowledge/reload`` endpoint, the same call as
``python -m bot kb reload``). A publish that fails before the file is written changes nothing; one
whose rebuild or local reload fails takes the new line out again.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.knowledge.build import build_index
from bot.knowledge.embedder import Embedder
from bot.knowledge.holder import Holder
from bot.settings import Settings

FAQ_FILE = "faq.csv"
ID_PREFIX = "faq-insights-"
MAX_QUESTION = 300
MAX_ANSWER = 2000
_PUBLISH_LOCK = threading.Lock()  # one writer of faq.csv per process


class DraftInvalid(ValueError):
    """The edited question or answer cannot be published (the message says why)."""


@dataclass(frozen=True)
class Published:
    """Where a published entry went."""

    faq_id: str
    path: Path
    line: int


def _clean(text: str, name: str, limit: int) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise DraftInvalid(f"the {name} is empty: write one before publishing")
    if len(cleaned) > limit:
        raise DraftInvalid(f"the {name} has {len(cleaned)} characters; at most {limit}")
    return cleaned


def next_faq_id(ids: list[str]) -> str:
    """The next ``faq-insights-NN`` id after those already used."""
    numbers = [int(m.group(1)) for i in ids if (m := re.fullmatch(rf"{ID_PREFIX}(\d+)", i))]
    return f"{ID_PREFIX}{max(numbers, default=0) + 1:02d}"


def append_faq(knowledge_dir: Path, question: str, answer: str) -> Published:
    """Appends one entry to ``faq.csv`` in ``knowledge_dir``; returns its id and line.

    Raises:
        DraftInvalid: The question or answer is empty or too long, or the question is in the
            file already.
        FileNotFoundError: The folder has no ``faq.csv``.
    """
    question = _clean(question, "question", MAX_QUESTION)
    answer = _clean(answer, "answer", MAX_ANSWER)
    path = knowledge_dir / FAQ_FILE
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    if any((row.get("question") or "").strip().lower() == question.lower() for row in rows):
        raise DraftInvalid(f"{path.name} already has the question {question!r}")
    faq_id = next_faq_id([row.get("id") or "" for row in rows])
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([faq_id, question, answer])
    prefix = "" if text.endswith("\n") or not text else "\n"
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(prefix + line.getvalue())
    return Published(faq_id, path, text.count("\n") + (1 if prefix else 0) + 1)


def remove_faq(published: Published) -> None:
    """Takes a just-appended entry out again (its rebuild failed)."""
    kept = [
        row
        for row in published.path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not row.startswith(f"{published.faq_id},")
    ]
    published.path.write_text("".join(kept), encoding="utf-8")


@dataclass(frozen=True)
class PublishReport:
    """What a publish did: the entry, the rebuild, and which processes loaded the new index."""

    faq_id: str
    line: int
    passages: int
    embedded: int
    web_generation: int
    action_server: str


def reload_action_server(url: str, token: str | None, timeout: float = 300.0) -> str:
    """Asks the action server to load the rebuilt index; says what happened in a few words."""
    if not token:
        return "not asked: no action-server token (FERNHILL_ACTION_API_TOKEN)"
    endpoint = f"{url.rstrip('/')}/knowledge/reload"
    try:
        answer = httpx.post(endpoint, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    except httpx.HTTPError as error:
        return f"not reached: {endpoint} ({type(error).__name__})"
    if answer.status_code != 200:
        return f"refused: {endpoint} answered HTTP {answer.status_code}"
    body: dict[str, Any] = answer.json()
    return f"reloaded: {body.get('passages')} passages, generation {body.get('generation')}"


def publish_faq(
    settings: Settings, holder: Holder[Any], embedder: Embedder, question: str, answer: str
) -> PublishReport:
    """Appends the entry, rebuilds the index incrementally and reloads the running processes.

    Raises:
        DraftInvalid: See :func:`append_faq`.
        KnowledgeError: The rebuild or the reload failed; the entry was taken out again.
    """
    from bot.knowledge.service import build_options

    with _PUBLISH_LOCK:
        published = append_faq(settings.knowledge_dir, question, answer)
        try:
            built = build_index(
                [settings.knowledge_dir],
                settings.index_dir,
                build_options(settings),
                embedder=embedder,
            )
            reloaded = holder.reload()
        except Exception:
            remove_faq(published)
            raise
    action = reload_action_server(settings.action_url, settings.resolved_action_api_token())
    return PublishReport(
        published.faq_id,
        published.line,
        built.passages,
        built.embedded,
        reloaded.generation,
        action,
    )
