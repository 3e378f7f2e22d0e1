"""Bringing the analytics tables up to date from Rasa's tracker store.

:func:`update_insights` reads only the events after the cursor (the id of the last event it
processed) and folds them into the tallies of their conversations; the cursor moves in the same
transaction as the tallies, so an update that fails half-way is redone from where it stood.
:func:`rebuild_insights` empties the tables and reads every event again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session

from bot.appdata.db import get_app_sessionmaker
from bot.appdata.migrate import upgrade_app_database
from bot.insights.rollup import refresh_days
from bot.insights.tables import (
    InsightConversation,
    InsightCursor,
    InsightDaily,
    InsightDailyTerm,
    InsightTerm,
)
from bot.insights.tally import Scorer, Tally
from bot.insights.tracker_events import StoredEvent, events_after
from bot.sentiment import compound

TRACKER_SOURCE = "rasa_tracker"
BATCH_EVENTS = 20_000
# A rebuild touches every day in every batch: fewer, larger batches recompute the days less often.
REBUILD_BATCH_EVENTS = 100_000
CHUNK = 500  # ids per IN (...) clause: well inside every backend's parameter limit
TALLY_COLUMNS = (
    "channel",
    "user_messages",
    "bot_messages",
    "fallbacks",
    "did_you_mean",
    "answers_generated",
    "answers_passage",
    "answers_refused",
    "handed_over",
    "sentiment_sum",
    "sentiment_count",
    "upset",
    "orders_tracked",
    "orders_cancelled",
    "returns_opened",
)


@dataclass(frozen=True)
class RefreshReport:
    """What an update did."""

    events: int
    conversations: int
    last_event_id: int
    seconds: float


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _load_tallies(session: Session, session_ids: Sequence[str]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for chunk in _chunks(session_ids):
        for row in session.scalars(
            select(InsightConversation).where(InsightConversation.session_id.in_(chunk))
        ):
            tally = Tally(
                row.session_id, started_at=row.started_at, last_event_at=row.last_event_at
            )
            for name in TALLY_COLUMNS:
                setattr(tally, name, getattr(row, name))
            tally.state = dict(row.state or {})
            tallies[row.session_id] = tally
        for term in session.scalars(select(InsightTerm).where(InsightTerm.session_id.in_(chunk))):
            owner = tallies[term.session_id]
            counters = {"intent": owner.intents, "product": owner.products, "click": owner.clicks}
            counters[term.kind][term.term] = term.count
    return tallies


def _save_tallies(session: Session, tallies: dict[str, Tally], known: set[str]) -> None:
    ids = sorted(tallies)
    for chunk in _chunks(ids):
        session.execute(delete(InsightTerm).where(InsightTerm.session_id.in_(chunk)))
    rows = []
    for tally in tallies.values():
        values = {name: getattr(tally, name) for name in TALLY_COLUMNS}
        values.update(
            session_id=tally.session_id,
            started_at=tally.started_at or datetime.fromtimestamp(0, UTC),
            last_event_at=tally.last_event_at or datetime.fromtimestamp(0, UTC),
            day=tally.day,
            state=tally.state,
        )
        rows.append(values)
    new = [row for row in rows if row["session_id"] not in known]
    old = [row for row in rows if row["session_id"] in known]
    if new:
        session.execute(insert(InsightConversation), new)
    for row in old:
        session.execute(
            update(InsightConversation)
            .where(InsightConversation.session_id == row["session_id"])
            .values(**{k: v for k, v in row.items() if k != "session_id"})
        )
    terms = [
        {
            "session_id": tally.session_id,
            "kind": kind,
            "term": term,
            "count": count,
            "day": tally.day,
            "channel": tally.channel,
        }
        for tally in tallies.values()
        for kind, counter in (
            ("intent", tally.intents),
            ("product", tally.products),
            ("click", tally.clicks),
        )
        for term, count in counter.items()
    ]
    if terms:
        session.execute(insert(InsightTerm), terms)


def _cursor(session: Session) -> InsightCursor:
    cursor = session.get(InsightCursor, TRACKER_SOURCE)
    if cursor is None:
        cursor = InsightCursor(source=TRACKER_SOURCE, last_event_id=0, updated_at=datetime.now(UTC))
        session.add(cursor)
        session.flush()
    return cursor


def _fold(events: list[StoredEvent], tallies: dict[str, Tally], score: Scorer) -> None:
    for event in events:
        tally = tallies.get(event.sender_id)
        if tally is None:
            tally = tallies[event.sender_id] = Tally(event.sender_id[:128])
        tally.add(event.data, score)


def update_insights(
    app_engine: Engine,
    tracker_engine: Engine,
    batch_events: int = BATCH_EVENTS,
    score: Scorer = compound,
) -> RefreshReport:
    """Folds the tracker events after the cursor into the analytics tables.

    Args:
        app_engine: The app database (upgraded to the newest schema first).
        tracker_engine: Rasa's SQL tracker store.
        batch_events: Events read and committed per transaction.
        score: Sentiment scorer of the shopper's messages (VADER's compound by default).
    """
    began = time.perf_counter()
    # Shoppers repeat themselves ("hi", "thanks", button words): score each text once per run.
    score = lru_cache(maxsize=65_536)(score)
    upgrade_app_database(app_engine)
    sessions = get_app_sessionmaker(app_engine)
    total, touched = 0, set[str]()
    while True:
        with sessions() as session, session.begin():
            cursor = _cursor(session)
            with tracker_engine.connect() as connection:
                events = events_after(connection, cursor.last_event_id, batch_events)
            if not events:
                last = cursor.last_event_id
                break
            by_sender: dict[str, list[StoredEvent]] = defaultdict(list)
            for event in events:
                by_sender[event.sender_id].append(event)
            tallies = _load_tallies(session, sorted(by_sender))
            known = set(tallies)
            days = {tally.day for tally in tallies.values()}
            _fold(events, tallies, score)
            _save_tallies(session, tallies, known)
            refresh_days(session, days | {tally.day for tally in tallies.values()})
            cursor.last_event_id = events[-1].id
            cursor.updated_at = datetime.now(UTC)
            total += len(events)
            touched.update(by_sender)
    return RefreshReport(total, len(touched), last, time.perf_counter() - began)


def rebuild_insights(
    app_engine: Engine,
    tracker_engine: Engine,
    batch_events: int = REBUILD_BATCH_EVENTS,
    score: Scorer = compound,
) -> RefreshReport:
    """Empties the analytics tables and the cursor, then reads every tracker event again."""
    upgrade_app_database(app_engine)
    with get_app_sessionmaker(app_engine)() as session, session.begin():
        for table in (
            InsightDailyTerm,
            InsightDaily,
            InsightTerm,
            InsightConversation,
            InsightCursor,
        ):
            session.execute(delete(table))
    return update_insights(app_engine, tracker_engine, batch_events, score)
