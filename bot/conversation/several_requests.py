"""Several requests in one message: "cancel A1004 and how long do refunds take?", "where is my
order and can I change the address?".

The classifier picks one intent for the whole message, so the other request used to be lost.
The message is cut into parts at "and", "also", "?" or a full stop (only where both sides are
long enough to be requests of their own); each part is an order task (found by its words:
cancel, track, return…) or a question for the knowledge base. The actions then handle the part
the intent missed:

- the intent started an order task: the question part is answered first (when the knowledge
  base clearly holds the answer), then the order form asks its question;
- the intent was a knowledge question: after the answer, the order task of the other part
  starts (the order form asks for the number, or for the e-mail when the message named the
  order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.commerce import normalise_order_id
from bot.conversation.order_questions import ORDER_NUMBER, asks_how_things_work

__all__ = ["Parts", "Task", "order_tasks_in", "parts_of", "split_requests", "task_of"]

_SPLIT = re.compile(r"\?\s+|[.;]\s+|,?\s+\b(?:and also|and then|also|and|plus)\b\s+", re.I)
_MIN_WORDS = 2
_CONNECTOR = re.compile(r"^(?:and also|and then|also|and|plus|then)\s+", re.I)

# Words that make a part an order task, most specific first.
_TASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "track_refund",
        re.compile(r"\bwhere(?:'?s| is)\s+my\s+refund\b|\btrack\w*\s+(?:my\s+)?refund", re.I),
    ),
    (
        "change_shipping_address",
        re.compile(
            r"^\W*(?:please\s+)?change\s+(?:the\s+|my\s+)?(?:delivery\s+|shipping\s+)?address", re.I
        ),
    ),
    (
        "cancel_order",
        re.compile(r"^\W*(?:please\s+)?cancel\b|\bI (?:want|need|'d like) to cancel\b", re.I),
    ),
    (
        "track_order",
        re.compile(
            r"\bwhere(?:'?s| is)\s+my\s+(?:order|parcel|package)\b|^\W*track\b|\bstatus of my order\b"
            r"|\bwhere\b[^?]*\border\s+#?A-?\d{4}\b|\bstatus of order\s+#?A-?\d{4}\b",
            re.I,
        ),
    ),
    (
        "return_item",
        re.compile(r"^\W*(?:please\s+)?return\b|\bI (?:want|need|'d like) to return\b", re.I),
    ),
    ("get_invoice", re.compile(r"\b(?:send|need|want|get)\b.*\binvoice\b", re.I)),
    ("get_refund", re.compile(r"\bI (?:want|need|'d like) (?:a|my) refund\b|^\W*refund\b", re.I)),
)


@dataclass(frozen=True)
class Parts:
    """A message cut into its requests: the order task part (with its task) and the question."""

    task: str | None
    task_text: str | None
    question: str | None


def split_requests(text: str) -> list[str]:
    """The parts of ``text`` that read as requests of their own (one part: nothing to split)."""
    pieces = [
        _CONNECTOR.sub("", p.strip(" ,")) for p in _SPLIT.split(text or "") if p and p.strip(" ,")
    ]
    parts: list[str] = []
    for piece in pieces:
        if parts and len(piece.split()) < _MIN_WORDS:
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return parts if len(parts) > 1 else [text.strip()]


def task_of(part: str) -> str | None:
    """The order task a part asks for, by its words (None: not an order task)."""
    for task, words in _TASKS:
        if words.search(part):
            return task
    return None


@dataclass(frozen=True)
class Task:
    """One order task of a message, with the order number its part names (None: not named)."""

    task: str
    order_id: str | None
    text: str


def order_tasks_in(text: str) -> list[Task]:
    """The order tasks of a message that asks for two or more ("cancel order A1004 and tell me
    where order A1005 is"), in the order they were asked; an empty list when the message holds
    fewer than two. A part that names no order number takes none (the form asks for it)."""
    tasks: list[Task] = []
    for part in split_requests(text):
        found = task_of(part)
        if found is None:
            continue
        number = ORDER_NUMBER.search(part)
        order_id = normalise_order_id(number.group(0).lstrip("#")) if number else None
        tasks.append(Task(task=found, order_id=order_id, text=part))
    return tasks if len(tasks) > 1 else []


def parts_of(text: str) -> Parts | None:
    """The order task and the question of a message holding both, else None."""
    parts = split_requests(text)
    if len(parts) < 2:
        return None
    task = task_part = question = None
    for part in parts:
        found = task_of(part)
        if found and task is None:
            task, task_part = found, part
        elif question is None and asks_how_things_work(part):
            question = part if part.endswith("?") else f"{part}?"
    if task is None or question is None:
        return None
    return Parts(task=task, task_text=task_part, question=question)
