"""One shopper's data, found by e-mail address or conversation id: exported as one JSON
document, or erased from every store the assistant writes (Rasa's tracker store, the app
database: console conversations and transcripts, ratings, knowledge gaps, the analytics' rows,
and shopper profiles where the installation has them). The shop's order system is not touched:
orders are the shop's records, kept under its own rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bot.handoff.agents import normalise_email
from bot.handoff.models import Conversation, Message, Note
from bot.insights.tracker_events import events_table
from bot.privacy import stores


class ShopperNotFound(LookupError):
    """Nothing is stored about this e-mail address or conversation."""


@dataclass(frozen=True)
class Subject:
    """Whose data: an e-mail address, a conversation id, or both."""

    email: str | None = None
    conversation_id: str | None = None

    def __post_init__(self) -> None:
        if not (self.email or self.conversation_id):
            raise ValueError("give an e-mail address or a conversation id")
        if self.email and "@" not in self.email:
            raise ValueError(f"email must be an e-mail address. Currently, it is {self.email!r}")


@dataclass
class Erased:
    """What an erasure removed, per store."""

    conversations: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def conversations_of(subject: Subject, app: Session, tracker: Engine) -> set[str]:
    """The conversation ids the subject's data lives in."""
    found = {subject.conversation_id} if subject.conversation_id else set()
    if subject.email:
        email = normalise_email(subject.email)
        if stores.has_events(tracker):
            with tracker.connect() as connection:
                found |= stores.senders_with_email(connection, email)
        found |= stores.sessions_with_email(app, email)
    return found


def export_shopper(subject: Subject, app: Session, tracker: Engine) -> dict[str, Any]:
    """Everything stored about the subject, as one JSON-ready document.

    Raises:
        ShopperNotFound: Nothing is stored about the subject.
    """
    sessions = conversations_of(subject, app, tracker)
    events = []
    if stores.has_events(tracker):
        with tracker.connect() as connection:
            events = stores.tracker_events(connection, sessions)
    rows = stores.console_rows(app, sessions)
    profile = _profiles(app, subject, "describe_profile")
    if not events and not any(rows.values()) and not profile:
        raise ShopperNotFound(_nothing(subject))
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "subject": {"email": subject.email, "conversation_id": subject.conversation_id},
        "conversations": sorted(sessions),
        "tracker_events": events,
        **rows,
        "profile": profile,
    }


def erase_shopper(subject: Subject, app: Session, tracker: Engine) -> Erased:
    """Deletes everything stored about the subject (the caller commits ``app``; the tracker
    store's rows are deleted in their own transaction).

    Raises:
        ShopperNotFound: Nothing is stored about the subject.
    """
    sessions = sorted(conversations_of(subject, app, tracker))
    erased = Erased(conversations=sessions)
    if sessions and stores.has_events(tracker):
        with tracker.begin() as connection:
            result = connection.execute(
                delete(events_table).where(events_table.c.sender_id.in_(sessions))
            )
            erased.rows["tracker_events"] = result.rowcount or 0
    erased.rows.update(erase_conversations(app, sessions))
    profile = _profiles(app, subject, "erase_profile")
    if profile:
        erased.rows["profiles"] = int(profile) if isinstance(profile, int) else 1
    if not any(erased.rows.values()):
        raise ShopperNotFound(_nothing(subject))
    return erased


def erase_conversations(app: Session, sessions: list[str]) -> dict[str, int]:
    """Deletes the app database's rows of ``sessions``; returns the count per table."""
    counts: dict[str, int] = {}
    if not sessions:
        return counts
    keys = list(app.scalars(select(Conversation.id).where(Conversation.session_id.in_(sessions))))
    for table in (Message, Note):
        counts[table.__tablename__] = stores.deleted(
            app, delete(table).where(table.conversation_id.in_(keys))
        )
    counts[Conversation.__tablename__] = stores.deleted(
        app, delete(Conversation).where(Conversation.id.in_(keys))
    )
    gaps = stores.gap_ids(app, sessions)
    for member in stores.cluster_members(app, gaps):
        app.delete(member)
    for model in stores.APP_TABLES_BY_SESSION:
        counts[model.__tablename__] = stores.deleted(
            app, delete(model).where(model.session_id.in_(sessions))
        )
    app.flush()
    return counts


def _profiles(app: Session, subject: Subject, function: str) -> Any:
    module = stores.profiles_module()
    call = getattr(module, function, None) if module is not None else None
    if call is None or not subject.email:
        return None  # no profiles in this installation (see stores.PROFILES_MODULE)
    return call(app, normalise_email(subject.email))


def _nothing(subject: Subject) -> str:
    what = subject.email or subject.conversation_id
    return f"Nothing is stored about {what!r}"
