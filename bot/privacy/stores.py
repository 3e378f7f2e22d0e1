"""Where the assistant keeps data about shoppers, as tables: Rasa's tracker store and the app
database. :mod:`bot.privacy.shopper_data` (export, erase) and :mod:`bot.privacy.retention`
(purge) work on these; nothing here changes data."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Delete, Engine, func, inspect, select
from sqlalchemy.orm import Session

from bot.appdata.knowledge_gaps import KnowledgeGap
from bot.appdata.models import ConversationRating
from bot.handoff.models import Conversation, Message, Note
from bot.insights.tables import GapMember, InsightConversation, InsightTerm
from bot.insights.tracker_events import events_table

PROFILES_MODULE = "bot.appdata.profiles"
"""Shopper profiles, where the project has them: ``describe_profile(session, email)`` and
``erase_profile(session, email)`` are called when the module defines them."""

APP_TABLES_BY_SESSION = (ConversationRating, KnowledgeGap, InsightConversation, InsightTerm)
"""App-database tables with one conversation's rows by ``session_id`` (besides the console's
conversations with their messages and notes)."""


def has_events(tracker: Engine) -> bool:
    """Whether Rasa made its ``events`` table in the tracker store yet."""
    return inspect(tracker).has_table(events_table.name)


def deleted(app: Session, statement: Delete) -> int:
    """Runs a DELETE in ``app``; returns how many rows it removed."""
    result = app.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def profiles_module() -> Any | None:
    """The shopper-profile module when this installation has one (else ``None``: the
    extension point stays empty)."""
    if importlib.util.find_spec(PROFILES_MODULE) is None:
        return None
    return importlib.import_module(PROFILES_MODULE)


def decode(raw: str | None) -> dict[str, Any]:
    """A tracker event's JSON (``{}`` when unreadable)."""
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def senders_with_email(tracker: Connection, email: str) -> set[str]:
    """Conversations in the tracker store whose ``email`` slot was set to ``email`` or whose
    shopper wrote it (case-insensitive)."""
    needle = email.strip().lower()
    if not needle:
        return set()
    query = select(events_table.c.sender_id, events_table.c.type_name, events_table.c.data).where(
        events_table.c.type_name.in_(["slot", "user"]),
        func.lower(events_table.c.data).contains(needle, autoescape=True),
    )
    found = set()
    for sender, kind, raw in tracker.execute(query):
        event = decode(raw)
        value = event.get("value") if kind == "slot" else event.get("text")
        if isinstance(value, str) and needle in value.lower():
            found.add(str(sender))
    return found


def sessions_with_email(app: Session, email: str) -> set[str]:
    """Console conversations whose contact e-mail is ``email``."""
    rows = app.scalars(
        select(Conversation.session_id).where(
            Conversation.contact_email.is_not(None),
            Conversation.contact_email.ilike(email.strip()),
        )
    )
    return set(rows)


def tracker_events(tracker: Connection, senders: Iterable[str]) -> list[dict[str, Any]]:
    """Every stored event of ``senders``, oldest first, with its conversation id."""
    ids = sorted(set(senders))
    if not ids:
        return []
    rows = tracker.execute(
        select(events_table.c.sender_id, events_table.c.data)
        .where(events_table.c.sender_id.in_(ids))
        .order_by(events_table.c.id)
    )
    return [{"conversation": str(sender), **decode(raw)} for sender, raw in rows]


def console_rows(app: Session, sessions: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The app database's rows of ``sessions``: console conversations with their messages and
    notes, ratings, knowledge gaps and the analytics' per-conversation rows."""
    ids = sorted(set(sessions))
    out: dict[str, list[dict[str, Any]]] = {}
    if not ids:
        return out
    conversations = app.scalars(select(Conversation).where(Conversation.session_id.in_(ids))).all()
    out["console_conversations"] = [_row(c, exclude={"assignee", "rating"}) for c in conversations]
    keys = [c.id for c in conversations]
    out["console_messages"] = [
        _row(m, exclude={"agent"})
        for m in app.scalars(select(Message).where(Message.conversation_id.in_(keys)))
    ]
    out["console_notes"] = [
        _row(n, exclude={"agent"})
        for n in app.scalars(select(Note).where(Note.conversation_id.in_(keys)))
    ]
    for table in APP_TABLES_BY_SESSION:
        rows = app.scalars(select(table).where(table.session_id.in_(ids)))
        out[table.__tablename__] = [_row(r) for r in rows]
    return out


def gap_ids(app: Session, sessions: Iterable[str]) -> list[int]:
    """Ids of the knowledge gaps asked in ``sessions``."""
    ids = sorted(set(sessions))
    query = select(KnowledgeGap.id).where(KnowledgeGap.session_id.in_(ids))
    return list(app.scalars(query)) if ids else []


def cluster_members(app: Session, gaps: list[int]) -> list[GapMember]:
    """The analytics' cluster memberships of ``gaps``."""
    return list(app.scalars(select(GapMember).where(GapMember.gap_id.in_(gaps)))) if gaps else []


def _row(obj: Any, exclude: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    columns = obj.__table__.columns
    return {c.key: _plain(getattr(obj, c.key)) for c in columns if c.key not in exclude}


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str | int | float | bool | dict | list) or value is None:
        return value
    return str(value)
